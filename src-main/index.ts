// Composition root: builds every service and wires them together. No logic of its own.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, nativeTheme, session, shell } from 'electron';
import { installAppMenu } from './app/app-menu';
import { createEventSender } from './app/event-sender';
import { createMainWindow } from './app/main-window';
import { createNoticeCenter } from './app/notice-center';
import { applySessionSecurity, guardWebContents } from './app/security';
import { createSenderGuard } from './app/sender-guard';
import { createAppHandlers, isSafeExternalUrl } from './ipc/app-handlers';
import { registerHandlers } from './ipc/register-handlers';
import { createElectronSettingsStore } from './settings/electron-settings-store';
import { createSettingsService } from './settings/settings-service';

const userDataOverride = process.env.SWITCHBOARD_USER_DATA;
if (userDataOverride) app.setPath('userData', userDataOverride);

const rendererUrl =
  process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(fileURLToPath(new URL('../renderer/index.html', import.meta.url))).href;
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

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

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

void start();
