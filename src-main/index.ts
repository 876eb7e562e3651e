// Composition root: builds every service and wires them together. No logic of its own.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { app, BrowserWindow, clipboard, ipcMain, nativeTheme, net, session, shell } from 'electron';
import { installAppMenu } from './app/app-menu';
import { createEventSender } from './app/event-sender';
import { createMainWindow } from './app/main-window';
import { createNoticeCenter } from './app/notice-center';
import { applySessionSecurity, guardWebContents } from './app/security';
import { createSenderGuard } from './app/sender-guard';
import { createCallRunner } from './calls/call-runner';
import { createChatService } from './chat/chat-service';
import { createConnectionService } from './connections/connection-service';
import { createHealthMonitor } from './health/health-monitor';
import { createAppHandlers, isSafeExternalUrl } from './ipc/app-handlers';
import { createChatHandlers } from './ipc/chat-handlers';
import { createConnectionHandlers } from './ipc/connection-handlers';
import { createRoutingHandlers } from './ipc/routing-handlers';
import { createTaskHandlers } from './ipc/task-handlers';
import { createTaskRunner } from './tasks/task-runner';
import { createTasksRepository } from './storage/tasks-repository';
import { createRouterService } from './routing/router-service';
import { detectLocalOllama } from './providers/ollama-detect';
import { providerProfiles } from './providers/registry';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import { createCallLogRepository } from './storage/call-log-repository';
import { createConversationsRepository } from './storage/conversations-repository';
import { openDatabase } from './storage/database';
import { createMessagesRepository } from './storage/messages-repository';
import { registerHandlers } from './ipc/register-handlers';
import { createElectronSettingsStore } from './settings/electron-settings-store';
import { createSettingsService } from './settings/settings-service';

const userDataOverride = process.env.SWITCHBOARD_USER_DATA;
if (userDataOverride) app.setPath('userData', userDataOverride);

const rendererUrl =
  process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(fileURLToPath(new URL('../renderer/index.html', import.meta.url))).href;
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const storageWorkerUrl = new URL('./storage-worker.js', import.meta.url);

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let mainWindow: BrowserWindow | null = null;
  const focusWindow = () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };
  app.on('second-instance', focusWindow);

  const isAppUrl = (url: string) => createSenderGuard(rendererUrl)({ senderFrame: { url, parent: null } });
  const openExternal = (url: string) => shell.openExternal(url);
  guardWebContents(app, { isAppUrl, openExternal: (url) => void openExternal(url), isSafeExternalUrl });

  await app.whenReady();
  applySessionSecurity(session.defaultSession);
  nativeTheme.themeSource = 'system';

  const sendEvent = createEventSender(() => mainWindow);
  const notices = createNoticeCenter();
  notices.onChange((list) => sendEvent('app:notices.changed', list));
  const settings = createSettingsService({
    directory: app.getPath('userData'),
    createStore: createElectronSettingsStore,
    onNotice: notices.add,
  });
  settings.onChange((value) => sendEvent('app:settings.changed', value));
  nativeTheme.on('updated', () => sendEvent('app:theme.changed', { dark: nativeTheme.shouldUseDarkColors }));

  const secrets = new KeytarSecretStore({ service: process.env.SWITCHBOARD_KEYCHAIN_SERVICE });
  let publishConnections = () => {};
  let wakeTasks = () => {};
  const health = createHealthMonitor({
    now: Date.now,
    setTimer: (callback, ms) => {
      const handle = setTimeout(callback, ms);
      return { cancel: () => clearTimeout(handle) };
    },
    probe: async (connectionId, signal) => (await connections.adapter(connectionId)).probe({ signal }),
    routedConnectionIds: () => connections.routedConnectionIds(),
    isOnline: () => net.isOnline(),
    onChange: () => {
      publishConnections();
      wakeTasks();
    },
    idleProbeMs: Number(process.env.SWITCHBOARD_HEALTH_PROBE_INTERVAL_MS) || undefined,
  });
  const connections = createConnectionService({ settings, secrets, health, now: Date.now });
  let publishTimer: ReturnType<typeof setTimeout> | undefined;
  publishConnections = () => {
    clearTimeout(publishTimer);
    publishTimer = setTimeout(() => {
      void connections.list().then((list) => sendEvent('app:connections.changed', list));
    }, 30);
  };
  settings.onChange(() => {
    publishConnections();
    health.reschedule();
  });
  const database = await openDatabase({
    filePath: join(app.getPath('userData'), 'switchboard.db'),
    workerUrl: storageWorkerUrl,
    onNotice: notices.add,
  });
  const conversations = createConversationsRepository(database);
  const messages = createMessagesRepository(database);
  const callLog = createCallLogRepository(database);
  const router = createRouterService({
    settings,
    health,
    now: Date.now,
    spend: async () => ({
      monthToDateUsd: Object.fromEntries((await callLog.monthToDateSpend()).map((row) => [row.connectionId, row.costUsd])),
      taskCostUsd: 0,
    }),
    escalation: () => settings.get().escalations,
  });
  const timer = (callback: () => void, ms: number) => {
    const handle = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(handle) };
  };
  const runner = createCallRunner({
    router,
    connections,
    health,
    settings,
    clock: {
      now: Date.now,
      sleep: (ms, signal) =>
        new Promise<void>((resolve) => {
          const handle = setTimeout(resolve, ms);
          signal?.addEventListener('abort', () => (clearTimeout(handle), resolve()), { once: true });
        }),
    },
    random: { next: Math.random },
    callLog: { record: async (entry, secrets) => void (await callLog.record(entry, { secrets })) },
    secrets: async () => {
      const keys = await Promise.all(settings.get().connections.map((connection) => secrets.get(connection.id).catch(() => null)));
      return keys.filter((key): key is string => Boolean(key));
    },
  });
  const chat = createChatService({
    conversations,
    messages,
    runner,
    router,
    settings,
    now: Date.now,
    setTimer: timer,
    emitDelta: (event) => sendEvent('app:chat.delta', event),
    emitMessage: (view) => sendEvent('app:chat.message', view),
    emitConversations: (list) => sendEvent('app:chat.conversations', list),
  });
  await chat.recover();
  const tasks = createTaskRunner({
    tasks: createTasksRepository(database),
    runner,
    router,
    settings,
    health,
    now: Date.now,
    setTimer: timer,
    emitTask: (task) => sendEvent('app:tasks.updated', task),
    emitDelta: (event) => sendEvent('app:tasks.delta', event),
    emitTrace: (event) => sendEvent('app:tasks.trace', event),
  });
  settings.onChange(() => tasks.wake());
  wakeTasks = () => tasks.wake();
  const ollamaUrl = process.env.SWITCHBOARD_OLLAMA_URL ?? 'http://127.0.0.1:11434';

  registerHandlers(
    ipcMain,
    {
      ...createAppHandlers({
        info: {
          name: app.getName(),
          version: app.getVersion(),
          platform: process.platform,
          dataDirectory: app.getPath('userData'),
        },
        settings,
        notices,
        openExternal,
      }),
      ...createRoutingHandlers({ settings, router }),
      ...createChatHandlers({ chat, writeClipboard: (text) => clipboard.writeText(text) }),
      ...createTaskHandlers({ tasks, settings }),
      ...createConnectionHandlers({
        connections,
        profiles: providerProfiles,
        detectOllama: async () => {
          const models = await detectLocalOllama(fetch, ollamaUrl);
          return models ? { baseUrl: ollamaUrl, models } : null;
        },
      }),
    },
    { isTrustedSender: createSenderGuard(rendererUrl), log: (message) => console.warn(`[ipc] ${message}`) },
  );

  const openWindow = () => {
    mainWindow = createMainWindow({
      preloadPath,
      rendererUrl,
      savedState: settings.get().window,
      dark: nativeTheme.shouldUseDarkColors,
      onStateChange: (window) => settings.update((current) => ({ ...current, window })),
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };
  installAppMenu(process.platform, {
    openSettings: () => sendEvent('app:view.show', { view: 'settings' }),
  });
  openWindow();
  health.reschedule();
  void tasks.start();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('before-quit', () => {
    health.stop();
    tasks.stop();
  });
  app.on('will-quit', () => void database.close());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

void start();
