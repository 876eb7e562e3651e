// Composition root of the window app's main thread: the window, the app protocol, security, menus,
// OS notifications, the keychain and the settings file. Every service runs in the services thread
// (services-worker.ts) so that routing, the call log and a busy gateway never hold up the window.
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, ipcMain, nativeTheme, net, protocol, session, shell } from 'electron';
import type { StoredTask } from '../src-shared/schemas/stored-task';
import { APP_SCHEME, createAppProtocolHandler, registerAppScheme, rendererUrlFor } from './app/app-protocol';
import { installAppMenu } from './app/app-menu';
import { createEventSender } from './app/event-sender';
import { createMainWindow } from './app/main-window';
import { showOsNotification } from './app/os-notification';
import { applySessionSecurity, CONTENT_SECURITY_POLICY, createExternalOpener, guardWebContents } from './app/security';
import { createSenderGuard } from './app/sender-guard';
import { registerDispatch } from './ipc/register-handlers';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import { createElectronSettingsStore } from './settings/electron-settings-store';
import { SETTINGS_FILE_NAME, type PersistentStore } from './settings/settings-service';
import { createTaskAlerts } from './tasks/task-alerts';
import { startServicesThread } from './thread/services-thread';

const userDataOverride = process.env.SWITCHBOARD_USER_DATA;
if (userDataOverride) app.setPath('userData', userDataOverride);

const rendererUrl = rendererUrlFor({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL });
const rendererDirectory = fileURLToPath(new URL('../renderer', import.meta.url));
registerAppScheme(protocol);
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const servicesWorkerUrl = new URL('./services-worker.js', import.meta.url);
const storageWorkerUrl = new URL('./storage-worker.js', import.meta.url);
/** How often main looks whether the machine went on- or offline (Electron has no event for it). */
const ONLINE_CHECK_MS = 5_000;

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

  const sendEvent = createEventSender(() => mainWindow);
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
  nativeTheme.on('updated', () => sendEvent('app:theme.changed', { dark: nativeTheme.shouldUseDarkColors }));

  const dataDirectory = app.getPath('userData');
  const secrets = new KeytarSecretStore({ service: process.env.SWITCHBOARD_KEYCHAIN_SERVICE });
  // Opened once the services thread has read (and, if it was damaged, moved aside) the settings file.
  let settingsFile: PersistentStore | null = null;
  let online = net.isOnline();
  const services = startServicesThread({
    workerUrl: servicesWorkerUrl,
    data: {
      dataDirectory,
      storageWorkerUrl: storageWorkerUrl.href,
      info: { name: app.getName(), version: app.getVersion(), platform: process.platform, dataDirectory },
      online,
      ollamaUrl: process.env.SWITCHBOARD_OLLAMA_URL ?? 'http://127.0.0.1:11434',
      ...(Number(process.env.SWITCHBOARD_HEALTH_PROBE_INTERVAL_MS)
        ? { idleProbeMs: Number(process.env.SWITCHBOARD_HEALTH_PROBE_INTERVAL_MS) }
        : {}),
    },
    host: {
      secrets,
      saveSettings: (settings) => {
        settingsFile ??= createElectronSettingsStore({ cwd: dataDirectory, name: SETTINGS_FILE_NAME });
        settingsFile.store = settings;
      },
      sendEvent: (channel, payload) => {
        if (channel === 'app:tasks.updated') taskAlerts.observe(payload as StoredTask);
        sendEvent(channel, payload as never);
      },
      openExternal,
      writeClipboard: (text) => clipboard.writeText(text),
      onTasksPage: (open) => (tasksPageOpen = open),
      log: (message) => console.error(`[services] ${message}`),
    },
  });
  setInterval(() => {
    if (net.isOnline() === online) return;
    online = !online;
    services.setOnline(online);
  }, ONLINE_CHECK_MS).unref();

  registerDispatch(ipcMain, services.dispatch, {
    isTrustedSender: createSenderGuard(rendererUrl),
    log: (message) => console.warn(`[ipc] ${message}`),
  });

  const settings = await services.loaded;
  let windowState = settings.window;
  const openWindow = () => {
    mainWindow = createMainWindow({
      preloadPath,
      rendererUrl,
      devTools: !app.isPackaged,
      savedState: windowState,
      dark: nativeTheme.shouldUseDarkColors,
      onStateChange: (window) => {
        windowState = window;
        services.saveWindowState(window);
      },
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

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('will-quit', () => void services.stop());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

void start();
