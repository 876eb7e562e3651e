import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';
import { startCore, type CoreHarness } from '../../helpers/core-harness';

describe('more than one local host', { timeout: 120_000 }, () => {
  let laptop: FakeProviderServer;
  let gpuBox: FakeProviderServer;
  let core: CoreHarness;

  beforeAll(async () => {
    laptop = await startFakeProviderServer({ models: ['llama3.2:3b'], name: 'ollama' });
    gpuBox = await startFakeProviderServer({ models: ['qwen2.5:14b', 'llava:13b'], name: 'ollama' });
  });
  afterAll(async () => {
    await laptop.close();
    await gpuBox.close();
  });
  afterEach(async () => {
    await core?.stop();
    await laptop.reset();
    await gpuBox.reset();
  });

  it('keeps health, models and load state apart per host', async () => {
    laptop.ollama.setLoaded(['llama3.2:3b']);
    gpuBox.ollama.setLoaded(['qwen2.5:14b']);
    gpuBox.ollama.setModelFacts('qwen2.5:14b', { size: 9_000_000_000, contextLength: 32_768 });
    core = await startCore();
    const laptopId = await core.add({ kind: 'ollama', name: 'Laptop', baseUrl: laptop.url, defaultModel: 'llama3.2:3b' });
    // A GPU box on the LAN or tailnet, marked local by the user.
    const gpuId = await core.add({ kind: 'ollama', name: 'GPU box', baseUrl: gpuBox.url, defaultModel: 'qwen2.5:14b', local: true });
    const modelsOf = (id: string) =>
      core.services.settings
        .get()
        .connections.find((connection) => connection.id === id)!
        .models.filter((facts) => facts.local)
        .map((facts) => facts.id)
        .sort();
    await expect.poll(() => modelsOf(laptopId), { timeout: 60_000 }).toEqual(['llama3.2:3b']);
    await expect.poll(() => modelsOf(gpuId), { timeout: 60_000 }).toEqual(['llava:13b', 'qwen2.5:14b']);
    const gpuFacts = core.services.settings.get().connections.find((connection) => connection.id === gpuId)!.models;
    expect(gpuFacts.find((facts) => facts.id === 'qwen2.5:14b')).toMatchObject({
      contextWindow: 32_768,
      local: { sizeBytes: 9_000_000_000 },
    });

    // Load state per host.
    await core.services.localModels.refreshAllLoaded();
    expect(core.services.localModels.loadedOf(laptopId)?.map((model) => model.name)).toEqual(['llama3.2:3b']);
    expect(core.services.localModels.loadedOf(gpuId)?.map((model) => model.name)).toEqual(['qwen2.5:14b']);
    expect((await core.services.localModels.list(gpuId)).diskBytes).toBe(9_000_000_000 + 2_019_393_189);

    // A pull lands on the host it was asked of, and nowhere else.
    expect((await core.services.localModels.pull(gpuId, 'phi3:mini')).state).toBe('done');
    expect(modelsOf(gpuId)).toContain('phi3:mini');
    expect(modelsOf(laptopId)).toEqual(['llama3.2:3b']);
    expect(laptop.requests.some((request) => request.path === '/api/pull')).toBe(false);

    // The GPU box goes down: its dot says so, the laptop stays green, and each keeps its own load state.
    await gpuBox.setFault('unavailable', { on: 'all' });
    const gpuHealth = await core.services.health.probeNow(gpuId);
    const laptopHealth = await core.services.health.probeNow(laptopId);
    expect(gpuHealth.color).not.toBe('green');
    expect(gpuHealth.color).not.toBe('grey');
    expect(laptopHealth.color).toBe('green');
    laptop.ollama.setLoaded([]);
    await core.services.localModels.refreshAllLoaded();
    expect(core.services.localModels.loadedOf(laptopId)).toEqual([]);
    expect(core.services.localModels.loadedOf(gpuId)?.map((model) => model.name)).toEqual(['qwen2.5:14b']);
    const views = await core.services.connections.list();
    expect(views.map((view) => [view.connection.name, view.isLocal, view.loadedModels?.length])).toEqual([
      ['Laptop', true, 0],
      ['GPU box', true, 1],
    ]);
  });

  it('an LM Studio beside an Ollama: its models and load state come from its own model list, and it offers no pull or delete', async () => {
    const lmStudioModels = [
      { id: 'qwen2-vl-7b-instruct', type: 'vlm', arch: 'qwen2_vl', quantization: '4bit', state: 'loaded', max_context_length: 32_768 },
      { id: 'meta-llama-3.1-8b-instruct', type: 'llm', arch: 'llama', quantization: 'Q4_K_M', state: 'not-loaded' },
    ];
    const lmStudio = createServer((request, response) => {
      if (request.url === '/api/v0/models')
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: lmStudioModels }));
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => lmStudio.listen(0, '127.0.0.1', resolve));
    try {
      const port = (lmStudio.address() as AddressInfo).port;
      laptop.ollama.setLoaded(['llama3.2:3b']);
      core = await startCore();
      const ollamaId = await core.add({ kind: 'ollama', name: 'Ollama', baseUrl: laptop.url, defaultModel: 'llama3.2:3b' });
      const lmId = await core.add({
        kind: 'lmstudio',
        name: 'LM Studio',
        baseUrl: `http://127.0.0.1:${port}/v1`,
        defaultModel: 'meta-llama-3.1-8b-instruct',
      });
      await core.services.localModels.refreshAllLoaded();
      expect(core.services.localModels.loadedOf(lmId)).toEqual([{ name: 'qwen2-vl-7b-instruct', sizeBytes: null, expiresAt: null }]);
      expect(core.services.localModels.loadedOf(ollamaId)?.map((model) => model.name)).toEqual(['llama3.2:3b']);
      const list = await core.services.localModels.list(lmId);
      expect(list.canManage).toBe(false);
      expect(list.models.map((model) => [model.name, model.quantization, model.loaded])).toEqual([
        ['meta-llama-3.1-8b-instruct', 'Q4_K_M', false],
        ['qwen2-vl-7b-instruct', '4bit', true],
      ]);
      await expect(core.services.localModels.pull(lmId, 'phi3:mini')).rejects.toThrow('cannot download models from here');
      // The next listing says the other model is loaded now.
      lmStudioModels[0]!.state = 'not-loaded';
      lmStudioModels[1]!.state = 'loaded';
      await core.services.localModels.refreshLoaded(lmId);
      expect(core.services.localModels.loadedOf(lmId)?.map((model) => model.name)).toEqual(['meta-llama-3.1-8b-instruct']);
    } finally {
      await new Promise((resolve) => lmStudio.close(resolve));
    }
  });
});
