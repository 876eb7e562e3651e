// Configuration over time: export, import with a preview, and a history of every applied version
// with rollback. Versions are recorded from settings changes, so an edit made anywhere is kept.
import { randomUUID } from 'node:crypto';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import type { ConfigChange, ConfigSource, ConfigVersion, ImportCheck, ImportRequest } from '../../src-shared/schemas/config-history';
import type { Settings } from '../../src-shared/schemas/settings';
import type { ConnectionService } from '../connections/connection-service';
import type { SettingsService } from '../settings/settings-service';
import type { ConfigHistoryRepository } from '../storage/config-history-repository';
import { configFileText, exportConfig } from './config-export';
import { diffConfig, type ConfigState } from './config-diff';
import { connectionsNeedingKey, planFromState, planImport, type ImportPlan } from './config-import';
import { settingsFromConfig } from './config-file';
import { litellmConfigYaml } from './litellm-export';

export interface ConfigServiceDependencies {
  settings: SettingsService;
  connections: Pick<ConnectionService, 'hasKey' | 'forgetKey'>;
  history: ConfigHistoryRepository;
  now(): number;
  /** Told after each version is written (the window refreshes its history list). */
  onVersion?(version: ConfigVersion): void;
  /** True while the routing editors hold unsaved edits: an import or rollback would pull the ground from under them. */
  unsavedDraft?(): boolean;
}

export interface ConfigService {
  /** Records the configuration as history's first version, or what changed while the app was closed. */
  start(): Promise<void>;
  /** The configuration file's text: the whole configuration without keys. */
  exportText(): string;
  /** The same configuration as a LiteLLM proxy config.yaml. */
  exportLitellmText(): string;
  /** What importing would change; nothing is applied. */
  previewImport(request: ImportRequest): Promise<ImportCheck>;
  /** What rolling back to a version would change; nothing is applied. */
  previewRollback(versionId: number): Promise<ImportCheck>;
  /** Applies exactly what a preview showed, as one new version. */
  apply(token: string): Promise<ConfigVersion>;
  history(limit?: number): Promise<ConfigVersion[]>;
  /** A version's configuration file and what differs between it and now. */
  version(id: number): Promise<{ version: ConfigVersion; config: string; sinceThen: ConfigChange[] }>;
  /** Resolves when every version recorded so far is written (tests, shutdown). */
  flush(): Promise<void>;
  stop(): void;
}

const stateOf = (settings: Settings): ConfigState => ({
  connections: settings.connections,
  primaryConnectionId: settings.primaryConnectionId,
  routing: settings.routing,
  agents: settings.agents,
});

const emptyState: ConfigState = {
  connections: [],
  primaryConnectionId: null,
  routing: { rules: [], tiers: [], routes: [], defaultSameProviderRetries: 1 },
  agents: [],
};

/** Previews expire: applying one computed against an older configuration would undo later edits. */
const PREVIEW_LIFETIME_MS = 30 * 60_000;

export function createConfigService(deps: ConfigServiceDependencies): ConfigService {
  const previews = new Map<string, { plan: ImportPlan; basis: string; source: ConfigSource; note: string; at: number }>();
  let recorded: { text: string; state: ConfigState } | null = null;
  let nextSource: { source: ConfigSource; note: string } | null = null;
  let writes: Promise<unknown> = Promise.resolve();
  let started = false;

  const textOf = (settings: Settings) => configFileText(exportConfig(settings));
  const exportable = (): Settings => {
    const settings = deps.settings.get();
    if (settings.connections.length === 0) {
      throw new AppErrorException(appError('validation_failed', 'There is nothing to export yet: add a provider first.'));
    }
    return settings;
  };
  const record = (settings: Settings, source: ConfigSource, note: string): Promise<ConfigVersion | null> => {
    const text = textOf(settings);
    if (recorded?.text === text) return Promise.resolve(null);
    const changes = diffConfig(recorded?.state ?? emptyState, stateOf(settings));
    recorded = { text, state: stateOf(settings) };
    const write = writes.then(async () => {
      const version = await deps.history.append({ at: deps.now(), source, changes, note, config: text });
      deps.onVersion?.(version);
      return version;
    });
    writes = write.catch(() => undefined);
    return write;
  };

  const unsubscribe = deps.settings.onChange((settings) => {
    if (!started) return;
    const origin = nextSource ?? { source: 'app' as const, note: '' };
    nextSource = null;
    void record(settings, origin.source, origin.note).catch(() => undefined);
  });

  const refuseOverDraft = () => {
    if (deps.unsavedDraft?.()) {
      throw new AppErrorException(
        appError('validation_failed', 'You have unsaved changes to routing or agents. Save or discard them first, then try again.'),
      );
    }
  };

  const remember = async (plan: ImportPlan, source: ConfigSource, note: string, fileName: string): Promise<ImportCheck> => {
    const needKeys = await connectionsNeedingKey(plan.next, (connection) => deps.connections.hasKey(connection));
    const token = randomUUID();
    const at = deps.now();
    for (const [key, pending] of previews) if (at - pending.at > PREVIEW_LIFETIME_MS) previews.delete(key);
    previews.set(token, { plan, basis: textOf(deps.settings.get()), source, note, at });
    return { status: 'ready', preview: { token, fileName, changes: plan.changes, needKeys } };
  };

  return {
    async start() {
      const latest = await deps.history.latest();
      if (latest) {
        try {
          recorded = { text: latest.config, state: stateOf(settingsFromConfig(JSON.parse(latest.config)).settings) };
        } catch {
          recorded = null;
        }
      }
      started = true;
      const current = deps.settings.get();
      if (current.connections.length === 0 && !latest) return;
      await record(current, 'app', latest ? 'Changed while Switchboard was closed' : 'The configuration when history began');
    },
    exportText() {
      return textOf(exportable());
    },
    exportLitellmText() {
      return litellmConfigYaml(exportable());
    },
    async previewImport(request) {
      refuseOverDraft();
      const current = deps.settings.get();
      const outcome = planImport(current, request);
      if (outcome.status !== 'ready') return outcome;
      return remember(outcome.plan, 'import', `Imported from ${request.fileName}`, request.fileName);
    },
    async previewRollback(versionId) {
      refuseOverDraft();
      const { config } = await deps.history.get(versionId);
      const current = deps.settings.get();
      const { settings } = settingsFromConfig(JSON.parse(config), `Version ${versionId}`);
      const plan = planFromState(current, stateOf(settings));
      return remember(plan, 'rollback', `Rolled back to version ${versionId}`, `version ${versionId}`);
    },
    async apply(token) {
      const pending = previews.get(token);
      if (!pending) {
        throw new AppErrorException(appError('not_found', 'This preview has expired. Choose the file again to see what it would change.'));
      }
      if (textOf(deps.settings.get()) !== pending.basis) {
        previews.delete(token);
        throw new AppErrorException(
          appError('validation_failed', 'The configuration changed since this preview was made, so it was not applied. Preview it again.'),
        );
      }
      refuseOverDraft();
      previews.delete(token);
      const { next, dropKeys } = pending.plan;
      nextSource = { source: pending.source, note: pending.note };
      try {
        deps.settings.update((current) => ({ ...current, ...next }));
      } finally {
        nextSource = null;
      }
      for (const id of dropKeys) await deps.connections.forgetKey(id).catch(() => undefined);
      await writes;
      // When nothing differed no version is added, and the latest one answers.
      const [latest] = await deps.history.list(1);
      if (!latest) throw new AppErrorException(appError('storage_failed', 'The new version could not be kept in the history.'));
      return latest;
    },
    history: (limit) => deps.history.list(limit),
    async version(id) {
      const { version, config } = await deps.history.get(id);
      const then = settingsFromConfig(JSON.parse(config), `Version ${id}`).settings;
      return { version, config, sinceThen: diffConfig(stateOf(then), stateOf(deps.settings.get())) };
    },
    flush: () => writes.then(() => undefined),
    stop: () => unsubscribe(),
  };
}
