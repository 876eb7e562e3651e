import keytar from 'keytar';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoredTask } from '../../src-shared/schemas/stored-task';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

const LONG_REPLY = Array.from({ length: 40 }, (_, index) => `Step ${index + 1}: write it, test it, keep it small.`).join(' ');

const words = (text: string) => text.replace(/\s+/g, ' ').trim();

async function task(page: Page, id: string): Promise<StoredTask> {
  const result = await page.evaluate((taskId) => window.api.tasks.get({ id: taskId }), id);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function create(page: Page, agent: string, instruction: string): Promise<string> {
  const result = await page.evaluate((request) => window.api.tasks.create(request), { agent, instruction });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.id;
}

describeWithKeychain('a crash with tasks in every state (SIGKILL, then restart)', () => {
  let claude: FakeProviderServer;
  let deepseek: FakeProviderServer;
  let app: AppHandle | null = null;
  const service = testKeychainService();
  const env = { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' };

  beforeAll(async () => {
    claude = await startFakeProviderServer({ reply: LONG_REPLY, models: ['claude-sonnet-4-6'], name: 'claude' });
    deepseek = await startFakeProviderServer({ reply: 'DeepSeek answer.', models: ['deepseek-chat'], name: 'deepseek' });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([claude?.close(), deepseek?.close()]);
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('keeps the running answers as interrupted, runs the queued task, keeps the paused one waiting, and loses nothing typed', async () => {
    app = await launchApp({ env });
    let page = app.page;
    // DeepSeek first, so it is Primary; builder tasks go to Claude by rule.
    for (const input of [
      {
        kind: 'deepseek',
        name: 'DeepSeek',
        baseUrl: `${deepseek.url}/v1`,
        apiKey: 'sk-deepseek-restart-01',
        defaultModel: 'deepseek-chat',
      },
      { kind: 'anthropic', name: 'Claude', baseUrl: claude.url, apiKey: 'sk-ant-restart-01', defaultModel: 'claude-sonnet-4-6' },
    ]) {
      expect(
        await page.evaluate((request) => (window.api.connections.add as (r: unknown) => Promise<unknown>)(request), input),
      ).toMatchObject({
        ok: true,
      });
    }
    expect(
      await page.evaluate(() =>
        window.api.routing.update({
          rules: [
            { id: 'builder', context: 'agent:builder', connectionId: 'claude', priority: 0 },
            { id: 'default', context: 'default', connectionId: 'deepseek', priority: 0 },
          ],
          tiers: [],
          routes: [],
          defaultSameProviderRetries: 0,
        }),
      ),
    ).toMatchObject({ ok: true });

    // Paused: its only backend is down.
    await deepseek.setFault('refused');
    const paused = await create(page, 'research', 'Find out when the tides turn at Brest');
    await expect.poll(async () => (await task(page, paused)).status, { timeout: 20_000 }).toBe('paused');

    // Running: two answers streaming slowly from Claude, which takes two tasks at once; queued: the third.
    await claude.setFault('slow-between-chunks', { delayMs: 400 });
    const running = [await create(page, 'builder', 'Write the parser'), await create(page, 'builder', 'Write the lexer')];
    const queued = await create(page, 'builder', 'Write the pretty-printer');
    for (const id of running) {
      // Kill only once part of each answer is stored: that part must survive.
      await expect.poll(async () => (await task(page, id)).answer.length, { timeout: 20_000 }).toBeGreaterThan(20);
    }
    const before = new Map<string, StoredTask>();
    for (const id of [...running, queued, paused]) before.set(id, await task(page, id));
    expect(running.map((id) => before.get(id)?.status)).toEqual(['running', 'running']);
    expect(before.get(queued)?.status).toBe('queued');
    expect(before.get(paused)?.status).toBe('paused');

    const userDataDir = app.userDataDir;
    await app.kill();
    app = null;
    await claude.setFault(null);

    app = await launchApp({ userDataDir, env });
    page = app.page;
    for (const id of running) {
      const after = await task(page, id);
      const partial = before.get(id)!;
      expect(after.status).toBe('interrupted');
      expect(after.instruction).toBe(partial.instruction);
      // At least what was stored before the crash, and only the answer's own words.
      expect(words(after.answer).startsWith(words(partial.answer))).toBe(true);
      expect(words(LONG_REPLY).startsWith(words(after.answer))).toBe(true);
    }
    // The queued task goes on by itself and finishes.
    await expect.poll(async () => (await task(page, queued)).status, { timeout: 30_000 }).toBe('done');
    expect(await task(page, queued)).toMatchObject({ instruction: 'Write the pretty-printer', answer: LONG_REPLY });
    // The paused one still waits for its backend, its instruction intact, and never went to Claude.
    await expect.poll(async () => (await task(page, paused)).status, { timeout: 20_000 }).toBe('paused');
    const stillPaused = await task(page, paused);
    expect(stillPaused.instruction).toBe('Find out when the tides turn at Brest');
    expect(stillPaused.pausedReason).toMatch(/DeepSeek/);
    expect(JSON.stringify(claude.requests.map((request) => request.body ?? ''))).not.toContain('tides turn');

    await page.getByRole('button', { name: 'Tasks' }).click();
    const rows = page.getByTestId('task-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    await screenshot(page, 'tasks-after-crash');

    await deepseek.setFault(null);
  });
});
