// The window app's services wired together without Electron: settings, the database, the core
// services, configuration, the gateway and every IPC handler. The app runs this in its services
// thread (services-worker.ts); what only Electron's main thread can do arrives as functions.
import { join } from 'node:path';
import type { AppInfo, EventChannel, EventContract } from '../src-shared/contract/ipc-contract';
import { coalesceStreamedText, type EventSender } from './app/event-sender';
import { createConfigDraft } from './config/config-draft';
import { createConfigService } from './config/config-service';
import { createGatewayClients } from './gateway/gateway-clients';
import { createGatewayController } from './gateway/gateway-controller';
import { createAllHandlers } from './ipc/all-handlers';
import { createDispatcher, type Dispatch } from './ipc/register-handlers';
import type { NoticeCenter } from './notices/notice-center';
import { detectLocalOllama } from './providers/ollama-detect';
import { providerProfiles } from './providers/registry';
import { migrateKeychainQuietly } from './secrets/keychain-migration';
import type { SecretStore } from './secrets/secret-store';
import { createCoreServices } from './services';
import type { SettingsService } from './settings/settings-service';
import { createConfigHistoryRepository } from './storage/config-history-repository';
import { openDatabase } from './storage/database';

export interface AppServicesOptions {
  /** The app's data folder: settings.json, switchboard.db, prices.json, the config draft. */
  dataDirectory: string;
  storageWorkerUrl: URL;
  info: AppInfo;
  /** The keychain. */
  secrets: SecretStore;
  /** Settings, loaded first (the window opens where they say); notices about them already in `notices`. */
  settings: SettingsService;
  notices: NoticeCenter;
  isOnline(): boolean;
  ollamaUrl: string;
  idleProbeMs?: number;
  /** Every event for the window, in order. */
  sendEvent(channel: EventChannel, payload: unknown): void;
  openExternal(url: string): Promise<void>;
  writeClipboard(text: string): Promise<void> | void;
  onTasksPage(open: boolean): void;
}

export interface AppServices {
  settings: SettingsService;
  dispatch: Dispatch;
  /** Recovers what a crash cut off, starts probing, resumes tasks and starts the gateway if it was on. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** "Calls were logged" at most this often: at gateway load that is hundreds a second, and each one reloads a page. */
export const CALLS_LOGGED_EVERY_MS = 250;

export async function composeAppServices(options: AppServicesOptions): Promise<AppServices> {
  // Streamed text leaves about once a frame, not once per token (see coalesceStreamedText).
  const sendEvent: EventSender = coalesceStreamedText((channel, payload) => options.sendEvent(channel, payload));
  const { settings, notices } = options;
  notices.onChange((list) => sendEvent('app:notices.changed', list));
  settings.onChange((value) => sendEvent('app:settings.changed', value));

  let loggedCalls = 0;
  let loggedTimer: ReturnType<typeof setTimeout> | undefined;
  const callsLogged = (count: number) => {
    loggedCalls += count;
    loggedTimer ??= setTimeout(() => {
      loggedTimer = undefined;
      const logged: EventContract['app:activity.logged'] = { count: loggedCalls };
      loggedCalls = 0;
      sendEvent('app:activity.logged', logged);
    }, CALLS_LOGGED_EVERY_MS);
  };

  const database = await openDatabase({
    filePath: join(options.dataDirectory, 'switchboard.db'),
    workerUrl: options.storageWorkerUrl,
    onNotice: notices.add,
  });
  const { secrets } = options;
  // Before anything reads a key: old entries move to names that cannot collide.
  await migrateKeychainQuietly(secrets, settings.get().connections, ({ title, detail }) =>
    notices.add({ id: 'keychain-migration', level: 'warning', title, detail, at: Date.now() }),
  );
  const services = createCoreServices({
    settings,
    secrets,
    database,
    isOnline: options.isOnline,
    pricesFile: join(options.dataDirectory, 'prices.json'),
    ...(options.idleProbeMs ? { idleProbeMs: options.idleProbeMs } : {}),
    events: {
      connections: (list) => sendEvent('app:connections.changed', list),
      chatDelta: (event) => sendEvent('app:chat.delta', event),
      chatMessage: (view) => sendEvent('app:chat.message', view),
      chatConversations: (list) => sendEvent('app:chat.conversations', list),
      task: (task) => sendEvent('app:tasks.updated', task),
      taskDelta: (event) => sendEvent('app:tasks.delta', event),
      taskTrace: (event) => sendEvent('app:tasks.trace', event),
      callsLogged,
      notice: notices.add,
      pullProgress: (progress) => sendEvent('app:localModels.pullProgress', progress),
    },
  });
  const { connections, router, chat, tasks } = services;
  const draft = createConfigDraft({
    settings,
    now: Date.now,
    file: join(options.dataDirectory, 'config-draft.json'),
    onNotice: notices.add,
    onChange: (view) => sendEvent('app:config.draftChanged', view),
  });
  const config = createConfigService({
    settings,
    connections,
    history: createConfigHistoryRepository(database),
    now: Date.now,
    onVersion: (version) => sendEvent('app:config.versionAdded', version),
    unsavedDraft: () => draft.dirty(),
  });
  await config.start().catch((error: unknown) => console.warn(`[config] history could not start: ${String(error)}`));
  const gatewayClients = createGatewayClients({
    settings,
    secrets,
    ledger: services.secretLedger,
    usage: (since) => services.callLog.clientUsage(since),
    now: Date.now,
  });
  const gateway = createGatewayController({
    runner: services.runner,
    settings,
    clients: gatewayClients,
    tokenCounter: services.tokenCounter,
    onChange: (status) => sendEvent('app:gateway.changed', status),
  });

  const dispatch = createDispatcher(
    createAllHandlers({
      app: { info: options.info, settings, notices, openExternal: options.openExternal },
      routing: { settings, router, draft },
      config: { config, draft, settings, now: Date.now },
      chat: { chat, writeClipboard: options.writeClipboard },
      tasks: { tasks, settings, onTasksPage: options.onTasksPage },
      activity: { callLog: services.callLog },
      spend: { prices: services.prices, callLog: services.callLog },
      gateway: { gateway, clients: gatewayClients },
      localModels: { localModels: services.localModels },
      connections: {
        connections,
        profiles: providerProfiles,
        detectOllama: async () => {
          const models = await detectLocalOllama(fetch, options.ollamaUrl);
          return models ? { baseUrl: options.ollamaUrl, models } : null;
        },
      },
    }),
    { log: (message) => console.warn(`[ipc] ${message}`) },
  );

  return {
    settings,
    dispatch,
    async start() {
      await services.start();
      await gatewayClients.start();
      await gateway.start();
    },
    async stop() {
      if (loggedTimer) clearTimeout(loggedTimer);
      await gateway.stop();
      await services.stop();
    },
  };
}
