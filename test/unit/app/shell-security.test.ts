import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from '../../../src-main/app/app-menu';
import { createExternalOpener, guardWebContents, secureWebPreferences } from '../../../src-main/app/security';
import { createSenderGuard } from '../../../src-main/app/sender-guard';
import { APP_ENTRY_URL } from '../../../src-main/app/app-protocol';
import { externalLinkProblem } from '../../../src-shared/schemas/external-link';

/** Every role and label in a menu template, submenus included. */
function entries(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.role ? [String(item.role)] : []),
    ...(item.label ? [item.label] : []),
    ...(Array.isArray(item.submenu) ? entries(item.submenu) : []),
  ]);
}
const noActions = { openSettings() {} };
const developerEntries = ['viewMenu', 'reload', 'forceReload', 'toggleDevTools'];

describe('the application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('a packaged build on %s has no reload and no DevTools', (platform) => {
    const items = entries(appMenuTemplate({ platform, isPackaged: true }, noActions));
    for (const entry of developerEntries) expect(items).not.toContain(entry);
    expect(items).toEqual(expect.arrayContaining(['View', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'Settings…', 'editMenu']));
  });

  it('a development build keeps the View menu with reload and DevTools', () => {
    expect(entries(appMenuTemplate({ platform: 'linux', isPackaged: false }, noActions))).toContain('viewMenu');
  });
});

describe('the window web preferences', () => {
  it('turn off experimental and extra Blink features and node everywhere; DevTools only when asked', () => {
    const packaged = secureWebPreferences('/app/preload.cjs', { devTools: false });
    expect(packaged).toMatchObject({
      devTools: false,
      experimentalFeatures: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(packaged.enableBlinkFeatures).toBeUndefined();
    expect(secureWebPreferences('/app/preload.cjs', { devTools: true }).devTools).toBe(true);
  });
});

class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  /** Emits an event the way Electron does; true when the app prevented it. */
  prevented(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

function guardedContents(): FakeContents {
  const app = new EventEmitter();
  guardWebContents(app as never, { isAppUrl: (url) => createSenderGuard(APP_ENTRY_URL)({ senderFrame: { url, parent: null } }) });
  const contents = new FakeContents();
  app.emit('web-contents-created', {}, contents);
  return contents;
}

describe('every web contents is guarded', () => {
  it.each([
    ['will-navigate', 'https://example.com/phish', true],
    ['will-navigate', 'file:///etc/passwd', true],
    ['will-navigate', 'app://switchboard/index.html#chat', false],
    ['will-redirect', 'https://example.com/elsewhere', true],
    ['will-redirect', 'app://evil/index.html', true],
    ['will-redirect', 'data:text/html,<script>1</script>', true],
    ['will-redirect', 'app://switchboard/index.html', false],
  ])('%s to %s: prevented %s', (event, url, prevented) => {
    expect(guardedContents().prevented(event, url)).toBe(prevented);
  });

  it('refuses every webview, whatever it asks for', () => {
    const contents = guardedContents();
    const webPreferences = { nodeIntegration: true, preload: '/tmp/evil.js' };
    expect(contents.prevented('will-attach-webview', webPreferences, { src: 'https://example.com/' })).toBe(true);
  });

  it('denies every new window and opens nothing itself (links go through the prompt)', () => {
    const contents = guardedContents();
    for (const url of ['https://example.com/', 'http://example.com/', 'javascript:alert(1)', 'file:///etc/passwd']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
  });
});

describe("main's door to the OS browser", () => {
  it.each([
    ['https://example.com/docs?q=1#x', null],
    ['http://example.com/', null],
    ['javascript:alert(1)', 'javascript:'],
    ['data:text/html,<script>alert(1)</script>', 'data:'],
    ['file:///etc/passwd', 'file:'],
    ['vbscript:msgbox', 'vbscript:'],
    ['mailto:a@example.com', 'mailto:'],
    ['smb://server/share', 'smb:'],
    ['https://accounts.example.com@evil.example/', 'user name or password'],
    ['/relative/path', 'not a full web address'],
    ['', 'not a full web address'],
  ])('%s: %s', async (url, problem) => {
    const opened: string[] = [];
    const open = createExternalOpener(async (target) => void opened.push(target));
    if (problem === null) {
      expect(externalLinkProblem(url)).toBeNull();
      await open(url);
      expect(opened).toEqual([url]);
    } else {
      expect(externalLinkProblem(url)).toContain(problem);
      await expect(open(url)).rejects.toThrow(problem);
      expect(opened).toEqual([]);
    }
  });
});
