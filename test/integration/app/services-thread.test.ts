// The app's services thread, started as main starts it (startServicesThread with services-worker.ts,
// run as TypeScript here), with main's side played by the test: requests go in as the window sends
// them, keys stay in main's keychain store, settings come back for main to write, and the gateway
// answers the official OpenAI client from the thread.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/errors/app-error';
import type { Settings } from '../../../src-shared/schemas/settings';
import { MemorySecretStore } from '../../../src-main/secrets/memory-secret-store';
import { createConfSettingsStore } from '../../../src-main/settings/conf-settings-store';
import { startServicesThread, type ServicesThread } from '../../../src-main/thread/services-thread';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';
import { freePort } from '../../helpers/free-port';

const KEY = 'sk-thread-test-0123456789';
const source = (path: string) => new URL(`../../../src-main/${path}`, import.meta.url);

let directory: string;
let provider: FakeProviderServer;
let thread: ServicesThread;
const keychain = new MemorySecretStore();
/** What the thread asked main to keep in the keychain. */
const keptInKeychain: string[] = [];
const secrets = {
  get: (account: string) => keychain.get(account),
  set: async (account: string, secret: string) => {
    keptInKeychain.push(secret);
    await keychain.set(account, secret);
  },
  delete: (account: string) => keychain.delete(account),
  has: (account: string) => keychain.has(account),
};
const events: Array<{ channel: string; payload: unknown }> = [];
const saved: Settings[] = [];
const logged: string[] = [];
const workers: Worker[] = [];

async function ask<T>(channel: string, request?: unknown): Promise<T> {
  const result = (await thread.dispatch(channel, request === undefined ? [] : [request])) as Result<T>;
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'switchboard-thread-'));
  provider = await startFakeProviderServer({ name: 'thread', reply: 'Hello from the thread test.' });
  provider.setExpectedKey(KEY);
  const store = createConfSettingsStore({ cwd: directory, name: 'settings' });
  thread = startServicesThread({
    workerUrl: source('services-worker.ts'),
    execArgv: ['--import', 'tsx'],
    createWorker: (url, options) => {
      const worker = new Worker(url, options);
      workers.push(worker);
      return worker;
    },
    data: {
      dataDirectory: directory,
      storageWorkerUrl: source('storage/storage-worker.ts').href,
      info: { name: 'Switchboard', version: '0.0.0-test', platform: process.platform, dataDirectory: directory },
      online: true,
      ollamaUrl: 'http://127.0.0.1:9',
    },
    host: {
      secrets,
      saveSettings: (settings) => {
        saved.push(settings);
        store.store = settings;
      },
      sendEvent: (channel, payload) => events.push({ channel, payload }),
      openExternal: async () => undefined,
      writeClipboard: () => undefined,
      onTasksPage: () => undefined,
      log: (message) => logged.push(message),
    },
  });
}, 60_000);

afterAll(async () => {
  await thread?.stop();
  await provider?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the services thread', () => {
  it('loads settings and hands them to main to write', async () => {
    const settings = await thread.loaded;
    expect(settings.connections).toEqual([]);
    expect(saved.length).toBeGreaterThan(0);
    expect(await ask<Settings>('app:settings.get')).toEqual(settings);
  }, 60_000);

  it('keeps a new connection’s key in main’s keychain store, never in the settings it sends', async () => {
    await ask('app:connections.add', {
      kind: 'openai',
      name: 'Thread provider',
      baseUrl: `${provider.url}/v1`,
      apiKey: KEY,
      defaultModel: 'gpt-4o',
    });
    expect(keptInKeychain.some((secret) => secret.includes(KEY))).toBe(true);
    expect(JSON.stringify(saved.at(-1))).not.toContain(KEY);
    expect(readFileSync(join(directory, 'settings.json'), 'utf8')).not.toContain(KEY);
    expect(saved.at(-1)!.connections.map((connection) => connection.name)).toEqual(['Thread provider']);
    await expect.poll(() => events.some((event) => event.channel === 'app:connections.changed')).toBe(true);
  });

  it('refuses a bad request with the same words as before, naming the field', async () => {
    const result = await thread.dispatch('app:connections.setPrimary', [{ id: 42 }]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('ipc_invalid_payload');
    expect(!result.ok && result.error.message).toContain('id');
  });

  it('serves the gateway from the thread to the official OpenAI client, and tells the window calls were logged in batches', async () => {
    const port = await freePort();
    const status = await ask<{ running: boolean; error: string | null }>('app:gateway.configure', { enabled: true, port });
    expect(status).toMatchObject({ running: true, error: null });
    const { token } = await ask<{ token: string }>('app:gateway.createClient', { name: 'thread-test' });
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: token, maxRetries: 0 });
    const before = events.filter((event) => event.channel === 'app:activity.logged').length;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.chat.completions.create({ model: 'switchboard/primary', messages: [{ role: 'user', content: 'Hi' }] }),
      ),
    );
    expect(answers.map((answer) => answer.choices[0]?.message.content)).toEqual(Array(10).fill('Hello from the thread test.'));
    await expect
      .poll(() =>
        events
          .filter((event) => event.channel === 'app:activity.logged')
          .slice(before)
          .reduce((sum, event) => sum + (event.payload as { count: number }).count, 0),
      )
      .toBe(10);
    // Ten calls within a moment reach the window as a few events, not ten.
    expect(events.filter((event) => event.channel === 'app:activity.logged').length - before).toBeLessThan(10);
    expect(provider.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${KEY}`);
  });

  it('starts a new thread when its thread dies, keeping what was saved', async () => {
    await workers[0]!.terminate();
    await expect.poll(() => workers.length, { timeout: 10_000 }).toBe(2);
    await expect
      .poll(
        async () => {
          const result = await thread.dispatch('app:connections.list', []);
          return result.ok
            ? (result.value as Array<{ connection: { name: string } }>).map((view) => view.connection.name)
            : result.error.message;
        },
        { timeout: 30_000 },
      )
      .toEqual(['Thread provider']);
    expect(logged.some((line) => line.includes('stopped (exit code'))).toBe(true);
    logged.length = 0;
  }, 60_000);

  it('stops cleanly, and a request after that gets words the user can act on instead of hanging', async () => {
    await thread.stop();
    const result = await thread.dispatch('app:settings.get', []);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/Restart Switchboard/);
    expect(logged, logged.join('\n')).toEqual([]);
  });
});
