import { appError, AppErrorException, toAppError } from '../../src-shared/errors/app-error';
import type { LoadedModel, LocalModelList, PullProgress } from '../../src-shared/schemas/local-models';
import { isLocalConnection } from '../engine/local-connection';
import type { LocalModelHost } from '../providers/local-model-host';
import { sameModelName } from '../providers/openai-compatible/ollama-native';
import type { SettingsService } from '../settings/settings-service';
import type { ConnectionService } from './connection-service';

/** Progress lines reach the window at most this often per pull (Ollama writes hundreds a second). */
const PROGRESS_INTERVAL_MS = 150;
/** Asking which models are loaded is quick or not worth waiting for. */
const LOADED_TIMEOUT_MS = 5_000;
/** Loading a large model from a slow disk can take minutes. */
const WARM_TIMEOUT_MS = 10 * 60_000;

export interface LocalModelServiceDependencies {
  settings: SettingsService;
  connections: Pick<ConnectionService, 'localHost' | 'refreshModels'>;
  now(): number;
  /** A pull moved on; the window shows it. */
  onPullProgress?(progress: PullProgress): void;
  /** The load state of a connection changed; the provider rows show it. */
  onLoadedChange?(): void;
  log?(message: string): void;
}

export type WarmOutcome = { warmed: true; connectionId: string; model: string } | { warmed: false; reason: string };

/** The model manager and load state of local servers (Ollama, LM Studio), one connection each. */
export interface LocalModelService {
  /** The models on the server's disk with their sizes, the disk space they use, and what is loaded. */
  list(connectionId: string): Promise<LocalModelList>;
  /** Downloads a model, reporting progress as it goes; resolves with how it ended (done, failed, cancelled). */
  pull(connectionId: string, name: string): Promise<PullProgress>;
  /** Stops a pull in progress; the server keeps no half model listed. */
  cancelPull(connectionId: string, name: string): void;
  /** Deletes a model from the server's disk; the list afterwards. */
  remove(connectionId: string, name: string): Promise<LocalModelList>;
  /** The models in memory when last asked; null when not asked yet or not a local server. */
  loadedOf(connectionId: string): LoadedModel[] | null;
  /** Asks the server which models are loaded now (quietly: a server that does not answer keeps its last state). */
  refreshLoaded(connectionId: string): Promise<void>;
  /** refreshLoaded for every enabled local connection. */
  refreshAllLoaded(): Promise<void>;
  /** Loads the Primary's model when it is local and the setting is on, so the first chat does not wait. */
  warmPrimary(): Promise<WarmOutcome>;
}

const pullKey = (connectionId: string, name: string) => `${connectionId}\n${name}`;
const sameLoaded = (left: LoadedModel[] | undefined, right: LoadedModel[]) =>
  left !== undefined &&
  left.length === right.length &&
  left.every((model, index) => model.name === right[index]?.name && model.sizeBytes === right[index]?.sizeBytes);

export function createLocalModelService(deps: LocalModelServiceDependencies): LocalModelService {
  const loaded = new Map<string, LoadedModel[]>();
  const pulls = new Map<string, AbortController>();

  const connectionOf = (connectionId: string) => deps.settings.get().connections.find((connection) => connection.id === connectionId);

  const hostOf = async (connectionId: string): Promise<LocalModelHost> => {
    const connection = connectionOf(connectionId);
    if (!connection) throw new AppErrorException(appError('not_found', `There is no connection "${connectionId}" any more.`));
    const host = await deps.connections.localHost(connectionId);
    if (!host) throw new AppErrorException(appError('validation_failed', `${connection.name} is not a local model server.`));
    return host;
  };

  const remember = (connectionId: string, models: LoadedModel[]) => {
    if (sameLoaded(loaded.get(connectionId), models)) return;
    loaded.set(connectionId, models);
    deps.onLoadedChange?.();
  };

  const refreshLoaded = async (connectionId: string): Promise<void> => {
    const host = await deps.connections.localHost(connectionId).catch(() => null);
    if (!host) return;
    try {
      remember(connectionId, await host.loaded({ signal: AbortSignal.timeout(LOADED_TIMEOUT_MS) }));
    } catch {
      // A server that is down says so through its health dot; its last known load state stays.
    }
  };

  /** The saved model facts follow the server again (a pulled model appears, a deleted or failed one does not). */
  const syncFacts = async (connectionId: string) => {
    await deps.connections.refreshModels(connectionId).catch((error: unknown) => {
      deps.log?.(`Could not refresh the models of ${connectionId}: ${toAppError(error).message}`);
    });
  };

  const list = async (connectionId: string): Promise<LocalModelList> => {
    const host = await hostOf(connectionId);
    const signal = AbortSignal.timeout(LOADED_TIMEOUT_MS * 3);
    const [held, inMemory] = await Promise.all([host.listHeld({ signal }), host.loaded({ signal }).catch(() => null)]);
    if (inMemory) remember(connectionId, inMemory);
    const loadedNow = inMemory ?? loaded.get(connectionId) ?? [];
    const isLoaded = (name: string) => loadedNow.some((model) => sameModelName(model.name, name));
    const models = held
      .map((model) => ({
        name: model.id,
        sizeBytes: model.local?.sizeBytes ?? null,
        family: model.local?.family ?? null,
        parameterSize: model.local?.parameterSize ?? null,
        quantization: model.local?.quantization ?? null,
        loaded: model.loaded ?? isLoaded(model.id),
      }))
      .sort((left, right) => left.name.localeCompare(right.name));
    return {
      connectionId,
      models,
      diskBytes: models.reduce((sum, model) => sum + (model.sizeBytes ?? 0), 0),
      loaded: loadedNow,
      canManage: host.pull !== undefined && host.remove !== undefined,
    };
  };

  return {
    list,

    async pull(connectionId, name) {
      const host = await hostOf(connectionId);
      if (!host.pull) throw new AppErrorException(appError('validation_failed', 'This server cannot download models from here.'));
      const key = pullKey(connectionId, name);
      if (pulls.has(key)) throw new AppErrorException(appError('conflict', `${name} is already being pulled.`));
      const controller = new AbortController();
      pulls.set(key, controller);
      let last: PullProgress = { connectionId, name, state: 'running', status: 'starting', completedBytes: null, totalBytes: null };
      let sentAt = 0;
      const report = (progress: PullProgress, force = false) => {
        last = progress;
        const now = deps.now();
        if (!force && now - sentAt < PROGRESS_INTERVAL_MS) return;
        sentAt = now;
        deps.onPullProgress?.(progress);
      };
      report(last, true);
      try {
        await host.pull(name, { signal: controller.signal }, (step) =>
          report({ ...last, status: step.status, completedBytes: step.completedBytes, totalBytes: step.totalBytes }),
        );
        report({ ...last, state: 'done', status: 'success' }, true);
      } catch (error) {
        if (controller.signal.aborted) report({ ...last, state: 'cancelled', status: 'cancelled' }, true);
        else report({ ...last, state: 'failed', status: 'failed', error: toAppError(error).message }, true);
      } finally {
        pulls.delete(key);
      }
      // Whatever happened, the saved list follows the server: a complete model appears, a half one does not.
      await syncFacts(connectionId);
      return last;
    },

    cancelPull(connectionId, name) {
      pulls.get(pullKey(connectionId, name))?.abort();
    },

    async remove(connectionId, name) {
      const host = await hostOf(connectionId);
      if (!host.remove) throw new AppErrorException(appError('validation_failed', 'This server cannot delete models from here.'));
      await host.remove(name, { signal: AbortSignal.timeout(LOADED_TIMEOUT_MS * 3) });
      await syncFacts(connectionId);
      return list(connectionId);
    },

    loadedOf: (connectionId) => loaded.get(connectionId) ?? null,

    refreshLoaded,

    async refreshAllLoaded() {
      const local = deps.settings.get().connections.filter((connection) => connection.enabled && isLocalConnection(connection));
      await Promise.all(local.map((connection) => refreshLoaded(connection.id)));
    },

    async warmPrimary() {
      const settings = deps.settings.get();
      if (!settings.localModels.warmPrimary) return { warmed: false, reason: 'Warming the Primary’s model is off.' };
      const primary = settings.connections.find((connection) => connection.id === settings.primaryConnectionId);
      if (!primary?.enabled) return { warmed: false, reason: 'There is no enabled Primary.' };
      const host = await deps.connections.localHost(primary.id).catch(() => null);
      if (!host?.warm) return { warmed: false, reason: `${primary.name} is not a local server that can load a model ahead.` };
      const model = primary.defaultModel;
      const contextTokens = primary.models.find((facts) => facts.id === model)?.runContextTokens;
      try {
        await host.warm(model, contextTokens, { signal: AbortSignal.timeout(WARM_TIMEOUT_MS) });
      } catch (error) {
        // Warming is a courtesy: a server that is down shows it on its dot at the first real call.
        const reason = toAppError(error).message;
        deps.log?.(`Could not load ${model} on ${primary.name} ahead: ${reason}`);
        return { warmed: false, reason };
      }
      await refreshLoaded(primary.id);
      return { warmed: true, connectionId: primary.id, model };
    },
  };
}
