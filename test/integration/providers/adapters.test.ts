import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../../src-shared/schemas/connection';
import {
  DEFAULT_FAKE_REPLY,
  reportedModel,
  startFakeProviderServer,
  type FakeProviderServer,
  type FakeWireFormat,
} from '../../helpers/fake-provider-server.ts';
import { adapterFor, KEY, kindCases, runStream, textRequest, type KindCase } from './provider-harness';

let server: FakeProviderServer;

beforeAll(async () => {
  server = await startFakeProviderServer({ name: 'adapters', chunkSize: 5 });
});

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  await server.reset();
});

const formatOf = (kind: ProviderKind): FakeWireFormat =>
  kind === 'anthropic'
    ? 'anthropic'
    : kind === 'azure-openai'
      ? 'azure'
      : kind === 'gemini'
        ? 'gemini'
        : kind === 'ollama'
          ? 'ollama'
          : 'openai';

/** Kinds whose servers reject or ignore `stream_options` and so get no usage from this fake. */
const noStreamUsage = new Set<ProviderKind>(['mistral', 'perplexity', 'together']);
const maxCompletionTokens = new Set<ProviderKind>(['openai', 'azure-openai', 'groq']);
const jsonObjectKinds = new Set<ProviderKind>([
  'openai',
  'azure-openai',
  'deepseek',
  'openrouter',
  'groq',
  'mistral',
  'xai',
  'together',
  'custom',
]);
const jsonSchemaKinds = new Set<ProviderKind>([
  'openai',
  'azure-openai',
  'gemini',
  'openrouter',
  'mistral',
  'xai',
  'perplexity',
  'lmstudio',
]);

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function expectedListedModels(kind: ProviderKind, ids: string[]): string[] {
  switch (kind) {
    case 'azure-openai':
      return ['gpt-4o'];
    case 'ollama':
      return ids.map((id) => (id.includes(':') ? id : `${id}:latest`));
    case 'perplexity':
      return ['sonar', 'sonar-pro', 'sonar-reasoning', 'sonar-reasoning-pro', 'sonar-deep-research'];
    default:
      return ids;
  }
}

function body(): Record<string, unknown> {
  const request = server.lastChatRequest();
  if (!request) throw new Error('no chat request reached the fake server');
  return request.body as Record<string, unknown>;
}

function systemText(kind: ProviderKind): string {
  const sent = body();
  if (kind === 'anthropic') return String(sent['system'] ?? '');
  const messages = sent['messages'] as Array<{ role: string; content: unknown }>;
  return messages
    .filter((message) => message.role === 'system')
    .map((message) => String(message.content))
    .join('\n');
}

describe.each(kindCases)('$kind adapter against the fake server', (testCase: KindCase) => {
  const wireModel = testCase.wireModel ?? testCase.model;

  it('streams an answer with the model version, usage and finish reason', async () => {
    const adapter = adapterFor(testCase, server);
    const outcome = await runStream(adapter, textRequest(testCase.model, { system: 'You are a test.' }));

    expect(outcome.unexpected).toBeUndefined();
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(DEFAULT_FAKE_REPLY);
    expect(outcome.parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
    expect(outcome.parts[0]).toMatchObject({
      type: 'response-metadata',
      modelVersion: reportedModel(formatOf(testCase.kind), wireModel),
    });
    const usage = outcome.parts.find((part) => part.type === 'usage');
    if (noStreamUsage.has(testCase.kind)) expect(usage).toBeUndefined();
    else expect(usage).toEqual({ type: 'usage', inputTokens: expect.any(Number), outputTokens: 5 });
    if (usage?.type === 'usage') expect(usage.inputTokens).toBeGreaterThan(0);
    expect(outcome.parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });

    const request = server.lastChatRequest()!;
    expect(request.path).toBe(testCase.chatPath);
    expect(body()['model']).toBe(wireModel);
    expect(body()['stream']).toBe(true);
    expect(systemText(testCase.kind)).toContain('You are a test.');
  });

  it('sends the key the way the provider expects', async () => {
    await runStream(adapterFor(testCase, server), textRequest(testCase.model));
    const headers = server.lastChatRequest()!.headers;
    if (testCase.kind === 'azure-openai') {
      expect(headers['api-key']).toBe(KEY);
      expect(headers['authorization']).toBeUndefined();
    } else {
      expect(headers['authorization']).toBe(`Bearer ${KEY}`);
    }
  });

  it('honours the output limit and reports a cut answer as length', async () => {
    const outcome = await runStream(adapterFor(testCase, server), textRequest(testCase.model, { maxOutputTokens: 2 }));
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe('Hello from');
    expect(outcome.parts.at(-1)).toEqual({ type: 'finish', reason: 'length' });
    if (testCase.kind === 'ollama') {
      expect(body()['options']).toMatchObject({ num_predict: 2 });
      return;
    }
    const parameter = maxCompletionTokens.has(testCase.kind) ? 'max_completion_tokens' : 'max_tokens';
    expect(body()[parameter]).toBe(2);
  });

  it('lists models and probes without spending tokens', async () => {
    server.setModels(['alpha-1', 'beta-2:7b']);
    const adapter = adapterFor(testCase, server);
    const models = await adapter.listModels({ signal: new AbortController().signal });
    expect(models.map((model) => model.id)).toEqual(expectedListedModels(testCase.kind, ['alpha-1', 'beta-2:7b']));

    const before = server.counters.models;
    await adapter.probe({ signal: new AbortController().signal });
    expect(server.counters.models).toBe(before + 1);
    expect(server.counters.chat).toBe(0);
  });

  it('sends images in the provider format', async () => {
    const outcome = await runStream(
      adapterFor(testCase, server),
      textRequest(testCase.model, {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'image', mediaType: 'image/png', data: pixel },
            ],
          },
        ],
      }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toContain('I see an image');
    const user = (body()['messages'] as Array<{ role: string; content: unknown[]; images?: string[] }>).find(
      (message) => message.role === 'user',
    )!;
    const content = user.content;
    if (testCase.kind === 'ollama') {
      // Ollama's native chat: the text, and the images as bare base64 beside it.
      expect(user).toEqual({ role: 'user', content: 'What is in this picture?', images: [pixel] });
    } else if (testCase.kind === 'anthropic') {
      expect(content).toEqual([
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pixel } },
      ]);
    } else {
      expect(content).toEqual([
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } },
      ]);
    }
  });

  it('asks for JSON in the way the provider understands', async () => {
    await runStream(adapterFor(testCase, server), textRequest(testCase.model, { responseFormat: { type: 'json' } }));
    expect(systemText(testCase.kind)).toMatch(/JSON only/);
    if (testCase.kind === 'anthropic') expect(body()['response_format']).toBeUndefined();
    else if (testCase.kind === 'ollama') expect(body()['format']).toBe('json');
    else if (jsonObjectKinds.has(testCase.kind)) expect(body()['response_format']).toEqual({ type: 'json_object' });
    else expect(body()['response_format']).toMatchObject({ type: 'json_schema', json_schema: { schema: { type: 'object' } } });
  });

  it('sends a JSON schema natively where supported and in words elsewhere', async () => {
    const schema = {
      type: 'object',
      properties: { steps: { type: 'array', items: { type: 'string' } } },
      required: ['steps'],
      additionalProperties: false,
    };
    await runStream(
      adapterFor(testCase, server),
      textRequest(testCase.model, { responseFormat: { type: 'json_schema', name: 'plan', schema } }),
    );
    if (testCase.kind === 'ollama') {
      expect(body()['format']).toEqual(schema);
    } else if (jsonSchemaKinds.has(testCase.kind)) {
      expect(body()['response_format']).toEqual({ type: 'json_schema', json_schema: { name: 'plan', schema, strict: true } });
    } else {
      expect(systemText(testCase.kind)).toContain(JSON.stringify(schema));
      if (testCase.kind === 'anthropic') expect(body()['response_format']).toBeUndefined();
      else expect(body()['response_format']).toEqual({ type: 'json_object' });
    }
  });

  it('reports an empty answer as a finished stream with no text', async () => {
    await server.setFault('empty-answer');
    const outcome = await runStream(adapterFor(testCase, server), textRequest(testCase.model));
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe('');
    expect(outcome.parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('tolerates a slow first token and slow chunks inside the deadline', async () => {
    await server.setFault('slow-between-chunks', { delayMs: 100 });
    const outcome = await runStream(adapterFor(testCase, server, { timeoutMs: 1_000 }), textRequest(testCase.model));
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(DEFAULT_FAKE_REPLY);
  });
});
