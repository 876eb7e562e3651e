// Starts the real built app (out/main, out/preload, out/renderer) for an end-to-end test.
// Default: the built main process runs under Node with the test runtime standing in for `electron`
// (test/e2e/runtime), which records what the app asked of the shell for the specs to check. There is
// no real-Electron mode: the runtime record's facts (CSP headers, permission answers, refused
// navigations) come only from that runtime, and a record made up for Electron would prove nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RuntimeRecord } from '../runtime/electron.ts';
import { appUrlFor } from '../runtime/app-scheme.ts';
import { APP_ENTRY_URL } from '../../../src-main/app/app-protocol';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = resolve(import.meta.dirname, '../../..');

export type { RuntimeRecord };

export interface AppHandle {
  page: Page;
  userDataDir: string;
  /** What the app asked of the shell (webPreferences, CSP, permission answers, ...). */
  runtimeRecord(): RuntimeRecord;
  /** Everything the main process printed. */
  output(): string;
  /** Quits like a user closing the app. */
  close(): Promise<void>;
  /** Kills the main process at once (SIGKILL), like a crash. */
  kill(): Promise<void>;
  /** Clicks the operating system notification shown last (the runtime takes SIGUSR2 for the click). */
  clickLastNotification(): void;
}

export interface LaunchOptions {
  userDataDir?: string;
  env?: Record<string, string>;
  /** Another checkout whose build to start (a benchmark's baseline side); this one by default. */
  checkout?: string;
}

export function newUserDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'switchboard-user-'));
}

export async function launchApp(options: LaunchOptions = {}): Promise<AppHandle> {
  const checkout = options.checkout ?? root;
  const mainEntry = join(checkout, 'out/main/index.js');
  if (!existsSync(mainEntry)) throw new Error(`${mainEntry} is missing: run \`npm run build\` first.`);
  const userDataDir = options.userDataDir ?? newUserDataDir();
  const env = { ...process.env, ...options.env, SWITCHBOARD_USER_DATA: userDataDir };
  return launchUnderNode(checkout, userDataDir, env);
}

async function launchUnderNode(checkout: string, userDataDir: string, env: NodeJS.ProcessEnv): Promise<AppHandle> {
  const registerHook = join(checkout, 'test/e2e/runtime/register.ts');
  const child: ChildProcess = spawn(process.execPath, ['--import', registerHook, join(checkout, 'out/main/index.js')], {
    cwd: checkout,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const cdpUrl = await new Promise<string>((resolveUrl, reject) => {
    // A benchmark on a busy machine may allow longer.
    const limit = Number(env.SWITCHBOARD_E2E_START_TIMEOUT_MS ?? 30_000);
    const timer = setTimeout(() => reject(new Error(`The app did not start within ${limit / 1000} s. Output:\n${output}`)), limit);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /SWITCHBOARD_E2E_CDP=(\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The app exited (code ${code}) before its window opened. Output:\n${output}`));
    });
  });
  const browser: Browser = await chromium.connectOverCDP(cdpUrl);
  const page = await findAppPage(browser);
  // A CDP client does not learn the window's size; without it Playwright mis-aims clicks after scrolling.
  await page.setViewportSize({ width: 1200, height: 800 });
  // Likewise the colour scheme the runtime emulates is not carried over to this connection.
  if (env.SWITCHBOARD_E2E_DARK === '1') await page.emulateMedia({ colorScheme: 'dark' });
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    await browser.close().catch(() => undefined);
  };
  return {
    page,
    userDataDir,
    runtimeRecord: () => JSON.parse(readFileSync(join(userDataDir, 'e2e-runtime.json'), 'utf8')) as RuntimeRecord,
    output: () => output,
    close: () => stop('SIGTERM'),
    kill: () => stop('SIGKILL'),
    clickLastNotification: () => void child.kill('SIGUSR2'),
  };
}

async function findAppPage(browser: Browser): Promise<Page> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const context of browser.contexts()) {
      const page = context.pages().find((candidate) => appUrlFor(candidate.url()) === APP_ENTRY_URL);
      if (page) {
        await page.waitForLoadState('domcontentloaded');
        return page;
      }
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  throw new Error(`The app window never loaded ${APP_ENTRY_URL}.`);
}
