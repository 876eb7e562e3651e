import { appError, AppErrorException, toAppError, type AppError } from '../../src-shared/errors/app-error';
import type { Connection, ModelFacts } from '../../src-shared/schemas/connection';
import type {
  ConnectionPatch,
  ConnectionView,
  DiscoverModelsInput,
  DiscoverModelsResult,
  NewConnectionInput,
  TestConnectionResult,
} from '../../src-shared/schemas/connection-input';
import type { LoadedModel } from '../../src-shared/schemas/local-models';
import type { LearnedRateLimits } from '../../src-shared/schemas/rate-limits';
import type { Settings } from '../../src-shared/schemas/settings';
import type { ProviderAdapter } from '../engine/ports';
import { isLocalConnection } from '../engine/local-connection';
import type { HealthMonitor } from '../health/health-monitor';
import { effectiveModelFacts, factsFor } from '../providers/catalog';
import { localKinds } from '../providers/catalog-data';
import type { PriceList } from '../providers/prices/price-list';
import { describeConnectionFailure } from '../providers/describe-failure';
import { createLocalModelHost, type LocalModelHost } from '../providers/local-model-host';
import { createProviderAdapter, providerProfile, type ProviderAdapterOptions } from '../providers/registry';
import { foundKey, keyOrigin, type ProviderKeyStore } from '../secrets/provider-keys';
import type { SecretLedger } from '../secrets/secret-ledger';
import type { SettingsService } from '../settings/settings-service';
import { createConnectionKeys } from './connection-keys';
import { createConnectionLookup } from './connection-lookup';
import { checkKey, checkName as checkNameIn, invalid, keyHint, uniqueId, withRateLimits } from './connection-input-checks';
import { mergeModels, withRunContext } from './model-merge';
import { discoverModels } from './model-discovery';
import { connectionsReferencedByRouting, countReferences } from './references';

/** How long "Test connection" waits for its one-token completion. */
const TEST_COMPLETION_TIMEOUT_MS = 20_000;

export interface ConnectionServiceDependencies {
  settings: SettingsService;
  /** Provider keys, each bound to the origin and kind it was saved for. */
  keys: ProviderKeyStore;
  /** Told every key this service reads or writes, for redaction. */
  ledger: SecretLedger;
  health: HealthMonitor;
  now(): number;
  adapterOptions?: ProviderAdapterOptions;
  /** The price list in use (prices and context windows for models the user has not priced). */
  prices?: () => PriceList;
  /** A local server's models in memory when last asked (the local model service keeps them). */
  loadedModels?: (connectionId: string) => LoadedModel[] | null;
  /** What the provider's latest response said about its rate limits. */
  learnedRateLimits?: (connectionId: string) => LearnedRateLimits | null;
}

export interface ConnectionService {
  list(): Promise<ConnectionView[]>;
  add(input: NewConnectionInput): Promise<ConnectionView>;
  update(patch: ConnectionPatch): Promise<ConnectionView>;
  remove(id: string, newPrimaryId?: string): Promise<void>;
  setPrimary(id: string): Promise<void>;
  test(id: string): Promise<TestConnectionResult>;
  discoverModels(input: DiscoverModelsInput): Promise<DiscoverModelsResult>;
  setModelFacts(connectionId: string, facts: ModelFacts): Promise<ConnectionView>;
  /**
   * Lists the connection's models again and saves what the server says about them (a local
   * server's capabilities, context length, size); the ids listed. Throws when the server fails.
   */
  refreshModels(connectionId: string): Promise<string[]>;
  /** Re-derives every local model's run context after the local-model settings changed. */
  applyLocalModelSettings(): void;
  /** The connection as a local model host (load state, pull, delete); null for a cloud kind. */
  localHost(connectionId: string): Promise<LocalModelHost | null>;
  /** The adapter the router calls; rebuilt when the connection or its key changes. */
  adapter(connectionId: string): Promise<ProviderAdapter>;
  /** What `adapter` would return if it is at hand (built for this connection and key); else undefined. */
  readyAdapter(connectionId: string): ProviderAdapter | undefined;
  /** Connections something routes to: Primary, rule backends, tier entries, route targets. */
  routedConnectionIds(): string[];
  /** Whether a key saved for this connection may be sent to it (the key itself never leaves this service). */
  hasKey(connection: Connection): Promise<boolean>;
  /** Deletes the saved key of a connection an import or a rollback removed. */
  forgetKey(id: string): Promise<void>;
}

export function createConnectionService(deps: ConnectionServiceDependencies): ConnectionService {
  const adapters = new Map<string, { adapter: ProviderAdapter; connection: Connection; key: string | null }>();
  const connectionKeys = createConnectionKeys(deps.keys, deps.ledger);
  const { lookup: lookupKey, read: readKey, write: writeKey, remove: deleteKey } = connectionKeys;

  const connectionById = createConnectionLookup(deps.settings);

  const findConnection = (id: string): Connection => {
    const connection = connectionById(id);
    if (!connection) throw new AppErrorException(appError('not_found', `There is no connection "${id}" any more.`));
    return connection;
  };

  const checkName = (name: string, exceptId?: string) => checkNameIn(name, deps.settings.get().connections, exceptId);

  const view = async (connection: Connection, settings: Settings): Promise<ConnectionView> => {
    const key = await readKey(connection).catch(() => null);
    const prices = deps.prices?.();
    return {
      // Models as calls are priced: the list's current prices unless the user typed their own.
      connection: { ...connection, models: connection.models.map((facts) => effectiveModelFacts(connection, facts.id, prices)) },
      isPrimary: settings.primaryConnectionId === connection.id,
      isLocal: isLocalConnection(connection),
      health: deps.health.get(connection.id),
      key: { stored: key !== null, hint: keyHint(key), required: providerProfile(connection.kind).keyRequired },
      usedBy: countReferences(settings, connection.id),
      loadedModels: deps.loadedModels?.(connection.id) ?? null,
      learnedRateLimits: deps.learnedRateLimits?.(connection.id) ?? null,
    };
  };

  const adapterFor = async (connection: Connection): Promise<ProviderAdapter> => {
    // A provider that needs no key (a local Ollama) keeps working without a usable keychain.
    const key = await readKey(connection).catch((error: unknown) => {
      if (providerProfile(connection.kind).keyRequired) throw error;
      return null;
    });
    const cached = adapters.get(connection.id);
    if (cached && cached.connection === connection && cached.key === key) return cached.adapter;
    const adapter = createProviderAdapter(connection, key, deps.adapterOptions);
    adapters.set(connection.id, { adapter, connection, key });
    return adapter;
  };

  const contextTokens = () => deps.settings.get().localModels.contextTokens;

  const refreshModels = async (id: string): Promise<string[]> => {
    const adapter = await adapterFor(findConnection(id));
    const models = await adapter.listModels({ signal: new AbortController().signal });
    deps.settings.update((current) => ({
      ...current,
      connections: current.connections.map((item) =>
        item.id === id ? { ...item, models: mergeModels(item, models, current.localModels.contextTokens) } : item,
      ),
    }));
    return models.map((model) => model.id);
  };

  const failureResult = (error: AppError, kind: Connection['kind']) => describeConnectionFailure(error, kind);

  /** Sends "Hi" for at most one output token; the error when it fails, else undefined. */
  const oneTokenCompletion = async (connection: Connection): Promise<AppError | undefined> => {
    const signal = AbortSignal.timeout(TEST_COMPLETION_TIMEOUT_MS);
    try {
      const adapter = await adapterFor(connection);
      const request = { model: connection.defaultModel, messages: [{ role: 'user' as const, content: 'Hi' }], maxOutputTokens: 1 };
      for await (const part of adapter.stream(request, { signal })) void part;
      return undefined;
    } catch (error) {
      return signal.aborted
        ? appError('timeout', `${connection.defaultModel} did not answer within ${TEST_COMPLETION_TIMEOUT_MS / 1000} s`)
        : toAppError(error);
    }
  };

  return {
    async list() {
      const settings = deps.settings.get();
      return Promise.all(settings.connections.map((connection) => view(connection, settings)));
    },

    async add(input) {
      checkName(input.name);
      checkKey(input.kind, input.apiKey, true);
      if (input.kind === 'azure-openai' && !input.azure)
        throw invalid('azure.apiVersion', 'Enter the Azure API version and at least one deployment.');
      const settings = deps.settings.get();
      const connection: Connection = {
        id: uniqueId(input.name, settings.connections),
        kind: input.kind,
        name: input.name.trim(),
        baseUrl: input.baseUrl.trim().replace(/\/+$/, ''),
        defaultModel: input.defaultModel.trim(),
        enabled: true,
        models: mergeModels(
          { kind: input.kind, models: [], defaultModel: input.defaultModel.trim() },
          [...new Set([input.defaultModel.trim(), ...(input.discoveredModels ?? [])])],
          contextTokens(),
        ),
        azure: input.azure,
        monthlyBudgetUsd: input.monthlyBudgetUsd ?? null,
        ...withRateLimits(input.rateLimits),
        ...(typeof input.local === 'boolean' ? { local: input.local } : {}),
        createdAt: new Date(deps.now()).toISOString(),
      };
      // The key goes to the keychain first: if that fails, nothing is saved anywhere.
      const key = input.apiKey?.trim();
      if (key) await writeKey(connection, key);
      try {
        const saved = deps.settings.update((current) => ({
          ...current,
          connections: [...current.connections, connection],
          primaryConnectionId: current.primaryConnectionId ?? connection.id,
        }));
        deps.health.reschedule();
        // A local server knows its models' capabilities and context: read them in the background.
        if (localKinds.includes(connection.kind)) void refreshModels(connection.id).catch(() => undefined);
        return await view(connection, saved);
      } catch (error) {
        if (key) await deleteKey(connection.id).catch(() => undefined);
        throw error;
      }
    },

    async update(patch) {
      const existing = findConnection(patch.id);
      if (patch.name !== undefined) checkName(patch.name, existing.id);
      if (patch.apiKey !== undefined) checkKey(existing.kind, patch.apiKey, false);
      const updated: Connection = {
        ...existing,
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.baseUrl !== undefined ? { baseUrl: patch.baseUrl.trim().replace(/\/+$/, '') } : {}),
        ...(patch.defaultModel !== undefined ? { defaultModel: patch.defaultModel.trim() } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.azure !== undefined ? { azure: patch.azure } : {}),
        ...(patch.monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd: patch.monthlyBudgetUsd } : {}),
        ...(patch.rateLimits !== undefined ? withRateLimits(patch.rateLimits) : {}),
        ...(typeof patch.local === 'boolean' ? { local: patch.local } : {}),
      };
      if (patch.local === null) delete updated.local;
      if (patch.rateLimits !== undefined && !withRateLimits(patch.rateLimits).rateLimits) delete updated.rateLimits;
      if (patch.defaultModel !== undefined && !updated.models.some((facts) => facts.id === updated.defaultModel)) {
        updated.models = [...updated.models, withRunContext(updated.kind, factsFor(updated.kind, updated.defaultModel), contextTokens())];
      }
      const key = patch.apiKey?.trim();
      const moved = keyOrigin(updated.baseUrl) !== keyOrigin(existing.baseUrl);
      if (moved && !key && providerProfile(existing.kind).keyRequired && (await readKey(existing).catch(() => null)) !== null)
        throw invalid(
          'apiKey',
          `The saved API key is only sent to ${keyOrigin(existing.baseUrl)}. Paste the key again to use it with ${keyOrigin(updated.baseUrl)}.`,
        );
      if (key) await writeKey(updated, key);
      else if (patch.apiKey !== undefined && !providerProfile(existing.kind).keyRequired) await deleteKey(existing.id);
      const saved = deps.settings.update((current) => ({
        ...current,
        connections: current.connections.map((connection) => (connection.id === existing.id ? updated : connection)),
      }));
      // A new key or address deserves a fresh verdict rather than the old one.
      if (key || patch.baseUrl !== undefined) deps.health.record(existing.id, { type: 'reset' });
      deps.health.reschedule();
      return view(updated, saved);
    },

    async remove(id, newPrimaryId) {
      const existing = findConnection(id);
      const settings = deps.settings.get();
      const others = settings.connections.filter((connection) => connection.id !== id);
      let primaryConnectionId = settings.primaryConnectionId;
      if (settings.primaryConnectionId === id) {
        if (others.length === 0) primaryConnectionId = null;
        else if (!newPrimaryId) throw invalid('newPrimaryId', `${existing.name} is your Primary. Choose which connection takes over.`);
        else if (!others.some((connection) => connection.id === newPrimaryId))
          throw invalid('newPrimaryId', 'Choose one of your other connections as the new Primary.');
        else primaryConnectionId = newPrimaryId;
      }
      await deleteKey(id);
      // Rules, tiers and routes that point here are kept: they stop matching and say so.
      deps.settings.update((current) => ({ ...current, connections: others, primaryConnectionId }));
      adapters.delete(id);
      deps.health.forget(id);
    },

    async setPrimary(id) {
      findConnection(id);
      deps.settings.update((current) => ({ ...current, primaryConnectionId: id }));
      deps.health.reschedule();
    },

    async test(id) {
      const connection = findConnection(id);
      const health = await deps.health.probeNow(id);
      if (
        health.color === 'red' ||
        (!health.onTrial && health.lastError && health.lastFailureAt !== null && health.lastFailureAt >= (health.lastSuccessAt ?? 0))
      ) {
        const error = health.lastError ?? appError('network', 'The connection test failed.');
        return { ok: false, message: failureResult(error, connection.kind), models: [], health };
      }
      // The list answering proves little (DESIGN.md "Health"): a one-token completion shows an
      // empty account or a key without access to the default model, the common causes of red.
      const completion = await oneTokenCompletion(connection);
      if (completion) {
        deps.health.record(id, { type: 'probe-failure', error: completion });
        const message = `The model list answered, but ${connection.defaultModel} did not: ${failureResult(completion, connection.kind)}`;
        return { ok: false, message, models: [], health: deps.health.get(id) };
      }
      deps.health.record(id, { type: 'check-success' });
      let models: string[] = [];
      try {
        models = await refreshModels(id);
      } catch {
        // The probe passed; a failing second listing is not worth failing the test for.
      }
      const count = models.length;
      return {
        ok: true,
        message: `${count > 0 ? `Connected: ${count} model${count === 1 ? '' : 's'} available` : 'Connected'}; ${connection.defaultModel} answered.`,
        models,
        health: deps.health.get(id),
      };
    },

    discoverModels: (input) =>
      discoverModels(input, { settings: deps.settings, lookupKey, now: deps.now, adapterOptions: deps.adapterOptions }),

    async setModelFacts(connectionId, facts) {
      findConnection(connectionId);
      const saved = deps.settings.update((current) => ({
        ...current,
        connections: current.connections.map((connection) =>
          connection.id === connectionId
            ? {
                ...connection,
                models: [
                  ...connection.models.filter((model) => model.id !== facts.id),
                  withRunContext(connection.kind, facts, current.localModels.contextTokens),
                ],
              }
            : connection,
        ),
      }));
      return view(findConnection(connectionId), saved);
    },

    refreshModels,

    applyLocalModelSettings() {
      deps.settings.update((current) => ({
        ...current,
        connections: current.connections.map((connection) => ({
          ...connection,
          models: connection.models.map((facts) => withRunContext(connection.kind, facts, current.localModels.contextTokens)),
        })),
      }));
    },

    adapter: async (connectionId) => adapterFor(findConnection(connectionId)),

    readyAdapter(connectionId) {
      const connection = connectionById(connectionId);
      const cached = adapters.get(connectionId);
      if (!connection || cached?.connection !== connection) return undefined;
      const lookup = connectionKeys.known(connection);
      return lookup && foundKey(lookup) === cached.key ? cached.adapter : undefined;
    },

    async localHost(connectionId) {
      const connection = findConnection(connectionId);
      if (!localKinds.includes(connection.kind)) return null;
      const key = await readKey(connection).catch(() => null);
      return createLocalModelHost(connection, key, deps.adapterOptions);
    },

    routedConnectionIds: () => connectionsReferencedByRouting(deps.settings.get()),
    hasKey: async (connection) => (await readKey(connection)) !== null,
    async forgetKey(id) {
      await deleteKey(id);
      adapters.delete(id);
    },
  };
}
