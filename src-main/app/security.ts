import type { App, Session, WebContents, WebPreferences } from 'electron';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import { externalLinkProblem } from '../../src-shared/schemas/external-link';

/** The renderer never talks to the network itself: everything goes through main. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The window's web preferences. No experimental or extra Blink features; DevTools only in a
 * development build (a packaged one cannot open them, whatever the menu or a shortcut asks).
 */
export function secureWebPreferences(preloadPath: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload: preloadPath,
    devTools: options.devTools,
    experimentalFeatures: false,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  };
}

/** Sends the CSP as a header for pages not served by the app:// handler too (the dev server). */
export function applySessionSecurity(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  // No camera, microphone, notifications, geolocation, clipboard-read, ...: deny everything.
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Every web contents: no navigation or redirect away from the app, no new windows, no webviews.
 * Links never open from here (a middle-click or window.open is simply refused): they go through the
 * window's prompt that shows the full address, then app:app.openExternal.
 */
export function guardWebContents(app: Pick<App, 'on'>, options: { isAppUrl(url: string): boolean }): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!options.isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!options.isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/**
 * Main's own door to the OS browser refuses anything but plain http(s), whoever asks (defence in
 * depth: the IPC handler checks the same rule first).
 */
export function createExternalOpener(open: (url: string) => Promise<void>): (url: string) => Promise<void> {
  return async (url) => {
    const problem = externalLinkProblem(url);
    if (problem) throw new AppErrorException(appError('validation_failed', `This link cannot be opened: ${problem}.`, { field: 'url' }));
    await open(url);
  };
}
