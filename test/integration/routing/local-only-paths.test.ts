// Local-only work with its local connection red: every fallback and retry path the app has (chat's
// "answer from a backup" and "Retry on X", a task's pause and resume with "Use any healthy provider",
// escalation up the tiers) must end without a single call to a cloud connection.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../../src-shared/schemas/stored-conversation';
import { routeHostsTo, startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';

describe('local-only work never reaches a cloud connection while its local one is red', { timeout: 120_000 }, () => {
  let claude: FakeProviderServer;
  let deepseek: FakeProviderServer;
  let ollama: FakeProviderServer;
  let core: CoreHarness;

  beforeAll(async () => {
    claude = await startFakeProviderServer({ reply: 'Claude here.', models: ['claude-sonnet-4-6'], name: 'claude' });
    deepseek = await startFakeProviderServer({ reply: 'DeepSeek here.', models: ['deepseek-chat'], name: 'deepseek' });
    ollama = await startFakeProviderServer({ reply: 'Ollama here.', models: ['llama3.1:8b'], name: 'ollama' });
  });
  afterAll(async () => {
    await Promise.all([claude.close(), deepseek.close(), ollama.close()]);
  });
  afterEach(async () => {
    await core?.stop();
    await Promise.all([claude.reset(), deepseek.reset(), ollama.reset()]);
  });

  const cloudCalls = () => claude.counters.chat + deepseek.counters.chat;
  const cloudSaw = (words: string) =>
    [...claude.requests, ...deepseek.requests].some((request) => JSON.stringify(request.body ?? '').includes(words));

  /** DeepSeek and Claude in the cloud, Ollama local and red; every setting that widens fallback on. */
  async function seed(primary: 'ollama' | 'deepseek') {
    core = await startCore({ fetch: routeHostsTo({ 'api.anthropic.example': claude.url, 'api.deepseek.example': deepseek.url }) });
    await core.add({ kind: 'ollama', name: 'Ollama', baseUrl: ollama.url, defaultModel: 'llama3.1:8b' });
    await core.add({
      kind: 'deepseek',
      name: 'DeepSeek',
      baseUrl: 'https://api.deepseek.example/v1',
      apiKey: 'sk-deepseek-local-01',
      defaultModel: 'deepseek-chat',
    });
    await core.add({
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: 'https://api.anthropic.example',
      apiKey: 'sk-ant-local-01',
      defaultModel: 'claude-sonnet-4-6',
    });
    core.configure((settings) => ({
      ...settings,
      primaryConnectionId: primary,
      chat: { ...settings.chat, autoFallback: true },
      tasks: { ...settings.tasks, anyHealthyFallback: true },
      routing: {
        ...settings.routing,
        defaultSameProviderRetries: 1,
        rules: [{ id: 'r1', context: 'default', connectionId: 'deepseek', priority: 0 }],
        tiers: settings.routing.tiers.map((tier) =>
          tier.id === 'standard'
            ? {
                ...tier,
                entries: [{ connectionId: 'ollama', model: 'llama3.1:8b', priority: 0, maxInputTokens: null, maxOutputTokens: null }],
              }
            : tier.id === 'premium'
              ? {
                  ...tier,
                  entries: [
                    { connectionId: 'claude', model: 'claude-sonnet-4-6', priority: 0, maxInputTokens: null, maxOutputTokens: null },
                  ],
                }
              : tier,
        ),
      },
    }));
    await ollama.setFault('refused');
    // Red, as health learns it: failed probes in a row.
    for (let probe = 0; probe < 5 && core.services.health.get('ollama').color !== 'red'; probe += 1) {
      await core.services.health.probeNow('ollama').catch(() => undefined);
    }
    expect(core.services.health.get('ollama').color).toBe('red');
  }

  async function finishedAnswer(conversationId: string): Promise<{ message: StoredMessage; retryOn: unknown }> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const page = await core.services.chat.messages({ conversationId, limit: 100 });
      const last = page.messages.at(-1);
      if (last?.role === 'assistant' && last.status !== 'streaming') return { message: last, retryOn: page.retryOn[last.id] ?? null };
      if (Date.now() > deadline) throw new Error(`The answer is still ${last?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it.each(['ollama', 'deepseek'] as const)(
    'chat (Primary %s, automatic fallback on): fails with no backup and no "Retry on" a cloud connection',
    async (primary) => {
      await seed(primary);
      const conversation = await core.services.chat.create(true);
      await core.services.chat.send(conversation.id, 'Summarise my private diary');
      const { message, retryOn } = await finishedAnswer(conversation.id);
      expect(message.status).toBe('error');
      expect(retryOn).toBeNull();
      expect(cloudCalls()).toBe(0);
      expect(cloudSaw('private diary')).toBe(false);
    },
  );

  it('chat: "Retry on" a cloud connection, asked for directly, is refused without a call', async () => {
    await seed('ollama');
    const conversation = await core.services.chat.create(true);
    await core.services.chat.send(conversation.id, 'Summarise my private diary');
    let failed = (await finishedAnswer(conversation.id)).message;
    for (const connectionId of ['deepseek', 'claude']) {
      // A retry replaces the failed answer; the next one retries the new one.
      await core.services.chat.retry(conversation.id, failed.id, connectionId);
      failed = (await finishedAnswer(conversation.id)).message;
      expect(failed.status).toBe('error');
      expect(failed.error?.message).toMatch(/would leave this machine/);
    }
    expect(cloudCalls()).toBe(0);
    expect(cloudSaw('private diary')).toBe(false);
  });

  it('a task with "Use any healthy provider" on pauses, and stays paused through a resume, never reaching the cloud', async () => {
    await seed('deepseek');
    const task = await core.services.tasks.create({ agent: 'research', instruction: 'Summarise my private notes', localOnly: true });
    expect(await core.waitForTask(task.id, ['paused', 'failed', 'done'])).toMatchObject({ status: 'paused' });
    await core.services.tasks.retry(task.id);
    expect(await core.waitForTask(task.id, ['paused', 'failed', 'done'])).toMatchObject({ status: 'paused' });
    core.services.tasks.wake();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await core.services.tasks.get(task.id)).status).toBe('paused');
    expect(cloudCalls()).toBe(0);
    expect(cloudSaw('private notes')).toBe(false);
  });

  it('a task on a tier does not escalate to a stronger cloud tier, whether Ollama is red or answers empty', async () => {
    await seed('deepseek');
    const red = await core.services.tasks.create({
      agent: 'research',
      instruction: 'Sort my private notes',
      tier: 'standard',
      localOnly: true,
    });
    expect((await core.waitForTask(red.id, ['paused', 'failed', 'done'])).status).not.toBe('done');

    await ollama.setFault('empty-answer');
    await core.services.health.probeNow('ollama').catch(() => undefined);
    const empty = await core.services.tasks.create({
      agent: 'research',
      instruction: 'Tag my private notes',
      tier: 'standard',
      localOnly: true,
    });
    const ended = await core.waitForTask(empty.id, ['paused', 'failed', 'done']);
    expect(ended.answer ?? '').not.toContain('Claude here.');
    expect(ended.trace.filter((event) => event.type === 'attempt-start').map((event) => event.connectionId)).not.toContain('claude');
    expect(cloudCalls()).toBe(0);
    expect(cloudSaw('private notes')).toBe(false);
  });
});
