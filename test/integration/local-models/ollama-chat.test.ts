import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtInAgents } from '../../../src-shared/schemas/agent';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';
import { startCore, type CoreHarness } from '../../helpers/core-harness';

const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe("Ollama's native chat", { timeout: 90_000 }, () => {
  let ollama: FakeProviderServer;
  let core: CoreHarness;

  beforeAll(async () => {
    ollama = await startFakeProviderServer({ reply: 'Local answer.', models: ['llama3.2:3b', 'llava:7b'], name: 'ollama' });
  });
  afterAll(() => ollama.close());
  afterEach(async () => {
    await core?.stop();
    await ollama.reset();
  });

  async function addOllama() {
    core = await startCore();
    const id = await core.add({ kind: 'ollama', name: 'Ollama', baseUrl: ollama.url, defaultModel: 'llama3.2:3b' });
    // Adding a local connection reads its models' facts in the background.
    await expect
      .poll(() => core.services.settings.get().connections[0]?.models.filter((facts) => facts.local).length, { timeout: 60_000 })
      .toBe(2);
    core.configure((settings) => ({ ...settings, localModels: { ...settings.localModels, keepAlive: '30m' } }));
    return id;
  }

  it('sends num_ctx, keep_alive and images through /api/chat and streams the NDJSON answer', async () => {
    ollama.ollama.setLoaded(['llama3.2:3b', 'llava:7b']);
    await addOllama();
    const task = await core.services.tasks.create({
      agent: 'research',
      instruction: 'What is in this picture?',
      attachments: [{ type: 'image', mediaType: 'image/png', data: PIXEL }],
    });
    expect(await core.waitForTask(task.id, ['done', 'failed'])).toMatchObject({ status: 'done', answer: 'Local answer.' });
    const request = ollama.lastChatRequest();
    expect(request?.path).toBe('/api/chat');
    expect(request?.body).toMatchObject({
      model: 'llava:7b',
      stream: true,
      keep_alive: '30m',
      options: { num_ctx: 8192 },
    });
    expect((request?.body as { messages: unknown[] }).messages.at(-1)).toEqual({
      role: 'user',
      content: 'What is in this picture?',
      images: [PIXEL],
    });
  });

  it('refuses a prompt larger than the context the model runs with, saying so, instead of letting the server cut it', async () => {
    await addOllama();
    core.configure((settings) => ({ ...settings, localModels: { ...settings.localModels, contextTokens: 1024 } }));
    core.services.connections.applyLocalModelSettings();
    const plan = await core.services.router.plan({ kind: 'task', needs: [], estimatedInputTokens: 5_000, localOnly: true });
    expect(plan.candidates).toEqual([]);
    expect(plan.skipped[0]).toMatchObject({ reason: 'input_too_large', connectionId: 'ollama' });
    expect(plan.skipped[0]?.message).toMatch(/larger than llama3\.2:3b on Ollama allows \(1,024, the context it runs with\)/);
  });

  it('a model that is not loaded yet is loaded first and reported as loading, without a health penalty', async () => {
    ollama.ollama.setLoadDelay(1_500);
    await addOllama();
    core.configure((settings) => ({
      ...settings,
      agents: [{ ...builtInAgents.find((agent) => agent.name === 'research')!, latencyBudgetMs: 500 }],
    }));
    const task = await core.services.tasks.create({ agent: 'research', instruction: 'Say hello' });
    expect(await core.waitForTask(task.id, ['done', 'failed'])).toMatchObject({ status: 'done', answer: 'Local answer.' });
    const trace = (await core.services.tasks.get(task.id)).trace;
    const types = trace.map((event) => event.type);
    expect(types).toContain('model-loading');
    expect(trace.find((event) => event.type === 'model-loaded')?.['loadMs']).toBeGreaterThanOrEqual(1_400);
    expect(types.indexOf('model-loaded')).toBeLessThan(types.indexOf('finish'));
    // The load itself was an empty chat with the same context, then the answer.
    const chats = ollama.requests
      .filter((request) => request.path === '/api/chat')
      .map((request) => request.body as Record<string, unknown>);
    expect(chats[0]).toMatchObject({ model: 'llama3.2:3b', messages: [], options: { num_ctx: 8192 } });
    expect(core.services.health.get('ollama').color).not.toBe('yellow');
    expect(ollama.ollama.loadedModels()).toContain('llama3.2:3b');
  });
});
