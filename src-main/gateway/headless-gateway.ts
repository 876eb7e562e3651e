// Composition for the gateway without Electron: the app's own services (createCoreServices: routing,
// health, budgets, the SQLite call log) fed from a config file instead of the app's settings store.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import { settingsSchema, type Settings } from '../../src-shared/schemas/settings';
import { providerProfile, type ProviderAdapterOptions } from '../providers/registry';
import { KeytarSecretStore } from '../secrets/keytar-secret-store';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import { keyOrigin, type ProviderKeyStore } from '../secrets/provider-keys';
import { sendsKeyInTheClear } from '../../src-shared/schemas/locality';
import { createCoreServices, type CoreServices } from '../services';
import type { SettingsService } from '../settings/settings-service';
import { openDatabase } from '../storage/database';
import { createGatewayServer, type GatewayAddress } from './gateway-server';
import { loadConfigFile, settingsFromConfig, type LoadedConfig } from '../config/config-file';
import { createHeadlessProviderKeys, keyVariableName } from './headless-secrets';
import { generateToken, tokenProblem } from './request-guards';

/** The client name the headless gateway's calls carry in the call log. */
export const HEADLESS_CLIENT = 'headless';

/** The operator chose a token too weak to protect the gateway. */
export class GatewayTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayTokenError';
  }
}

/**
 * Writes a generated token where only this user can read it (0600), never to stdout where CI logs
 * keep it; returns the file's path.
 */
function writeTokenFile(dataDirectory: string, token: string): string {
  mkdirSync(dataDirectory, { recursive: true });
  const file = join(dataDirectory, 'gateway-token');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; a file left by an earlier run is narrowed too.
  chmodSync(file, 0o600);
  return file;
}

export interface HeadlessGatewayOptions {
  /** Path of the JSON config file, or its already parsed contents. */
  config: string | { contents: unknown };
  /** 0 picks a free port. */
  port: number;
  /** The bearer token; otherwise SWITCHBOARD_GATEWAY_TOKEN, otherwise a new random one. */
  token?: string;
  /** Where the call log (switchboard.db) lives; defaults to defaultDataDirectory(). */
  dataDirectory?: string;
  /** Where SWITCHBOARD_KEY_* and SWITCHBOARD_GATEWAY_TOKEN are read; defaults to process.env. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Look keys up in the OS keychain when no variable is set (default true). */
  useKeychain?: boolean;
  /** Replaces the variables-then-keychain lookup entirely (tests). */
  providerKeys?: ProviderKeyStore;
  /** Problems worth telling the operator (missing keys, no keychain); default stderr. */
  warn?: (line: string) => void;
  adapterOptions?: ProviderAdapterOptions;
}

export interface HeadlessGateway extends GatewayAddress {
  token: string;
  /** True when the token was generated for this run. */
  tokenGenerated: boolean;
  /** Where a generated token was written (readable by this user only); undefined for a chosen one. */
  tokenFile: string | undefined;
  /** The services behind it: the call log, health and routing, for inspection. */
  services: CoreServices;
  /** The SQLite file holding the call log. */
  databaseFile: string;
  close(): Promise<void>;
}

/** Settings held in memory: the config file is the user's, and the gateway never writes to it. */
function createFixedSettings(initial: Settings, filePath: string): SettingsService {
  let current = initial;
  const listeners = new Set<(settings: Settings) => void>();
  return {
    filePath,
    get: () => current,
    update(change) {
      const parsed = settingsSchema.safeParse(change(current));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppErrorException(appError('validation_failed', issue?.message ?? 'Invalid settings.', { field: issue?.path.join('.') }));
      }
      current = parsed.data;
      for (const listener of listeners) listener(current);
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Where the headless gateway keeps its call log unless told otherwise: the platform's usual place. */
export function defaultDataDirectory(environment: Readonly<Record<string, string | undefined>> = process.env): string {
  if (process.platform === 'win32') return join(environment['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'Switchboard Gateway');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Switchboard Gateway');
  return join(environment['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'switchboard-gateway');
}

/**
 * Starts the gateway headless: settings from the config file, keys from SWITCHBOARD_KEY_*
 * variables or the keychain, the real routing services, listening on 127.0.0.1.
 */
export async function startHeadlessGateway(options: HeadlessGatewayOptions): Promise<HeadlessGateway> {
  const environment = options.environment ?? process.env;
  const presetToken = options.token ?? environment['SWITCHBOARD_GATEWAY_TOKEN']?.trim();
  const weakness = presetToken ? tokenProblem(presetToken) : undefined;
  if (weakness) throw new GatewayTokenError(weakness);
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const loaded: LoadedConfig =
    typeof options.config === 'string' ? loadConfigFile(options.config) : settingsFromConfig(options.config.contents);
  const settings = createFixedSettings(loaded.settings, typeof options.config === 'string' ? options.config : '(in memory)');

  const providerKeys =
    options.providerKeys ??
    createHeadlessProviderKeys({
      environment,
      keychain: options.useKeychain === false ? null : new KeytarSecretStore({ service: environment['SWITCHBOARD_KEYCHAIN_SERVICE'] }),
      onKeychainUnavailable: (message) => warn(`Keychain unavailable, using SWITCHBOARD_KEY_* variables only. ${message}`),
    });

  // Reading every key once up front says which ones are missing before the first call fails.
  for (const connection of settings.get().connections) {
    if (!connection.enabled || !providerProfile(connection.kind).keyRequired) continue;
    const lookup = await providerKeys.read(connection).catch(() => ({ status: 'none' }) as const);
    if (lookup.status === 'found' && sendsKeyInTheClear(connection.baseUrl, connection.local)) {
      warn(
        `Connection "${connection.id}" sends its API key over plain http:// to ${keyOrigin(connection.baseUrl)}, which is not on this machine or network: anyone on the way can read it. Use https://, or set "local": true if that host is yours.`,
      );
    }
    if (lookup.status === 'other-origin') {
      warn(
        `The key the app saved for connection "${connection.id}" is for ${lookup.savedFor}, not ${keyOrigin(connection.baseUrl)} (${connection.kind}), so it is not used: set ${keyVariableName(connection.id)} to send a key there.`,
      );
    } else if (lookup.status === 'none') {
      warn(
        `No API key for connection "${connection.id}" (${connection.name}): set ${keyVariableName(connection.id)}, or save the key in the Switchboard app. Calls to it will fail until then.`,
      );
    }
  }

  const dataDirectory = options.dataDirectory ?? defaultDataDirectory(environment);
  const databaseFile = join(dataDirectory, 'switchboard.db');
  const database = await openDatabase({
    filePath: databaseFile,
    // Run as TypeScript (tsx, Node 24 type stripping); the app bundles its own copy of the worker.
    workerUrl: new URL('../storage/storage-worker.ts', import.meta.url),
    onNotice: (notice) => warn(`${notice.title}. ${notice.detail}`),
  });
  const services = createCoreServices({
    settings,
    // The headless gateway has no app secrets of its own in the keychain; its token is in memory.
    secrets: new MemorySecretStore(),
    providerKeys,
    database,
    ...(options.adapterOptions ? { adapterOptions: options.adapterOptions } : {}),
    events: { notice: (notice) => warn(`${notice.title}. ${notice.detail}`) },
  });
  await services.start();

  const token = presetToken || generateToken();
  const tokenFile = presetToken ? undefined : writeTokenFile(dataDirectory, token);
  services.secretLedger.remember(token);
  const headlessTokens = { live: [{ client: HEADLESS_CLIENT, token }] };
  const server = createGatewayServer({
    runner: services.runner,
    settings,
    tokenCounter: services.tokenCounter,
    // The one token of the headless gateway is one client, named "headless" in the call log.
    tokens: () => headlessTokens,
    allowedOrigins: () => loaded.allowedOrigins,
    logger: { debug: () => undefined, warn: (message, fields) => warn(`${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`) },
  });
  let address: GatewayAddress;
  try {
    address = await server.listen(options.port);
  } catch (error) {
    await services.stop();
    throw error;
  }

  return {
    ...address,
    token,
    tokenGenerated: !presetToken,
    tokenFile,
    services,
    databaseFile,
    async close() {
      await server.close();
      await services.stop();
    },
  };
}
