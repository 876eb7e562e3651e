import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modelFactsSchema } from '../../../src-shared/schemas/connection';
import { detectLocalOllama } from '../../../src-main/providers/ollama-detect';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server.ts';
import { adapterFor, failureOf, kindCase, runStream, textRequest } from './provider-harness';

let server: FakeProviderServer;

beforeAll(async () => {
  server = await startFakeProviderServer({ name: 'specifics', chunkSize: 6 });
});

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  await server.reset();
});

const signal = () => new AbortController().signal;
const sentBody = () => server.lastChatRequest()!.body as Record<string, unknown>;

describe('anthropic', () => {
  const anthropic = kindCase('anthropic');

  it('max_tokens: the request, else the user limit, else the model limit, else 4096', async () => {
    await runStream(adapterFor(anthropic, server), textRequest('claude-haiku-4-5', { maxOutputTokens: 300 }));
    expect(sentBody()['max_tokens']).toBe(300);

    await runStream(adapterFor(anthropic, server), textRequest('claude-haiku-4-5-20251001'));
    expect(sentBody()['max_tokens']).toBe(64_000);

    const limited = modelFactsSchema.parse({ id: 'claude-haiku-4-5', capabilities: {}, maxOutputTokens: 1_000 });
    await runStream(adapterFor(anthropic, server, { connection: { models: [limited] } }), textRequest('claude-haiku-4-5'));
    expect(sentBody()['max_tokens']).toBe(1_000);

    await runStream(adapterFor(anthropic, server), textRequest('claude-future-9'));
    expect(sentBody()['max_tokens']).toBe(4_096);
  });

  it('counts input tokens from message_start and output from message_delta', async () => {
    server.setReply('one two three four five six seven');
    const outcome = await runStream(adapterFor(anthropic, server), textRequest('claude-haiku-4-5', { system: 'Be brief.' }));
    const prompt = 'Be brief.\nSay hello to the test suite, please.';
    expect(outcome.parts.find((part) => part.type === 'usage')).toEqual({
      type: 'usage',
      inputTokens: Math.ceil(prompt.length / 4),
      outputTokens: 7,
    });
  });

  it('sends the system prompt with the JSON instruction and no temperature', async () => {
    await runStream(
      adapterFor(anthropic, server),
      textRequest('claude-haiku-4-5', { system: 'You plan.', temperature: 0.2, responseFormat: { type: 'json' } }),
    );
    expect(sentBody()['system']).toMatch(/^You plan\.\n\nAnswer with JSON only/);
    expect(sentBody()).not.toHaveProperty('temperature');
  });
});

describe('openai', () => {
  it('drops temperature for reasoning models only', async () => {
    const openai = kindCase('openai');
    await runStream(adapterFor(openai, server), textRequest('gpt-4o', { temperature: 0.3 }));
    expect(sentBody()['temperature']).toBe(0.3);
    await runStream(adapterFor(openai, server), textRequest('o4-mini', { temperature: 0.3 }));
    expect(sentBody()).not.toHaveProperty('temperature');
  });

  it.each([['openai'], ['anthropic'], ['ollama']] as const)('%s: a consumer that stops reading aborts the HTTP request', async (kind) => {
    await server.setFault('slow-between-chunks', { delayMs: 200 });
    const signals: AbortSignal[] = [];
    const watching: typeof fetch = (input, init) => {
      // Ollama first asks which models are loaded; only the chat request matters here.
      if (init?.signal && !String(input).endsWith('/api/ps')) signals.push(init.signal);
      return fetch(input, init);
    };
    const testCase = kindCase(kind);
    const adapter = adapterFor(testCase, server, { fetch: watching });
    for await (const part of adapter.stream(textRequest(testCase.model), { signal: signal() })) {
      if (part.type === 'text-delta') break;
    }
    expect(signals).toHaveLength(1);
    await expect.poll(() => signals[0]!.aborted).toBe(true);
  });
});

describe('azure-openai', () => {
  const azure = kindCase('azure-openai');

  it('sends aliases to their deployment and unknown names as deployment names, with the api-version', async () => {
    await runStream(adapterFor(azure, server), textRequest('gpt-4o'));
    expect(server.lastChatRequest()!.path).toBe('/openai/deployments/my-gpt4o/chat/completions');
    expect(server.lastChatRequest()!.query['api-version']).toBe('2024-10-21');

    await runStream(adapterFor(azure, server), textRequest('raw-deployment'));
    expect(server.lastChatRequest()!.path).toBe('/openai/deployments/raw-deployment/chat/completions');
  });

  it('accepts an endpoint pasted with /openai and a trailing slash', async () => {
    const adapter = adapterFor(azure, server, { connection: { baseUrl: `${server.url}/openai/` } });
    const outcome = await runStream(adapter, textRequest('gpt-4o'));
    expect(outcome.error).toBeUndefined();
    expect(server.lastChatRequest()!.path).toBe('/openai/deployments/my-gpt4o/chat/completions');
  });

  it('a missing deployment is model_not_found', async () => {
    await server.setFault('model-not-found');
    const outcome = await runStream(adapterFor(azure, server), textRequest('gpt-4o'));
    expect(outcome.error).toMatchObject({ code: 'model_not_found', status: 404 });
    expect(outcome.error?.message).toMatch(/"gpt-4o"/);
  });
});

describe('ollama', () => {
  const ollama = kindCase('ollama');

  it('needs no key and sends no Authorization header', async () => {
    const outcome = await runStream(adapterFor(ollama, server, { key: null }), textRequest('llama3.2:3b'));
    expect(outcome.error).toBeUndefined();
    expect(server.lastChatRequest()!.headers['authorization']).toBeUndefined();
  });

  it('discovers and probes through the native /api/tags', async () => {
    server.setModels(['llama3.2:3b', 'qwen2.5']);
    const adapter = adapterFor(ollama, server, { key: null });
    expect((await adapter.listModels({ signal: signal() })).map((model) => model.id)).toEqual(['llama3.2:3b', 'qwen2.5:latest']);
    await adapter.probe({ signal: signal() });
    // Listing asks /api/show for each model's facts; the health probe stays one request.
    expect(server.requests.map((request) => request.path)).toEqual(['/api/tags', '/api/show', '/api/show', '/api/tags']);
  });

  it('works when the user typed the /v1 address', async () => {
    const adapter = adapterFor(ollama, server, { key: null, connection: { baseUrl: `${server.url}/v1` } });
    expect((await runStream(adapter, textRequest('llama3.2:3b'))).error).toBeUndefined();
    await adapter.probe({ signal: signal() });
    expect(server.requests.at(-1)!.path).toBe('/api/tags');
  });

  it('a model that is not pulled is model_not_found; Ollama not running is network', async () => {
    await server.setFault('model-not-found');
    expect((await runStream(adapterFor(ollama, server, { key: null }), textRequest('nope'))).error?.code).toBe('model_not_found');
    await server.setFault('refused');
    expect((await failureOf(adapterFor(ollama, server, { key: null }).probe({ signal: signal() }))).code).toBe('network');
  });

  it('detectLocalOllama lists pulled models, or null quickly when nothing answers', async () => {
    server.setModels(['llama3.2:3b']);
    expect(await detectLocalOllama(fetch, server.url)).toEqual(['llama3.2:3b']);
    expect(await detectLocalOllama(fetch, `${server.url}/v1`)).toEqual(['llama3.2:3b']);

    await server.setFault('hang', { on: 'models' });
    const started = Date.now();
    expect(await detectLocalOllama(fetch, server.url, 200)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_500);

    await server.setFault('refused');
    expect(await detectLocalOllama(fetch, server.url)).toBeNull();
    await server.setFault(null);
    expect(await detectLocalOllama(fetch, `${server.url}/not-ollama`)).toBeNull();
  });
});

describe('gemini', () => {
  it('lists model ids without the "models/" prefix, so they can be sent back', async () => {
    server.setModels(['gemini-2.5-pro']);
    const adapter = adapterFor(kindCase('gemini'), server);
    const [model] = await adapter.listModels({ signal: signal() });
    expect(model?.id).toBe('gemini-2.5-pro');
  });
});

describe('perplexity', () => {
  it('probes with the key even though there is no list to read', async () => {
    const adapter = adapterFor(kindCase('perplexity'), server);
    await server.setFault('unauthorized', { on: 'models' });
    expect((await failureOf(adapter.probe({ signal: signal() }))).code).toBe('auth_invalid');
    await server.setFault(null);
    await adapter.probe({ signal: signal() });
    const perplexityAtRoot = adapterFor(kindCase('perplexity'), server, { connection: { baseUrl: `${server.url}/no-models` } });
    await perplexityAtRoot.probe({ signal: signal() });
  });
});

describe('a stream that closes cleanly before its last event', () => {
  /** Passes the first events through, then ends the body as if the server had finished normally. */
  const cutAfterEvents =
    (events: number): typeof fetch =>
    async (input, init) => {
      const response = await fetch(input, init);
      if (!response.body || !response.headers.get('content-type')?.includes('event-stream')) return response;
      const text = await response.text();
      // Keep whole events only: everything up to the end of the Nth one.
      let end = 0;
      for (let count = 0; count < events; count += 1) end = text.indexOf('\n\n', end) + 2;
      const body = text.slice(0, end);
      return new Response(body, { status: response.status, headers: response.headers });
    };

  it.each([['openai'], ['anthropic'], ['gemini'], ['azure-openai']] as const)(
    '%s -> stream_malformed after the text it got',
    async (kind) => {
      server.setReply('one two three four five six seven eight nine ten eleven twelve');
      const testCase = kindCase(kind);
      const outcome = await runStream(adapterFor(testCase, server, { fetch: cutAfterEvents(5) }), textRequest(testCase.model));
      expect(outcome.unexpected).toBeUndefined();
      expect(outcome.text.length).toBeGreaterThan(0);
      expect(outcome.parts.some((part) => part.type === 'finish')).toBe(false);
      expect(outcome.error).toMatchObject({ code: 'stream_malformed', retryable: true, fallbackable: true });
      expect(outcome.error?.message).toMatch(/stopped before it finished/);
    },
  );
});
