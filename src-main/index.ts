// Composition root: builds every service and wires them together. No logic of its own.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { app, BrowserWindow, clipboard, ipcMain, nativeTheme, net, protocol, session, shell } from 'electron';
import { APP_SCHEME, createAppProtocolHandler, registerAppScheme, rendererUrlFor } from './app/app-protocol';
import { installAppMenu } from './app/app-menu';
import { coalesceStreamedText, createEventSender } from './app/event-sender';
import { createMainWindow } from './app/main-window';
import { showOsNotification } from './app/os-notification';
import { createNoticeCenter } from './notices/notice-center';
import { applySessionSecurity, CONTENT_SECURITY_POLICY, createExternalOpener, guardWebContents } from './app/security';
import { createSenderGuard } from './app/sender-guard';
import { createGatewayClients } from './gateway/gateway-clients';
import { createGatewayController } from './gateway/gateway-controller';
import { createConfigDraft } from './config/config-draft';
import { createConfigService } from './config/config-service';
import { createConfigHistoryRepository } from './storage/config-history-repository';
import { detectLocalOllama } from './providers/ollama-detect';
import { providerProfiles } from './providers/registry';
import { migrateKeychainQuietly } from './secrets/keychain-migration';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import { createCoreServices } from './services';
import { openDatabase } from './storage/database';
import { createAllHandlers } from './ipc/all-handlers';
import { registerHandlers } from './ipc/register-handlers';
import { createElectronSettingsStore } from './settings/electron-settings-store';
import { createSettingsService } from './settings/settings-service';
import { createTaskAlerts } from './tasks/task-alerts';

const userDataOverride = process.env.SWITCHBOARD_USER_DATA;
if (userDataOverride) app.setPath('userData', userDataOverride);

const rendererUrl = rendererUrlFor({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL });
const rendererDirectory = fileURLToPath(new URL('../renderer', import.meta.url));
registerAppScheme(protocol);
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
  const openExternal = createExternalOpener((url) => shell.openExternal(url));
  guardWebContents(app, { isAppUrl });

  await app.whenReady();
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({ rootDirectory: rendererDirectory, contentSecurityPolicy: CONTENT_SECURITY_POLICY }),
  );
  applySessionSecurity(session.defaultSession);
  nativeTheme.themeSource = 'system';

  // Streamed text goes about once a frame, not once per token (see coalesceStreamedText).
  const sendEvent = coalesceStreamedText(createEventSender(() => mainWindow));
  // A task that ends or pauses while the user is elsewhere is told by the operating system.
  let tasksPageOpen = false;
  const taskAlerts = createTaskAlerts({
    userIsWatching: () => tasksPageOpen && Boolean(mainWindow?.isFocused()),
    notify: (alert) =>
      showOsNotification(alert, () => {
        focusWindow();
        sendEvent('app:view.show', { view: 'tasks', taskId: alert.taskId });
      }),
  });
  const notices = createNoticeCenter();
  notices.onChange((list) => sendEvent('app:notices.changed', list));
  const settings = createSettingsService({
    directory: app.getPath('userData'),
    createStore: createElectronSettingsStore,
    onNotice: notices.add,
  });
  settings.onChange((value) => sendEvent('app:settings.changed', value));
  nativeTheme.on('updated', () => sendEvent('app:theme.changed', { dark: nativeTheme.shouldUseDarkColors }));

  const database = await openDatabase({
    filePath: join(app.getPath('userData'), 'switchboard.db'),
    workerUrl: storageWorkerUrl,
    onNotice: notices.add,
  });
  const secrets = new KeytarSecretStore({ service: process.env.SWITCHBOARD_KEYCHAIN_SERVICE });
  // Before anything reads a key: old entries move to names that cannot collide.
  await migrateKeychainQuietly(secrets, settings.get().connections, ({ title, detail }) =>
    notices.add({ id: 'keychain-migration', level: 'warning', title, detail, at: Date.now() }),
  );
  const services = createCoreServices({
    settings,
    secrets,
    database,
    isOnline: () => net.isOnline(),
    pricesFile: join(app.getPath('userData'), 'prices.json'),
    idleProbeMs: Number(process.env.SWITCHBOARD_HEALTH_PROBE_INTERVAL_MS) || undefined,
    events: {
      connections: (list) => sendEvent('app:connections.changed', list),
      chatDelta: (event) => sendEvent('app:chat.delta', event),
      chatMessage: (view) => sendEvent('app:chat.message', view),
      chatConversations: (list) => sendEvent('app:chat.conversations', list),
      task: (task) => {
        sendEvent('app:tasks.updated', task);
        taskAlerts.observe(task);
      },
      taskDelta: (event) => sendEvent('app:tasks.delta', event),
      taskTrace: (event) => sendEvent('app:tasks.trace', event),
      callsLogged: (count) => sendEvent('app:activity.logged', { count }),
      notice: notices.add,
      pullProgress: (progress) => sendEvent('app:localModels.pullProgress', progress),
    },
  });
  const { connections, router, chat, tasks } = services;
  const draft = createConfigDraft({
    settings,
    now: Date.now,
    file: join(app.getPath('userData'), 'config-draft.json'),
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
    secrets: services.secrets,
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
  const ollamaUrl = process.env.SWITCHBOARD_OLLAMA_URL ?? 'http://127.0.0.1:11434';

  registerHandlers(
    ipcMain,
    createAllHandlers({
      app: {
        info: {
          name: app.getName(),
          version: app.getVersion(),
          platform: process.platform,
          dataDirectory: app.getPath('userData'),
        },
        settings,
        notices,
        openExternal,
      },
      routing: { settings, router, draft },
      config: { config, draft, settings, now: Date.now },
      chat: { chat, writeClipboard: (text) => clipboard.writeText(text) },
      tasks: { tasks, settings, onTasksPage: (open) => (tasksPageOpen = open) },
      activity: { callLog: services.callLog },
      spend: { prices: services.prices, callLog: services.callLog },
      gateway: { gateway, clients: gatewayClients },
      localModels: { localModels: services.localModels },
      connections: {
        connections,
        profiles: providerProfiles,
        detectOllama: async () => {
          const models = await detectLocalOllama(fetch, ollamaUrl);
          return models ? { baseUrl: ollamaUrl, models } : null;
        },
      },
    }),
    { isTrustedSender: createSenderGuard(rendererUrl), log: (message) => console.warn(`[ipc] ${message}`) },
  );

  const openWindow = () => {
    mainWindow = createMainWindow({
      preloadPath,
      rendererUrl,
      devTools: !app.isPackaged,
      savedState: settings.get().window,
      dark: nativeTheme.shouldUseDarkColors,
      onStateChange: (window) => settings.update((current) => ({ ...current, window })),
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };
  installAppMenu(
    { platform: process.platform, isPackaged: app.isPackaged },
    {
      openSettings: () => sendEvent('app:view.show', { view: 'settings' }),
    },
  );
  openWindow();
  await services.start();
  await gatewayClients.start();
  await gateway.start();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('will-quit', () => void gateway.stop().then(() => services.stop()));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

void start();
