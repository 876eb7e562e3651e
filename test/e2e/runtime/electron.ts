// A small, faithful stand-in for the `electron` module so the real built main process, preload and
// renderer run end to end without an Electron binary: BrowserWindow -> a Chromium page (Playwright),
// ipcMain/ipcRenderer -> a page binding, contextBridge -> window properties, app paths -> a temp dir,
// webContents.send -> an event in the page, protocol.handle -> a loopback server answering from the
// app's handler (see app-scheme.ts). It records what the app asks for (webPreferences, CSP,
// permission answers, window-open answers) in <userData>/e2e-runtime.json for tests to assert.
// Test-only: nothing here ships in the app.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { appUrlFor, pageUrlFor } from './app-scheme.ts';
import { DELIVER_FUNCTION, INVOKE_BINDING, preloadInitScript } from './preload-shim.ts';

const userData = process.env.SWITCHBOARD_USER_DATA ?? mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  productName: string;
};

/** What the app asked of the shell, written to <userData>/e2e-runtime.json for tests. */
export interface RuntimeRecord {
  windows: Array<{ options: Record<string, unknown>; webPreferences: Record<string, unknown>; url: string | null }>;
  cspHeaders: string[];
  permissionRequestGranted: boolean | null;
  permissionCheckGranted: boolean | null;
  windowOpenResults: Array<{ url: string; action: string }>;
  openedExternally: string[];
  menu: string[];
  refusedNavigations: string[];
  /** ms from the app's entry module starting until main first asked a window to load (its own start-up work). */
  mainStartMs: number | null;
  clipboard: string[];
  /** Schemes registered with protocol.registerSchemesAsPrivileged, and whether that came before ready. */
  privilegedSchemes: Array<{ scheme: string; privileges: Record<string, unknown>; beforeReady: boolean }>;
  /** Every request the page made to a protocol.handle scheme, as the app's handler answered it. */
  protocolResponses: Array<{ url: string; status: number; contentType: string | null; csp: string | null }>;
  /** Hostile addresses put to the app's handler as soon as it is installed, and its answers. */
  protocolProbes: Array<{ url: string; status: number; body: string }>;
  /** OS notifications the app showed, in order. */
  notifications: Array<{ title: string; body: string }>;
}

const record: RuntimeRecord = {
  clipboard: [],
  privilegedSchemes: [],
  protocolResponses: [],
  protocolProbes: [],
  mainStartMs: null,
  windows: [],
  cspHeaders: [],
  permissionRequestGranted: null,
  permissionCheckGranted: null,
  windowOpenResults: [],
  openedExternally: [],
  menu: [],
  refusedNavigations: [],
  notifications: [],
};
function saveRecord(): void {
  writeFileSync(join(userData, 'e2e-runtime.json'), JSON.stringify(record, null, 2));
}

// ---------------------------------------------------------------- browser
let contextPromise: Promise<BrowserContext> | null = null;
let profileDirectory: string | null = null;

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function browserContext(): Promise<BrowserContext> {
  contextPromise ??= (async () => {
    const port = await freePort();
    profileDirectory = mkdtempSync(join(tmpdir(), 'switchboard-chromium-'));
    const context = await chromium.launchPersistentContext(profileDirectory, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1200, height: 800 },
      colorScheme: process.env.SWITCHBOARD_E2E_DARK === '1' ? 'dark' : 'light',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--remote-debugging-port=${port}`,
      ],
    });
    await context.exposeBinding(INVOKE_BINDING, async (source, channel: string, args: unknown[]) => {
      const handler = invokeHandlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const window = BrowserWindow.fromPage(source.page);
      const event = { sender: window?.webContents ?? null, senderFrame: frameInfo(source.frame) };
      return await handler(event, ...(Array.isArray(args) ? args : []));
    });
    process.stdout.write(`SWITCHBOARD_E2E_CDP=http://127.0.0.1:${port}\n`);
    return context;
  })();
  return contextPromise;
}

/** What Electron would report as the frame's address: app:// for pages served by protocol.handle. */
function frameInfo(frame: Frame): { url: string; parent: object | null } {
  return { url: appUrlFor(frame.url()) ?? frame.url(), parent: frame.parentFrame() ? {} : null };
}

// ---------------------------------------------------------------- app
type Listener = (...args: unknown[]) => void;

class App extends EventEmitter {
  isPackaged = false;
  private paths = new Map<string, string>([
    ['userData', userData],
    ['appData', userData],
    ['logs', join(userData, 'logs')],
    ['temp', tmpdir()],
    ['home', tmpdir()],
  ]);
  ready = false;
  private readyPromise = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    this.ready = true;
    this.emit('ready');
  });
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`e2e runtime: app.getPath('${name}') is not provided`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getName(): string {
    return packageJson.productName;
  }
  getVersion(): string {
    return packageJson.version;
  }
  quit(): void {
    void shutdown(0);
  }
  exit(code = 0): void {
    void shutdown(code);
  }
}
export const app = new App();

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  app.emit('before-quit');
  for (const window of [...BrowserWindow.getAllWindows()]) window.emit('close', { preventDefault() {} });
  app.emit('will-quit');
  try {
    const context = await contextPromise;
    await context?.close();
  } catch {
    // the browser may already be gone
  }
  if (profileDirectory) rmSync(profileDirectory, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));

// ---------------------------------------------------------------- ipcMain
type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
const invokeHandlers = new Map<string, InvokeHandler>();

class IpcMain extends EventEmitter {
  handle(channel: string, handler: InvokeHandler): void {
    if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    invokeHandlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    invokeHandlers.delete(channel);
  }
}
export const ipcMain = new IpcMain();

// ---------------------------------------------------------------- webContents and windows
type WindowOpenHandler = (details: { url: string }) => { action: string };

class WebContents extends EventEmitter {
  private window: BrowserWindow;
  windowOpenHandler: WindowOpenHandler | null = null;
  readonly session = session.defaultSession;
  constructor(window: BrowserWindow) {
    super();
    this.window = window;
  }
  send(channel: string, payload: unknown): void {
    void this.window.page
      .then((page) =>
        page.evaluate(
          ([name, eventChannel, value]) => {
            const deliver = (globalThis as unknown as Record<string, unknown>)[name];
            if (typeof deliver === 'function') deliver(eventChannel, value);
          },
          [DELIVER_FUNCTION, channel, payload] as const,
        ),
      )
      .catch(() => undefined); // like Electron: events sent while the page is (re)loading are lost
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
    for (const url of ['https://example.com/docs', 'http://example.com/', 'file:///etc/passwd']) {
      record.windowOpenResults.push({ url, action: handler({ url }).action });
    }
    saveRecord();
  }
  isDestroyed(): boolean {
    return this.window.isDestroyed();
  }
  openDevTools(): void {}
}

export class BrowserWindow extends EventEmitter {
  private static windows: BrowserWindow[] = [];
  private static byPage = new WeakMap<Page, BrowserWindow>();
  readonly webContents: WebContents;
  readonly page: Promise<Page>;
  private destroyed = false;
  private bounds: { x: number; y: number; width: number; height: number };
  private recordIndex: number;

  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.windows.filter((window) => !window.destroyed);
  }
  static fromPage(page: Page): BrowserWindow | undefined {
    return BrowserWindow.byPage.get(page);
  }

  constructor(options: Record<string, unknown> = {}) {
    super();
    const webPreferences = (options.webPreferences ?? {}) as Record<string, unknown>;
    this.bounds = {
      x: (options.x as number | undefined) ?? 0,
      y: (options.y as number | undefined) ?? 0,
      width: (options.width as number | undefined) ?? 800,
      height: (options.height as number | undefined) ?? 600,
    };
    this.recordIndex = record.windows.push({ options: { ...options, webPreferences: undefined }, webPreferences, url: null }) - 1;
    saveRecord();
    this.webContents = new WebContents(this);
    BrowserWindow.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
    this.page = browserContext().then(async (context) => {
      const existing = context.pages().find((page) => !BrowserWindow.byPage.has(page));
      const page = existing ?? (await context.newPage());
      BrowserWindow.byPage.set(page, this);
      await page.setViewportSize({ width: this.bounds.width, height: this.bounds.height });
      if (typeof webPreferences.preload === 'string') {
        await page.addInitScript({ content: preloadInitScript(readFileSync(webPreferences.preload, 'utf8')) });
      }
      await this.guardNavigation(page);
      page.on('close', () => this.destroy());
      return page;
    });
  }

  /**
   * Electron's will-navigate: the app may prevent a navigation away from itself (addresses of a
   * handled scheme are reported as the app:// ones they stand for).
   */
  private async guardNavigation(page: Page): Promise<void> {
    await page.route('**/*', async (route) => {
      const request = route.request();
      const appUrl = appUrlFor(request.url());
      if (request.isNavigationRequest() && request.frame() === page.mainFrame() && page.url() !== 'about:blank') {
        let prevented = false;
        this.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, appUrl ?? request.url());
        if (prevented) {
          record.refusedNavigations.push(appUrl ?? request.url());
          saveRecord();
          await route.abort('aborted');
          return;
        }
      }
      await route.continue();
    });
  }

  async loadURL(url: string): Promise<void> {
    const startedAt = (globalThis as { switchboardMainStartedAt?: number }).switchboardMainStartedAt ?? 0;
    record.mainStartMs ??= performance.now() - startedAt;
    const page = await this.page;
    const entry = record.windows[this.recordIndex];
    if (entry) entry.url = url;
    saveRecord();
    await page.goto(pageUrlFor(url, await schemePorts()), { waitUntil: 'domcontentloaded' });
    this.emit('ready-to-show');
    this.webContents.emit('did-finish-load');
  }
  loadFile(path: string): Promise<void> {
    return this.loadURL(new URL(`file://${path}`).href);
  }
  show(): void {}
  hide(): void {}
  focus(): void {}
  /** The only window on a test machine: always the one in front. */
  isFocused(): boolean {
    return !this.destroyed;
  }
  restore(): void {}
  maximize(): void {}
  isMaximized(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  getBounds() {
    return { ...this.bounds };
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.emit('close', { preventDefault() {} });
    void this.page.then((page) => page.close()).catch(() => undefined);
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

// ---------------------------------------------------------------- protocol
type SchemeHandler = (request: Request) => Response | Promise<Response>;
const schemeHandlers = new Map<string, SchemeHandler>();
const schemeServers = new Map<string, Promise<number>>();

/** The port of each handled scheme's loopback server, once all are listening. */
async function schemePorts(): Promise<Map<string, number>> {
  return new Map(await Promise.all([...schemeServers].map(async ([scheme, port]) => [scheme, await port] as const)));
}

/** A loopback server whose every answer comes from the app's protocol.handle handler for the scheme. */
function serveScheme(scheme: string): Promise<number> {
  const server = createHttpServer((incoming, outgoing) => {
    void (async () => {
      const appUrl = appUrlFor(`http://${incoming.headers.host ?? ''}${incoming.url ?? '/'}`);
      const handler = schemeHandlers.get(scheme);
      if (!appUrl || !handler) {
        outgoing.writeHead(502).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const method = incoming.method ?? 'GET';
      const response = await handler(
        new Request(appUrl, {
          method,
          body: chunks.length > 0 && method !== 'GET' && method !== 'HEAD' ? Buffer.concat(chunks) : undefined,
        }),
      );
      record.protocolResponses.push({
        url: appUrl,
        status: response.status,
        contentType: response.headers.get('content-type'),
        csp: response.headers.get('content-security-policy'),
      });
      saveRecord();
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    })().catch(() => outgoing.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

/** Addresses a page (or anything that got a page to ask) might use to reach files outside the app. */
const hostileAddresses = (scheme: string) => [
  `${scheme}://switchboard/../../package.json`,
  `${scheme}://switchboard/%2e%2e/%2e%2e/package.json`,
  `${scheme}://switchboard/..%2f..%2fpackage.json`,
  `${scheme}://switchboard/..%5c..%5cpackage.json`,
  `${scheme}://switchboard//etc/passwd`,
  `${scheme}://other-host/index.html`,
  `${scheme}://switchboard/main/index.js`,
];

export const protocol = {
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: Record<string, unknown> }>): void {
    // Like Electron, this only counts before ready.
    if (app.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    record.privilegedSchemes.push(
      ...schemes.map(({ scheme, privileges }) => ({ scheme, privileges: privileges ?? {}, beforeReady: true })),
    );
    saveRecord();
  },
  handle(scheme: string, handler: SchemeHandler): void {
    schemeHandlers.set(scheme, handler);
    if (!schemeServers.has(scheme)) schemeServers.set(scheme, serveScheme(scheme));
    void (async () => {
      for (const url of hostileAddresses(scheme)) {
        const response = await handler(new Request(url));
        record.protocolProbes.push({ url, status: response.status, body: (await response.text()).slice(0, 200) });
      }
      saveRecord();
    })();
  },
  unhandle(scheme: string): void {
    schemeHandlers.delete(scheme);
  },
  isProtocolHandled(scheme: string): boolean {
    return schemeHandlers.has(scheme);
  },
};

// ---------------------------------------------------------------- session, theme, shell, menu, screen
type HeadersListener = (
  details: { responseHeaders: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived(listener: HeadersListener): void {
        listener({ responseHeaders: {} }, (response) => {
          const csp = response.responseHeaders?.['Content-Security-Policy'];
          if (csp) record.cspHeaders.push(...csp);
          saveRecord();
        });
      },
    },
    setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void {
      handler(null, 'media', (granted) => {
        record.permissionRequestGranted = granted;
        saveRecord();
      });
    },
    setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void {
      record.permissionCheckGranted = handler(null, 'media');
      saveRecord();
    },
  },
};

class NativeTheme extends EventEmitter {
  themeSource = 'system';
  get shouldUseDarkColors(): boolean {
    return process.env.SWITCHBOARD_E2E_DARK === '1';
  }
}
export const nativeTheme = new NativeTheme();

export const shell = {
  async openExternal(url: string): Promise<void> {
    record.openedExternally.push(url);
    saveRecord();
  },
};

interface MenuTemplateItem {
  label?: string;
  role?: string;
}
export const Menu = {
  buildFromTemplate(template: MenuTemplateItem[]) {
    return { items: template.map((item) => item.label ?? item.role ?? 'separator') };
  },
  setApplicationMenu(menu: { items: string[] } | null): void {
    record.menu = menu?.items ?? [];
    saveRecord();
  },
};

export const screen = {
  getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
};

const clipboardText: string[] = [];
export const clipboard = {
  writeText(text: string): void {
    clipboardText.push(text);
    record.clipboard = [...clipboardText];
    saveRecord();
  },
  readText: (): string => clipboardText.at(-1) ?? '',
};

export const net = {
  isOnline: () => process.env.SWITCHBOARD_E2E_OFFLINE !== '1',
};

export const dialog = {
  async showMessageBox(): Promise<{ response: number }> {
    return { response: 0 };
  },
};

/** OS notifications: recorded for the specs instead of shown; SIGUSR2 clicks the last one shown. */
const shownNotifications: Notification[] = [];
process.on('SIGUSR2', () => shownNotifications.at(-1)?.emit('click'));
export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  readonly options: { title?: string; body?: string };
  constructor(options: { title?: string; body?: string } = {}) {
    super();
    this.options = options;
  }
  show(): void {
    shownNotifications.push(this);
    record.notifications.push({ title: this.options.title ?? '', body: this.options.body ?? '' });
    saveRecord();
  }
}

export type { Listener };

export default { app, ipcMain, BrowserWindow, Notification, session, nativeTheme, shell, Menu, screen, dialog, net, clipboard, protocol };
