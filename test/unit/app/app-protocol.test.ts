import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, appFileFor, createAppProtocolHandler, registerAppScheme, rendererUrlFor } from '../../../src-main/app/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/app/security';

const root = '/opt/Switchboard/resources/app.asar/out/renderer';

describe('appFileFor: which file an app:// address names', () => {
  it.each([
    ['app://switchboard/', `${root}/index.html`, 'text/html; charset=utf-8'],
    ['app://switchboard', `${root}/index.html`, 'text/html; charset=utf-8'],
    ['app://switchboard/index.html', `${root}/index.html`, 'text/html; charset=utf-8'],
    ['app://switchboard/index.html#settings', `${root}/index.html`, 'text/html; charset=utf-8'],
    ['app://SWITCHBOARD/index.html?x=1', `${root}/index.html`, 'text/html; charset=utf-8'],
    ['app://switchboard/assets/index-Bx1.js', `${root}/assets/index-Bx1.js`, 'text/javascript; charset=utf-8'],
    ['app://switchboard/assets/index-Bx1.css', `${root}/assets/index-Bx1.css`, 'text/css; charset=utf-8'],
    ['app://switchboard/assets/logo.SVG', `${root}/assets/logo.SVG`, 'image/svg+xml'],
    ['app://switchboard/assets/inter.woff2', `${root}/assets/inter.woff2`, 'font/woff2'],
    ['app://switchboard/assets/a%20b.png', `${root}/assets/a b.png`, 'image/png'],
  ])('%s -> %s (%s)', (url, filePath, contentType) => {
    expect(appFileFor(url, root)).toEqual({ ok: true, filePath, contentType });
  });

  it.each([
    ['app://switchboard/../package.json', 403],
    ['app://switchboard/assets/../../main/index.js', 403],
    ['app://switchboard/%2e%2e/package.json', 403],
    ['app://switchboard/%2E%2E/%2e%2e/etc/passwd.txt', 403],
    ['app://switchboard/assets/..%2f..%2fmain%2findex.js', 403],
    ['app://switchboard/..%5c..%5cmain%5cindex.js', 403],
    ['app://switchboard/assets\\..\\..\\main\\index.js', 403],
    ['app://switchboard/./index.html', 403],
    ['app://switchboard//etc/passwd.txt', 403],
    ['app://switchboard/%2fetc%2fpasswd.txt', 403],
    ['app://switchboard/C:/Windows/win.ini.txt', 403],
    ['app://switchboard/index.html%00.png', 403],
    ['app://other/index.html', 403],
    ['app://switchboard.evil.example/index.html', 403],
    ['app://user@switchboard/index.html', 403],
    ['app://switchboard:8080/index.html', 403],
    ['file:///etc/passwd', 400],
    ['https://switchboard/index.html', 400],
    ['app:index.html', 400],
    ['app://switchboard/%E0%A4%A', 400],
    ['app://switchboard/assets/', 403],
    ['app://switchboard/assets/secret.map', 404],
    ['app://switchboard/assets/no-extension', 404],
  ])('refuses %s with %i', (url, status) => {
    const lookup = appFileFor(url, root);
    expect(lookup).toMatchObject({ ok: false, status });
  });
});

describe('the app:// protocol handler', () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchboard-renderer-'));
  const rendererFolder = join(folder, 'renderer');
  mkdirSync(join(rendererFolder, 'assets'), { recursive: true });
  writeFileSync(join(rendererFolder, 'index.html'), '<!doctype html><title>Switchboard</title>');
  writeFileSync(join(rendererFolder, 'assets', 'main.js'), 'console.log(1)');
  // A file next to the renderer folder that must stay out of reach.
  writeFileSync(join(folder, 'secret.txt'), 'not for the page');
  const handle = createAppProtocolHandler({ rootDirectory: rendererFolder, contentSecurityPolicy: CONTENT_SECURITY_POLICY });

  it('serves the page and its scripts with their types, the CSP header and no sniffing', async () => {
    const page = await handle(new Request(APP_ENTRY_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Switchboard</title>');
    const script = await handle(new Request('app://switchboard/assets/main.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('refuses what lies outside the folder, missing files and other methods, never reading them', async () => {
    const read: string[] = [];
    const spying = createAppProtocolHandler({
      rootDirectory: rendererFolder,
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      readFile: async (path) => {
        read.push(path);
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      },
    });
    const traversal = await spying(new Request('app://switchboard/..%2fsecret.txt'));
    expect(traversal.status).toBe(403);
    expect(await traversal.text()).not.toContain('not for the page');
    expect(traversal.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await spying(new Request('app://other/secret.txt'))).status).toBe(403);
    expect(read).toEqual([]);
    expect((await spying(new Request('app://switchboard/missing.js'))).status).toBe(404);
    expect((await handle(new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('registers app:// as a standard, secure scheme before the app is ready', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => registered.push(...schemes) });
    expect(registered).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });
});

describe('rendererUrlFor: ELECTRON_RENDERER_URL only while developing', () => {
  it.each([
    [false, 'http://localhost:5173/', 'http://localhost:5173/'],
    [false, undefined, APP_ENTRY_URL],
    [false, '', APP_ENTRY_URL],
    [true, 'http://localhost:5173/', APP_ENTRY_URL],
    [true, 'https://evil.example/', APP_ENTRY_URL],
    [true, undefined, APP_ENTRY_URL],
  ])('isPackaged %s, ELECTRON_RENDERER_URL %j -> %s', (isPackaged, devServerUrl, expected) => {
    expect(rendererUrlFor({ isPackaged, devServerUrl })).toBe(expected);
  });
});
