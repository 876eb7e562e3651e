// The app's services wired together, without Electron: used by the window app (index.ts), the
// headless gateway and the integration tests, so all three run exactly the same routing.
import type { ConversationSummary } from '../src-shared/schemas/stored-conversation';
import type { ChatMessageView } from '../src-shared/schemas/chat-ipc';
import type { ConnectionView } from '../src-shared/schemas/connection-input';
import type { PullProgress } from '../src-shared/schemas/local-models';
import type { Notice } from '../src-shared/schemas/notice';
import type { StoredTask, TaskTraceEvent } from '../src-shared/schemas/stored-task';
import { createCallRunner } from './calls/call-runner';
import { createRateLimiter } from './calls/rate-limiter';
import { createChatService } from './chat/chat-service';
import { createConnectionLookup } from './connections/connection-lookup';
import { createConnectionService } from './connections/connection-service';
import { createLocalModelService } from './connections/local-model-service';
import { createHealthMonitor } from './health/health-monitor';
import type { ProviderAdapterOptions } from './providers/registry';
import { createPriceBook } from './providers/prices/price-book';
import { createTokenCounter } from './providers/token-counter';
import { createRouterService } from './routing/router-service';
import { createBudgetWatch } from './routing/budget-watch';
import { createSpendTracker } from './routing/spend-tracker';
import { keychainProviderKeys, type ProviderKeyStore } from './secrets/provider-keys';
import { createSecretLedger } from './secrets/secret-ledger';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsService } from './settings/settings-service';
import { entryToStore, retentionFor } from './storage/call-log-settings';
import { createCallLogRepository } from './storage/call-log-repository';
import { createConversationsRepository } from './storage/conversations-repository';
import type { Database } from './storage/database';
import { createMessagesRepository } from './storage/messages-repository';
import { createTasksRepository } from './storage/tasks-repository';
import { createTaskRunner } from './tasks/task-runner';

/** What the services tell the window; every one optional (the headless gateway has no window). */
export interface ServiceEvents {
  connections?(list: ConnectionView[]): void;
  chatDelta?(event: { conversationId: string; messageId: number; text: string }): void;
  chatMessage?(view: ChatMessageView): void;
  chatConversations?(list: ConversationSummary[]): void;
  task?(task: StoredTask): void;
  taskDelta?(event: { taskId: string; text: string; reset: boolean }): void;
  taskTrace?(event: { taskId: string; events: TaskTraceEvent[] }): void;
  /** Calls were written to the log. */
  callsLogged?(count: number): void;
  /** Something the user should see once (a connection near or over its monthly cap). */
  notice?(notice: Notice): void;
  /** A model pull on a local server moved on. */
  pullProgress?(progress: PullProgress): void;
}

export interface CoreServicesOptions {
  settings: SettingsService;
  secrets: SecretStore;
  /** Provider keys; defaults to the keychain (`secrets`) with each key bound to its origin. */
  providerKeys?: ProviderKeyStore;
  database: Database;
  isOnline?(): boolean;
  events?: ServiceEvents;
  /** Override the idle probe interval (tests). */
  idleProbeMs?: number;
  adapterOptions?: ProviderAdapterOptions;
  /** Where a refreshed price list is kept (the data folder); without it the shipped snapshot is used. */
  pricesFile?: string;
  /** fetch for "Refresh prices" (tests). */
  pricesFetch?: typeof fetch;
}

export const timer = (callback: () => void, ms: number) => {
  const handle = setTimeout(callback, ms);
  return { cancel: () => clearTimeout(handle) };
};

const clock = {
  now: Date.now,
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const handle = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(handle);
          resolve();
        },
        { once: true },
      );
    }),
};

export function createCoreServices(options: CoreServicesOptions) {
  const { settings, secrets, database } = options;
  const events = options.events ?? {};
  const secretLedger = createSecretLedger();
  let publishConnections = () => {};
  let wakeTasks = () => {};
  const health = createHealthMonitor({
    now: Date.now,
    setTimer: timer,
    probe: async (connectionId, signal) => {
      await (await connections.adapter(connectionId)).probe({ signal });
      // A local server's load state is refreshed with its health.
      void localModels.refreshLoaded(connectionId);
    },
    routedConnectionIds: () => connections.routedConnectionIds(),
    isOnline: options.isOnline ?? (() => true),
    onChange: () => {
      publishConnections();
      wakeTasks();
    },
    ...(options.idleProbeMs ? { idleProbeMs: options.idleProbeMs } : {}),
  });
  // Each connection's own limits and its provider's word on them (DESIGN.md "Limits, cost, budgets").
  const connectionById = createConnectionLookup(settings);
  const rateLimiter = createRateLimiter({
    now: Date.now,
    limits: (connectionId) => connectionById(connectionId)?.rateLimits,
    onHold: (connectionId, coolOff) => health.record(connectionId, { type: 'cool-off', coolOff }),
    onLearned: () => publishConnections(),
  });
  const prices = createPriceBook({
    now: Date.now,
    ...(options.pricesFile ? { file: options.pricesFile } : {}),
    ...(options.pricesFetch ? { fetch: options.pricesFetch } : {}),
  });
  const connections = createConnectionService({
    settings,
    keys: options.providerKeys ?? keychainProviderKeys(secrets),
    ledger: secretLedger,
    health,
    now: Date.now,
    prices: () => prices.list(),
    adapterOptions: {
      keepAlive: () => settings.get().localModels.keepAlive,
      onRateLimits: (connectionId, learned) => rateLimiter.learn(connectionId, learned),
      ...options.adapterOptions,
    },
    loadedModels: (connectionId) => localModels.loadedOf(connectionId),
    learnedRateLimits: (connectionId) => rateLimiter.learned(connectionId),
  });
  const localModels = createLocalModelService({
    settings,
    connections,
    now: Date.now,
    onPullProgress: (progress) => events.pullProgress?.(progress),
    onLoadedChange: () => publishConnections(),
    log: (message) => console.warn(`[local models] ${message}`),
  });
  let publishTimer: { cancel(): void } | undefined;
  publishConnections = () => {
    if (!events.connections) return;
    publishTimer?.cancel();
    publishTimer = timer(() => void connections.list().then((list) => events.connections?.(list)), 30);
  };

  const callLog = createCallLogRepository(database);
  const tasksRepository = createTasksRepository(database);
  const spend = createSpendTracker(callLog);
  const router = createRouterService({
    settings,
    health,
    now: Date.now,
    // A task's own cost so far counts against its agent's cost ceiling.
    spend: async (taskId) => ({
      ...(await spend.snapshot()),
      taskCostUsd: taskId ? ((await tasksRepository.get(taskId))?.costUsd ?? 0) : 0,
    }),
    escalation: () => settings.get().escalations,
  });
  const budgets = createBudgetWatch({
    settings,
    spend: () => spend.snapshot(),
    router,
    notify: (notice) => events.notice?.(notice),
    now: Date.now,
  });
  const runner = createCallRunner({
    router,
    connections,
    health,
    settings,
    clock,
    random: { next: Math.random },
    callLog: {
      record: async (entry, keys) => {
        spend.add(entry.connectionId, entry.costUsd, entry.at);
        // A call to a local server may have loaded (or swapped) a model: the provider row shows it.
        void localModels.refreshLoaded(entry.connectionId);
        await callLog.record(entryToStore(entry, settings.get().callLog), { secrets: keys });
        events.callsLogged?.(1);
        if (entry.costUsd) void budgets.check(entry.connectionId).catch(() => undefined);
      },
    },
    // Every secret held this session (keys read, written or rotated away, gateway tokens).
    secrets: async () => secretLedger.all(),
    prices: () => prices.list(),
    rateLimiter,
  });
  const tokenCounter = createTokenCounter();
  const conversations = createConversationsRepository(database);
  const chat = createChatService({
    conversations,
    messages: createMessagesRepository(database),
    runner,
    router,
    settings,
    now: Date.now,
    setTimer: timer,
    emitDelta: (event) => events.chatDelta?.(event),
    emitMessage: (view) => events.chatMessage?.(view),
    emitConversations: (list) => events.chatConversations?.(list),
    tokenCounter,
  });
  const tasks = createTaskRunner({
    tasks: tasksRepository,
    runner,
    router,
    settings,
    health,
    now: Date.now,
    setTimer: timer,
    emitTask: (task) => events.task?.(task),
    emitDelta: (event) => events.taskDelta?.(event),
    emitTrace: (event) => events.taskTrace?.(event),
    tokenCounter,
  });
  wakeTasks = () => tasks.wake();
  let contextTokens = settings.get().localModels.contextTokens;
  const unsubscribe = settings.onChange((current) => {
    // A new context setting changes the context every local model runs with.
    if (current.localModels.contextTokens !== contextTokens) {
      contextTokens = current.localModels.contextTokens;
      connections.applyLocalModelSettings();
    }
    publishConnections();
    health.reschedule();
    tasks.wake();
  });

  let housekeeping: ReturnType<typeof setInterval> | undefined;

  return {
    settings,
    secrets,
    secretLedger,
    database,
    health,
    connections,
    localModels,
    prices,
    router,
    runner,
    callLog,
    chat,
    tasks,
    tokenCounter,
    /** Recovers what a crash cut off, then starts probing and resumes queued and paused tasks. */
    async start() {
      void tokenCounter.warm();
      await chat.recover();
      // Deleted conversations past their undo window and calls past retention go away quietly.
      await conversations.purgeDeleted().catch(() => 0);
      await callLog.prune(retentionFor(settings.get().callLog)).catch(() => undefined);
      housekeeping = setInterval(() => void conversations.purgeDeleted().catch(() => 0), 60_000);
      housekeeping.unref?.();
      health.reschedule();
      void localModels.warmPrimary();
      await tasks.start();
    },
    async stop() {
      if (housekeeping) clearInterval(housekeeping);
      unsubscribe();
      publishTimer?.cancel();
      health.stop();
      tasks.stop();
      await database.close();
    },
  };
}

export type CoreServices = ReturnType<typeof createCoreServices>;
