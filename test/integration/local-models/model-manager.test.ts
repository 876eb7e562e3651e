import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../../src-shared/schemas/local-models';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';
import { startCore, type CoreHarness } from '../../helpers/core-harness';

describe('managing the models of a local Ollama', { timeout: 90_000 }, () => {
  let ollama: FakeProviderServer;
  let core: CoreHarness;
  let progress: PullProgress[];

  beforeAll(async () => {
    ollama = await startFakeProviderServer({ models: ['llama3.2:3b', 'llava:7b'], name: 'ollama' });
  });
  afterAll(() => ollama.close());
  afterEach(async () => {
    await core?.stop();
    await ollama.reset();
  });

  async function addOllama() {
    progress = [];
    core = await startCore({ events: { pullProgress: (step) => progress.push(step) } });
    const id = await core.add({ kind: 'ollama', name: 'Ollama', baseUrl: ollama.url, defaultModel: 'llama3.2:3b' });
    await expect
      .poll(() => core.services.settings.get().connections[0]?.models.filter((facts) => facts.local).length, { timeout: 60_000 })
      .toBe(2);
    return id;
  }
  const savedModels = () =>
    core.services.settings
      .get()
      .connections[0]!.models.map((facts) => facts.id)
      .sort();

  it('lists the models with size and quantization, the disk space they use, and which are loaded', async () => {
    ollama.ollama.setModelFacts('llava:7b', { size: 4_700_000_000, quantization: 'Q4_0', parameterSize: '7B' });
    ollama.ollama.setLoaded(['llava:7b']);
    const id = await addOllama();
    const list = await core.services.localModels.list(id);
    expect(list.canManage).toBe(true);
    expect(list.models).toEqual([
      { name: 'llama3.2:3b', sizeBytes: 2_019_393_189, family: 'llama', parameterSize: '3B', quantization: 'Q4_K_M', loaded: false },
      { name: 'llava:7b', sizeBytes: 4_700_000_000, family: 'llava', parameterSize: '7B', quantization: 'Q4_0', loaded: true },
    ]);
    expect(list.diskBytes).toBe(2_019_393_189 + 4_700_000_000);
    expect(list.loaded.map((model) => [model.name, model.sizeBytes])).toEqual([['llava:7b', 4_700_000_000]]);
    // The provider row learns it too.
    const [view] = await core.services.connections.list();
    expect(view?.loadedModels?.map((model) => model.name)).toEqual(['llava:7b']);
  });

  it('pulls a model with progress, then lists it and knows its facts', async () => {
    ollama.ollama.setPullBehaviour('qwen2.5:7b', { steps: 6, stepDelayMs: 200, facts: { capabilities: ['completion', 'tools'] } });
    const id = await addOllama();
    const outcome = await core.services.localModels.pull(id, 'qwen2.5:7b');
    expect(outcome).toMatchObject({ state: 'done', status: 'success' });
    const running = progress.filter((step) => step.state === 'running' && step.totalBytes);
    expect(running.length).toBeGreaterThanOrEqual(3);
    const completed = running.map((step) => step.completedBytes ?? 0);
    expect(completed).toEqual([...completed].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ state: 'done' });
    expect((await core.services.localModels.list(id)).models.map((model) => model.name)).toContain('qwen2.5:7b');
    expect(savedModels()).toEqual(['llama3.2:3b', 'llava:7b', 'qwen2.5:7b']);
    const facts = core.services.settings.get().connections[0]!.models.find((model) => model.id === 'qwen2.5:7b');
    expect(facts?.capabilities.tools).toBe(true);
  });

  it('a cancelled pull stops the download and lists nothing', async () => {
    ollama.ollama.setPullBehaviour('mistral:7b', { steps: 50, stepDelayMs: 100 });
    const id = await addOllama();
    const pulling = core.services.localModels.pull(id, 'mistral:7b');
    await expect.poll(() => progress.some((step) => (step.completedBytes ?? 0) > 0), { timeout: 10_000 }).toBe(true);
    core.services.localModels.cancelPull(id, 'mistral:7b');
    const outcome = await pulling;
    expect(outcome.state).toBe('cancelled');
    expect(outcome.completedBytes).toBeLessThan(outcome.totalBytes ?? 0);
    expect((await core.services.localModels.list(id)).models.map((model) => model.name)).not.toContain('mistral:7b');
    expect(savedModels()).toEqual(['llama3.2:3b', 'llava:7b']);
  });

  it('a pull that fails midway says why and leaves no half model listed', async () => {
    ollama.ollama.setPullBehaviour('phi3:mini', { steps: 5, failAfterSteps: 2, error: 'max retries exceeded: connection reset by peer' });
    const id = await addOllama();
    const outcome = await core.services.localModels.pull(id, 'phi3:mini');
    expect(outcome.state).toBe('failed');
    expect(outcome.error).toBe('The pull of phi3:mini failed: max retries exceeded: connection reset by peer');
    expect(progress.at(-1)).toMatchObject({ state: 'failed' });
    expect((await core.services.localModels.list(id)).models.map((model) => model.name)).not.toContain('phi3:mini');
    expect(savedModels()).toEqual(['llama3.2:3b', 'llava:7b']);
  });

  it('a name the library does not know fails saying so', async () => {
    ollama.ollama.setPullBehaviour('no-such-model', null);
    const id = await addOllama();
    const outcome = await core.services.localModels.pull(id, 'no-such-model');
    expect(outcome.state).toBe('failed');
    expect(outcome.error).toContain('There is no model named no-such-model to pull');
  });

  it('deletes a model: gone from the server, the list and the saved models', async () => {
    const id = await addOllama();
    const list = await core.services.localModels.remove(id, 'llava:7b');
    expect(list.models.map((model) => model.name)).toEqual(['llama3.2:3b']);
    expect(list.diskBytes).toBe(2_019_393_189);
    expect(savedModels()).toEqual(['llama3.2:3b']);
    const deleted = ollama.requests.find((request) => request.path === '/api/delete');
    expect(deleted?.method).toBe('DELETE');
    expect(deleted?.body).toEqual({ model: 'llava:7b' });
  });

  it("warms the Primary's model with its context and keep_alive when the setting is on, and not when it is off", async () => {
    ollama.ollama.setLoaded([]);
    const id = await addOllama();
    core.configure((settings) => ({ ...settings, localModels: { ...settings.localModels, keepAlive: '30m', warmPrimary: false } }));
    expect(await core.services.localModels.warmPrimary()).toMatchObject({ warmed: false });
    expect(ollama.requests.filter((request) => request.path === '/api/chat')).toHaveLength(0);

    core.configure((settings) => ({ ...settings, localModels: { ...settings.localModels, warmPrimary: true } }));
    expect(await core.services.localModels.warmPrimary()).toEqual({ warmed: true, connectionId: id, model: 'llama3.2:3b' });
    const [load] = ollama.requests.filter((request) => request.path === '/api/chat');
    expect(load?.body).toMatchObject({ model: 'llama3.2:3b', messages: [], keep_alive: '30m', options: { num_ctx: 8192 } });
    expect(ollama.ollama.loadedModels()).toEqual(['llama3.2:3b']);
    expect(core.services.localModels.loadedOf(id)?.map((model) => model.name)).toEqual(['llama3.2:3b']);
  });
});
