import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from '../../src-main/app/app-protocol';
import { launchApp, newUserDataDir, type AppHandle } from './helpers/launch-app';
import { appUrlFor } from './runtime/app-scheme';
import { screenshot } from './helpers/screenshots';

let app: AppHandle | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('app shell', () => {
  it('starts and walks Chat, Tasks, Activity and Settings, each with an empty state that says what to do', async () => {
    app = await launchApp();
    const { page } = app;
    await expect.poll(() => page.getByRole('heading', { name: 'Welcome to Switchboard' }).count(), { timeout: 30_000 }).toBe(1);
    await screenshot(page, 'shell-chat-empty');

    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'No tasks yet' }).waitFor();
    expect(await page.getByText('First add a provider').count()).toBe(1);
    await screenshot(page, 'shell-tasks-empty');

    await page.getByRole('button', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'No calls yet' }).waitFor();
    await screenshot(page, 'shell-activity-empty');

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'No providers yet' }).waitFor();
    await screenshot(page, 'shell-settings-empty');

    // Chat's welcome offers every provider kind; one with more than a key opens the full form.
    await page.getByRole('button', { name: 'Chat' }).click();
    await page.getByRole('button', { name: /^Custom/ }).click();
    await page.getByRole('dialog', { name: 'Add provider' }).waitFor();
  });

  it('"Use any healthy provider when nothing else can" is off by default, turns on with one click and stays on after a restart', async () => {
    const userDataDir = newUserDataDir();
    app = await launchApp({ userDataDir });
    let page = app.page;
    await page.getByRole('button', { name: 'Settings' }).click();
    const option = () => page.getByRole('checkbox', { name: /Use any healthy provider when nothing else can/ });
    await option().scrollIntoViewIfNeeded();
    expect(await option().isChecked()).toBe(false);
    await option().click();
    await expect.poll(() => JSON.parse(readFileSync(join(userDataDir, 'settings.json'), 'utf8')).tasks?.anyHealthyFallback).toBe(true);
    await page.getByRole('heading', { name: 'Tasks', exact: true }).scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-any-healthy-provider');
    await app.close();

    app = await launchApp({ userDataDir });
    page = app.page;
    await page.getByRole('button', { name: 'Settings' }).click();
    await option().scrollIntoViewIfNeeded();
    expect(await option().isChecked()).toBe(true);
  });

  it('opens its window with the secure webPreferences, a strict CSP, and denies permissions, pop-ups and navigation', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('heading', { name: 'Welcome to Switchboard' }).waitFor();
    const record = app.runtimeRecord();
    expect(record.windows).toHaveLength(1);
    expect(record.windows[0]?.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(record.windows[0]?.webPreferences.preload)).toMatch(/out[/\\]preload[/\\]index\.cjs$/);

    const metaCsp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    for (const csp of [metaCsp ?? '', ...record.cspHeaders]) {
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-eval');
    }
    expect(record.cspHeaders.length).toBeGreaterThan(0);
    // The renderer cannot reach the network itself.
    const fetchOutcome = await page.evaluate(() =>
      fetch('http://127.0.0.1:9/').then(
        () => 'reached',
        (error: Error) => error.name,
      ),
    );
    expect(fetchOutcome).toBe('TypeError');

    expect(record.permissionRequestGranted).toBe(false);
    expect(record.permissionCheckGranted).toBe(false);
    expect(record.windowOpenResults.every((result) => result.action === 'deny')).toBe(true);
    // Nothing opens in the browser from a new-window request: links go through the prompt.
    expect(record.openedExternally).toEqual([]);

    // Navigating away from the app is refused; the app stays.
    await page.evaluate(() => {
      window.location.href = 'https://example.com/phish';
    });
    await expect.poll(() => app?.runtimeRecord().refusedNavigations ?? []).toContain('https://example.com/phish');
    expect(appUrlFor(page.url())).toBe(APP_ENTRY_URL);
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
  });

  it('serves the renderer from app://switchboard/ through its protocol handler, with the CSP header, and refuses paths outside it', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('heading', { name: 'Welcome to Switchboard' }).waitFor();
    const record = app.runtimeRecord();
    expect(record.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }), beforeReady: true },
    ]);
    expect(record.windows[0]?.url).toBe(APP_ENTRY_URL);
    // The page, its script and its styles all came from the app's handler, each typed and with the CSP.
    const served = record.protocolResponses;
    const page200 = served.find((response) => response.url === APP_ENTRY_URL);
    expect(page200).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8' });
    const script = served.find((response) => /\/assets\/.*\.js$/.test(response.url));
    expect(script).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8' });
    expect(served.find((response) => /\/assets\/.*\.css$/.test(response.url))).toMatchObject({ contentType: 'text/css; charset=utf-8' });
    for (const response of served) {
      expect(response.csp).toContain("default-src 'none'");
      expect(response.csp).toContain("script-src 'self'");
    }
    // The page's origin is the app, so 'self' means the app: a script from the disk is not run.
    const blocked = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const script = document.createElement('script');
          script.src = 'file:///etc/hostname';
          script.onload = () => resolve('loaded');
          script.onerror = () => resolve('refused');
          document.head.append(script);
        }),
    );
    expect(blocked).toBe('refused');
    // Paths that leave the renderer folder, and other hosts, get no file.
    await expect.poll(() => app?.runtimeRecord().protocolProbes.length).toBe(7);
    for (const probe of app.runtimeRecord().protocolProbes) {
      expect(probe.status, probe.url).toBeGreaterThanOrEqual(400);
      expect(probe.body).not.toContain('"productName"');
    }
  });

  it('refuses a renderer call with a bad payload (ipc_invalid_payload) and changes nothing', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('heading', { name: 'Welcome to Switchboard' }).waitFor();
    const settingsFile = join(app.userDataDir, 'settings.json');
    const before = readFileSync(settingsFile, 'utf8');
    const results = await page.evaluate(async () => {
      const api = window.api as unknown as Record<string, Record<string, (request?: unknown) => Promise<unknown>>>;
      return [
        await api.settings!.update!({ appearance: { theme: 'purple' } }),
        await api.settings!.update!({ connections: [] }),
        await api.settings!.update!('not an object'),
        await api.notices!.dismiss!({}),
      ];
    });
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { code: 'ipc_invalid_payload' } });
    }
    expect((results[0] as { error: { message: string } }).error.message).toContain('appearance.theme');
    expect(readFileSync(settingsFile, 'utf8')).toBe(before);

    // A good payload goes through and is saved.
    const good = await page.evaluate(() => window.api.settings.update({ appearance: { theme: 'dark' } }));
    expect(good).toMatchObject({ ok: true, value: { appearance: { theme: 'dark' } } });
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).appearance.theme).toBe('dark');
  });

  it('refuses IPC calls from a frame that is not the app window', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('heading', { name: 'Welcome to Switchboard' }).waitFor();
    // Another page in the same browser, at another address, reaching for the raw IPC binding.
    const stranger = await page.context().newPage();
    await stranger.goto('data:text/html,<title>stranger</title>');
    const fromStranger = await stranger.evaluate(() =>
      (window as unknown as { __switchboardIpcInvoke: (channel: string, args: unknown[]) => Promise<unknown> }).__switchboardIpcInvoke(
        'app:settings.get',
        [undefined],
      ),
    );
    expect(fromStranger).toMatchObject({ ok: false, error: { code: 'ipc_forbidden_sender' } });
    // A sub-frame of the app window is refused too.
    await page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.name = 'child';
      document.body.append(frame);
    });
    const child = page.frame({ name: 'child' });
    expect(child).not.toBeNull();
    const fromChild = await child!.evaluate(() =>
      (window as unknown as { __switchboardIpcInvoke: (channel: string, args: unknown[]) => Promise<unknown> }).__switchboardIpcInvoke(
        'app:settings.get',
        [undefined],
      ),
    );
    expect(fromChild).toMatchObject({ ok: false, error: { code: 'ipc_forbidden_sender' } });
    // The app window itself is served.
    expect(await page.evaluate(() => window.api.settings.get())).toMatchObject({ ok: true });
    await stranger.close();
  });

  it('keeps a corrupt settings file aside, starts with defaults and says so', async () => {
    const userDataDir = newUserDataDir();
    writeFileSync(join(userDataDir, 'settings.json'), '{"version": 1, "connections": [ this is not json');
    app = await launchApp({ userDataDir });
    const { page } = app;
    const notice = page.getByRole('alert').filter({ hasText: 'Your settings could not be read' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('settings.corrupt-');
    await screenshot(page, 'shell-settings-corrupt-notice');
    const keptAside = readdirSync(userDataDir).filter((name) => name.startsWith('settings.corrupt-'));
    expect(keptAside).toHaveLength(1);
    expect(readFileSync(join(userDataDir, keptAside[0]!), 'utf8')).toContain('this is not json');
    expect(existsSync(join(userDataDir, 'settings.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(userDataDir, 'settings.json'), 'utf8'))).toMatchObject({ version: 2, connections: [] });
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
  });
});
