// Composition for the gateway without Electron: the same services as src-main/index.ts builds
// (connections, health, router, call runner), fed from a config file instead of the app's store.
import { randomBytes } from 'node:crypto';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import { settingsSchema, type Settings } from '../../src-shared/schemas/settings';
import { createCallRunner } from '../calls/call-runner';
import type { CallLogSink } from '../calls/attempt-recorder';
import { createConnectionService } from '../connections/connection-service';
import type { Clock } from '../engine/ports';
import { createHealthMonitor } from '../health/health-monitor';
import { providerProfile, type ProviderAdapterOptions } from '../providers/registry';
import { createRouterService } from '../routing/router-service';
import { KeytarSecretStore } from '../secrets/keytar-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import { createGatewayServer, type GatewayAddress } from './gateway-server';
import { loadConfigFile, settingsFromConfig, type LoadedConfig } from './headless-config';
import { createHeadlessSecretStore, keyVariableName } from './headless-secrets';

export interface HeadlessGatewayOptions {
  /** Path of the JSON config file, or its already parsed contents. */
  config: string | { contents: unknown };
  /** 0 picks a free port. */
  port: number;
  /** The bearer token; otherwise SWITCHBOARD_GATEWAY_TOKEN, otherwise a new random one. */
  token?: string;
  /** Where SWITCHBOARD_KEY_* and SWITCHBOARD_GATEWAY_TOKEN are read; defaults to process.env. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Look keys up in the OS keychain when no variable is set (default true). */
  useKeychain?: boolean;
  /** Replaces the variables-then-keychain lookup entirely (tests). */
  secrets?: SecretStore;
  /** Problems worth telling the operator (missing keys, no keychain); default stderr. */
  warn?: (line: string) => void;
  adapterOptions?: ProviderAdapterOptions;
  callLog?: CallLogSink;
}

export interface HeadlessGateway extends GatewayAddress {
  token: string;
  /** True when the token was generated for this run (so it should be shown once). */
  tokenGenerated: boolean;
  settings: SettingsService;
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

/** Real time; a sleep ends early (rejecting) when its signal aborts, so no timer outlives a race. */
function systemClock(): Clock {
  return {
    now: Date.now,
    sleep(ms, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** A token for this run: 32 random bytes, URL-safe. */
export function generateToken(): string {
  return `sbg-${randomBytes(32).toString('base64url')}`;
}

/**
 * Starts the gateway headless: settings from the config file, keys from SWITCHBOARD_KEY_*
 * variables or the keychain, the real routing services, listening on 127.0.0.1.
 */
export async function startHeadlessGateway(options: HeadlessGatewayOptions): Promise<HeadlessGateway> {
  const environment = options.environment ?? process.env;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const loaded: LoadedConfig =
    typeof options.config === 'string' ? loadConfigFile(options.config) : settingsFromConfig(options.config.contents);
  const settings = createFixedSettings(loaded.settings, typeof options.config === 'string' ? options.config : '(in memory)');

  const secrets =
    options.secrets ??
    createHeadlessSecretStore({
      environment,
      keychain: options.useKeychain === false ? null : new KeytarSecretStore({ service: environment['SWITCHBOARD_KEYCHAIN_SERVICE'] }),
      onKeychainUnavailable: (message) => warn(`Keychain unavailable, using SWITCHBOARD_KEY_* variables only. ${message}`),
    });

  const clock = systemClock();
  const health = createHealthMonitor({
    now: Date.now,
    setTimer: (callback, ms) => {
      // Health timers must not keep a stopped gateway's process alive.
      const handle = setTimeout(callback, ms);
      handle.unref();
      return { cancel: () => clearTimeout(handle) };
    },
    probe: async (connectionId, signal) => (await connections.adapter(connectionId)).probe({ signal }),
    routedConnectionIds: () => connections.routedConnectionIds(),
    isOnline: () => true,
    onChange: () => undefined,
  });
  const connections = createConnectionService({ settings, secrets, health, now: Date.now, adapterOptions: options.adapterOptions });
  const router = createRouterService({
    settings,
    health,
    now: Date.now,
    // No call log headless, so no month-to-date spend: monthly budgets are not enforced here.
    spend: () => ({ monthToDateUsd: {}, taskCostUsd: 0 }),
    escalation: () => undefined,
  });
  const storedKeys = async () => {
    const keys = await Promise.all(settings.get().connections.map((connection) => secrets.get(connection.id).catch(() => null)));
    return keys.filter((key): key is string => key !== null);
  };
  const runner = createCallRunner({
    router,
    connections,
    health,
    settings,
    clock,
    random: { next: Math.random },
    ...(options.callLog ? { callLog: options.callLog, secrets: storedKeys } : {}),
  });

  // Reading every key once up front says which ones are missing before the first call fails.
  for (const connection of settings.get().connections) {
    if (!connection.enabled || !providerProfile(connection.kind).keyRequired) continue;
    const key = await secrets.get(connection.id).catch(() => null);
    if (key === null) {
      warn(`No API key for connection "${connection.id}" (${connection.name}): set ${keyVariableName(connection.id)}, or save the key in the Switchboard app. Calls to it will fail until then.`);
    }
  }

  const presetToken = options.token ?? environment['SWITCHBOARD_GATEWAY_TOKEN']?.trim();
  const token = presetToken || generateToken();
  const server = createGatewayServer({
    runner,
    settings,
    token: () => token,
    allowedOrigins: () => loaded.allowedOrigins,
    logger: { debug: () => undefined, warn: (message, fields) => warn(`${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`) },
  });
  const address = await server.listen(options.port);
  health.reschedule();

  return {
    ...address,
    token,
    tokenGenerated: !presetToken,
    settings,
    async close() {
      health.stop();
      await server.close();
    },
  };
}
