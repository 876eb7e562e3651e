import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';
import { startCore, type CoreHarness } from '../../helpers/core-harness';

const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('local model facts from the server', { timeout: 90_000 }, () => {
  let ollama: FakeProviderServer;
  let core: CoreHarness;

  beforeAll(async () => {
    ollama = await startFakeProviderServer({ models: ['llama3.2:3b', 'llava:7b'], name: 'ollama' });
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
    return id;
  }

  const factsOf = (model: string) => core.services.settings.get().connections[0]!.models.find((facts) => facts.id === model);

  it('reads capabilities, context length, family, size and quantization from /api/show and /api/tags', async () => {
    ollama.ollama.setModelFacts('llava:7b', {
      capabilities: ['completion', 'vision'],
      contextLength: 32_768,
      parameterSize: '7B',
      family: 'llava',
    });
    await addOllama();
    expect(factsOf('llama3.2:3b')).toMatchObject({
      capabilities: { text: true, vision: false, tools: true, reasoning: false, structuredOutput: true },
      contextWindow: 131_072,
      runContextTokens: 8192,
      local: { family: 'llama', parameterSize: '3B', quantization: 'Q4_K_M', sizeBytes: 2_019_393_189 },
    });
    expect(factsOf('llava:7b')).toMatchObject({
      capabilities: { vision: true, tools: false },
      contextWindow: 32_768,
      local: { family: 'llava' },
    });
    const shown = ollama.requests
      .filter((request) => request.path === '/api/show')
      .map((request) => (request.body as { model: string }).model);
    expect([...new Set(shown)].sort()).toEqual(['llama3.2:3b', 'llava:7b']);
  });

  it('runs a model with the smaller of its context length and the setting, and follows the setting', async () => {
    ollama.ollama.setModelFacts('llava:7b', { contextLength: 4096 });
    await addOllama();
    expect(factsOf('llava:7b')?.runContextTokens).toBe(4096);
    core.configure((settings) => ({ ...settings, localModels: { ...settings.localModels, contextTokens: 16_384 } }));
    core.services.connections.applyLocalModelSettings();
    expect(factsOf('llama3.2:3b')?.runContextTokens).toBe(16_384);
    expect(factsOf('llava:7b')?.runContextTokens).toBe(4096);
  });

  it('drops a model the server no longer holds, and refreshes when the list changes', async () => {
    const id = await addOllama();
    ollama.setModels(['llama3.2:3b', 'qwen2.5vl:7b']);
    ollama.ollama.setModelFacts('qwen2.5vl:7b', { capabilities: ['completion', 'vision', 'tools'] });
    await core.services.connections.refreshModels(id);
    expect(
      core.services.settings
        .get()
        .connections[0]!.models.map((facts) => facts.id)
        .sort(),
    ).toEqual(['llama3.2:3b', 'qwen2.5vl:7b']);
    expect(factsOf('qwen2.5vl:7b')?.capabilities.vision).toBe(true);
  });

  it('sends an image task to the local model that can see, not the text-only default', async () => {
    ollama.ollama.setModelFacts('llava:7b', { capabilities: ['completion', 'vision'] });
    await addOllama();
    const task = await core.services.tasks.create({
      agent: 'research',
      instruction: 'What is in this picture?',
      attachments: [{ type: 'image', mediaType: 'image/png', data: PIXEL }],
    });
    expect(await core.waitForTask(task.id, ['done', 'failed'])).toMatchObject({ status: 'done' });
    const request = ollama.lastChatRequest();
    expect((request?.body as { model: string }).model).toBe('llava:7b');
    expect(JSON.stringify(request?.body)).toContain(PIXEL);
    const trace = (await core.services.tasks.get(task.id)).trace;
    expect(trace.find((event) => event.type === 'attempt-start')).toMatchObject({ model: 'llava:7b', source: 'capability' });
  });
});
