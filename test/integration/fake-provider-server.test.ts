import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_FAKE_REPLY,
  reportedModel,
  startFakeProviderServer,
  type FakeProviderServer,
  type FaultName,
  type FaultOptions,
} from '../helpers/fake-provider-server.ts';

type OpenAIAPIError = InstanceType<typeof OpenAI.APIError>;
type AnthropicAPIError = InstanceType<typeof Anthropic.APIError>;

const KEY = 'sk-test-1234567890';
const REPLY = 'The quick brown fox jumps over the lazy dog again and again.';

let server: FakeProviderServer;

beforeAll(async () => {
  server = await startFakeProviderServer({ name: 'suite', reply: REPLY, chunkSize: 8 });
});

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  await server.reset();
});

function openai(baseURL = `${server.url}/v1`, apiKey = KEY): OpenAI {
  return new OpenAI({ baseURL, apiKey, maxRetries: 0 });
}

function anthropic(apiKey = KEY): Anthropic {
  return new Anthropic({ baseURL: server.url, apiKey, maxRetries: 0 });
}

function azure(apiKey = KEY): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: server.url,
    apiKey,
    apiVersion: '2024-10-21',
    deployment: 'my-gpt4o',
    maxRetries: 0,
  });
}

const userMessage = [{ role: 'user' as const, content: 'Say hello to the test suite, please.' }];

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function collectOpenAIStream(
  stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>,
): Promise<{ text: string; error: unknown }> {
  let text = '';
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  } catch (error) {
    return { text, error };
  }
  return { text, error: undefined };
}

async function readNdjson(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('OpenAI format', () => {
  it('answers without streaming, with usage and the model version', async () => {
    const completion = await openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.model).toBe('gpt-4o-2024-08-06');
    expect(completion.model).toBe(reportedModel('openai', 'gpt-4o'));
    expect(completion.usage).toMatchObject({
      prompt_tokens: Math.ceil(userMessage[0]!.content.length / 4),
      completion_tokens: 12,
      total_tokens: Math.ceil(userMessage[0]!.content.length / 4) + 12,
    });
    expect(completion._request_id).toMatch(/^req_/);
  });

  it('streams a role delta first, content chunks, a usage chunk with no choices and [DONE]', async () => {
    const stream = await openai().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: userMessage,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const contentChunks = chunks.filter((chunk) => chunk.choices[0]?.delta.content);
    expect(contentChunks.map((chunk) => chunk.choices[0]?.delta.content).join('')).toBe(REPLY);
    expect(contentChunks.length).toBe(Math.ceil(REPLY.length / 8));
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage?.completion_tokens).toBe(12);
    expect(new Set(chunks.map((chunk) => chunk.model))).toEqual(new Set(['gpt-4o-mini-2024-08-06']));
  });

  it('sends no usage chunk unless include_usage is asked for, and ends with [DONE] on the wire', async () => {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: userMessage, stream: true }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(events.every((event) => event.startsWith('data: '))).toBe(true);
    expect(events.some((event) => event.includes('"usage"'))).toBe(false);
  });

  it('cuts the answer to max_tokens words with finish_reason length', async () => {
    const completion = await openai().chat.completions.create({
      model: 'gpt-4o',
      messages: userMessage,
      max_completion_tokens: 3,
    });
    expect(completion.choices[0]?.message.content).toBe('The quick brown');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(3);

    const stream = await openai().chat.completions.create({
      model: 'gpt-4o',
      messages: userMessage,
      max_tokens: 2,
      stream: true,
    });
    const finishReasons: (string | null)[] = [];
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finishReasons.push(chunk.choices[0]?.finish_reason ?? null);
    }
    expect(text).toBe('The quick');
    expect(finishReasons).toContain('length');
  });

  it('lists models', async () => {
    server.setModels(['gpt-4o', 'o3-mini']);
    const page = await openai().models.list();
    expect(page.data.map((model) => model.id)).toEqual(['gpt-4o', 'o3-mini']);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'system' });
    expect(server.counters).toEqual({ total: 1, chat: 0, models: 1 });
  });

  it('records counters and request bodies, and lets setReply see the request', async () => {
    server.setReply((request) => `You sent ${(request.body as { messages: unknown[] }).messages.length} message(s).`);
    const completion = await openai().chat.completions.create({
      model: 'gpt-4o',
      messages: userMessage,
      temperature: 0.2,
    });
    expect(completion.choices[0]?.message.content).toBe('You sent 1 message(s).');
    await openai().models.list();
    expect(server.counters).toEqual({ total: 2, chat: 1, models: 1 });
    const last = server.lastChatRequest();
    expect(last).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'gpt-4o', temperature: 0.2 },
    });
    expect(last?.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(server.requests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/models']);
  });

  it('mentions an attached image by default, and the configured reply wins', async () => {
    const imageServer = await startFakeProviderServer();
    try {
      const client = new OpenAI({ baseURL: `${imageServer.url}/v1`, apiKey: KEY, maxRetries: 0 });
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ];
      const seen = await client.chat.completions.create({ model: 'gpt-4o', messages });
      expect(seen.choices[0]?.message.content).toBe(`I see an image. ${DEFAULT_FAKE_REPLY}`);
      const plain = await client.chat.completions.create({ model: 'gpt-4o', messages: userMessage });
      expect(plain.choices[0]?.message.content).toBe(DEFAULT_FAKE_REPLY);
      imageServer.setReply('A cat.');
      const configured = await client.chat.completions.create({ model: 'gpt-4o', messages });
      expect(configured.choices[0]?.message.content).toBe('A cat.');
    } finally {
      await imageServer.close();
    }
  });

  it('answers an unknown path with a 404 in the OpenAI shape', async () => {
    const response = await fetch(`${server.url}/v1/nothing-here`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'Invalid URL (POST /v1/nothing-here)', type: 'invalid_request_error', param: null, code: null },
    });
  });

  it('rejects a malformed request body with a 400 like the real API', async () => {
    const error = await caught(openai().chat.completions.create({ model: 'gpt-4o' } as never));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as OpenAIAPIError).code).toBe('missing_required_parameter');
  });
});

interface OpenAIFaultCase {
  fault: FaultName;
  options?: FaultOptions;
  errorClass: new (...args: never[]) => OpenAIAPIError;
  status: number;
  type?: string;
  code?: string | null;
}

const openAIFaultCases: OpenAIFaultCase[] = [
  { fault: 'unauthorized', errorClass: OpenAI.AuthenticationError, status: 401, code: 'invalid_api_key' },
  {
    fault: 'insufficient-quota',
    errorClass: OpenAI.RateLimitError,
    status: 429,
    type: 'insufficient_quota',
    code: 'insufficient_quota',
  },
  { fault: 'insufficient-quota', options: { status: 402 }, errorClass: OpenAI.APIError, status: 402 },
  { fault: 'forbidden', errorClass: OpenAI.PermissionDeniedError, status: 403 },
  { fault: 'model-not-found', errorClass: OpenAI.NotFoundError, status: 404, code: 'model_not_found' },
  { fault: 'context-too-long', errorClass: OpenAI.BadRequestError, status: 400, code: 'context_length_exceeded' },
  {
    fault: 'bad-request',
    errorClass: OpenAI.BadRequestError,
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_type',
  },
  { fault: 'rate-limited', errorClass: OpenAI.RateLimitError, status: 429, code: 'rate_limit_exceeded' },
  { fault: 'server-error', errorClass: OpenAI.InternalServerError, status: 500, type: 'server_error' },
  { fault: 'unavailable', errorClass: OpenAI.InternalServerError, status: 503 },
  { fault: 'overloaded', errorClass: OpenAI.InternalServerError, status: 529, type: 'overloaded_error' },
  { fault: 'server-error', options: { status: 502 }, errorClass: OpenAI.InternalServerError, status: 502 },
];

describe('OpenAI format faults', () => {
  it.each(openAIFaultCases)('$fault $options -> $status', async ({ fault, options, errorClass, status, type, code }) => {
    await server.setFault(fault, options);
    const error = await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }));
    expect(error).toBeInstanceOf(errorClass);
    const apiError = error as OpenAIAPIError;
    expect(apiError.status).toBe(status);
    expect(apiError.requestID).toMatch(/^req_/);
    if (type !== undefined) expect(apiError.type).toBe(type);
    if (code !== undefined) expect(apiError.code).toBe(code);
  });

  it('streams fail the same way: the error comes from create(), before any chunk', async () => {
    await server.setFault('overloaded');
    const error = await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage, stream: true }));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as OpenAIAPIError).status).toBe(529);
  });

  it('a DeepSeek-style 402 says Insufficient Balance', async () => {
    await server.setFault('insufficient-quota', { status: 402 });
    const error = (await caught(openai().chat.completions.create({ model: 'deepseek-chat', messages: userMessage }))) as OpenAIAPIError;
    expect(error.message).toBe('402 Insufficient Balance');
  });

  it('rate-limited carries retry-after and retry-after-ms', async () => {
    await server.setFault('rate-limited');
    const first = (await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }))) as OpenAIAPIError;
    expect(first.headers?.get('retry-after')).toBe('1');
    expect(first.headers?.get('retry-after-ms')).toBe('1000');
    await server.setFault('rate-limited', { retryAfterSeconds: 7 });
    const second = (await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }))) as OpenAIAPIError;
    expect(second.headers?.get('retry-after')).toBe('7');
    expect(second.headers?.get('retry-after-ms')).toBe('7000');
  });

  it('reset -> APIConnectionError', async () => {
    await server.setFault('reset');
    const error = await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(error).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(server.counters.chat).toBe(1);
  });

  it('refused -> APIConnectionError, and clearing it listens again on the same port', async () => {
    const port = server.port;
    await openai().models.list(); // leaves a keep-alive socket that 'refused' must not reuse
    await server.setFault('refused');
    const error = await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(((error as Error).cause as { cause?: { code?: string } } | undefined)?.cause?.code).toBe('ECONNREFUSED');
    const viaFetch = await caught(fetch(`${server.url}/api/version`));
    expect(viaFetch).toBeInstanceOf(TypeError);
    await server.setFault(null);
    expect(server.port).toBe(port);
    const completion = await openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
  });

  it('hang never answers until the caller aborts', async () => {
    await server.setFault('hang');
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }, { signal: controller.signal }));
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(server.counters.chat).toBe(1);
  });

  it('hang also trips the SDK timeout', async () => {
    await server.setFault('hang');
    const error = await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }, { timeout: 100 }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it('slow-first-token delays the first content chunk, not the headers', async () => {
    await server.setFault('slow-first-token', { delayMs: 200 });
    const started = Date.now();
    const stream = await openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage, stream: true });
    const headersAfter = Date.now() - started;
    let firstContentAfter = -1;
    for await (const chunk of stream) {
      if (firstContentAfter < 0 && chunk.choices[0]?.delta.content) firstContentAfter = Date.now() - started;
    }
    expect(headersAfter).toBeLessThan(150);
    expect(firstContentAfter).toBeGreaterThanOrEqual(190);
  });

  it('slow-between-chunks spaces the chunks by delayMs', async () => {
    server.setReply('abcdefgh12345678ABCDEFGH'); // three chunks of 8
    await server.setFault('slow-between-chunks', { delayMs: 60 });
    const started = Date.now();
    const times: number[] = [];
    const stream = await openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage, stream: true });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) times.push(Date.now() - started);
    expect(times).toHaveLength(3);
    // Two gaps before the third chunk; measured from the start because a loaded client can bunch receipts up.
    expect(times[2]).toBeGreaterThanOrEqual(115);
  });

  it('drop-mid-stream makes the stream throw after afterChunks chunks', async () => {
    await server.setFault('drop-mid-stream', { afterChunks: 2 });
    const stream = await openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage, stream: true });
    const { text, error } = await collectOpenAIStream(stream);
    expect(text).toBe(REPLY.slice(0, 16));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(OpenAI.APIError);
  });

  it('drop-mid-stream on a non-streamed call fails while reading the body', async () => {
    await server.setFault('drop-mid-stream');
    const error = await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }));
    expect(error).toBeInstanceOf(Error);
  });

  it('malformed-chunk throws a SyntaxError mid-stream and for a non-streamed body', async () => {
    await server.setFault('malformed-chunk', { afterChunks: 1 });
    const stream = await openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage, stream: true });
    const { text, error } = await collectOpenAIStream(stream);
    expect(text).toBe(REPLY.slice(0, 8));
    expect(error).toBeInstanceOf(SyntaxError);
    const nonStream = await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }));
    expect(nonStream).toBeInstanceOf(SyntaxError);
  });

  it('empty-answer is a well-formed success with no text', async () => {
    await server.setFault('empty-answer');
    const completion = await openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage });
    expect(completion.choices[0]?.message.content).toBe('');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBe(0);
    const stream = await openai().chat.completions.create({
      model: 'gpt-4o',
      messages: userMessage,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, error } = await collectOpenAIStream(stream);
    expect(error).toBeUndefined();
    expect(text).toBe('');
  });

  it('times: 1 clears the fault after one request', async () => {
    await server.setFault('server-error', { times: 1 });
    expect(await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }))).toBeInstanceOf(
      OpenAI.InternalServerError,
    );
    const completion = await openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
  });

  it("faults hit chat by default, list endpoints with on: 'models', and everything with on: 'all'", async () => {
    await server.setFault('unavailable');
    await expect(openai().models.list()).resolves.toBeDefined();
    await server.setFault('unavailable', { on: 'models' });
    expect(await caught(openai().models.list())).toBeInstanceOf(OpenAI.InternalServerError);
    await expect(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage })).resolves.toBeDefined();
    await server.setFault('unavailable', { on: 'all' });
    expect(await caught(openai().models.list())).toBeInstanceOf(OpenAI.InternalServerError);
    expect((await fetch(`${server.url}/api/version`)).status).toBe(503);
  });

  it('setExpectedKey rejects a wrong key and accepts the right one in any header', async () => {
    server.setExpectedKey(KEY);
    const error = await caught(openai(undefined, 'sk-wrong-key-0000').chat.completions.create({ model: 'gpt-4o', messages: userMessage }));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as OpenAIAPIError).message).not.toContain('sk-wrong-key-0000');
    await expect(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage })).resolves.toBeDefined();
    const viaApiKeyHeader = await fetch(`${server.url}/v1/models`, { headers: { 'api-key': KEY } });
    expect(viaApiKeyHeader.status).toBe(200);
    const missing = await fetch(`${server.url}/v1/models`);
    expect(missing.status).toBe(401);
  });

  it('reset() restores the start options', async () => {
    await server.setFault('server-error');
    server.setReply('changed');
    server.setModels(['x']);
    server.setExpectedKey('other');
    await caught(openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage }));
    await server.reset();
    expect(server.counters).toEqual({ total: 0, chat: 0, models: 0 });
    expect(server.requests).toEqual([]);
    const completion = await openai().chat.completions.create({ model: 'gpt-4o', messages: userMessage });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect((await openai().models.list()).data.map((model) => model.id)).toContain('gpt-4o');
  });
});

describe('Gemini OpenAI-compatible format', () => {
  const gemini = (): OpenAI => openai(`${server.url}/v1beta/openai`);

  it('answers, streams and lists models under /v1beta/openai', async () => {
    const completion = await gemini().chat.completions.create({ model: 'gemini-2.5-flash', messages: userMessage });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(completion.model).toBe('gemini-2.5-flash-2024-08-06');
    expect(completion.usage?.completion_tokens).toBe(12);

    const stream = await gemini().chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: userMessage,
      stream: true,
    });
    expect((await collectOpenAIStream(stream)).text).toBe(REPLY);

    server.setModels(['gemini-2.5-flash', 'gemini-2.5-pro']);
    const page = await gemini().models.list();
    expect(page.data.map((model) => model.id)).toEqual(['models/gemini-2.5-flash', 'models/gemini-2.5-pro']);
    expect(server.requests.map((request) => request.path)).toEqual([
      '/v1beta/openai/chat/completions',
      '/v1beta/openai/chat/completions',
      '/v1beta/openai/models',
    ]);
  });

  it('fails in the OpenAI shape', async () => {
    await server.setFault('rate-limited', { retryAfterSeconds: 2 });
    const error = (await caught(gemini().chat.completions.create({ model: 'gemini-2.5-flash', messages: userMessage }))) as OpenAIAPIError;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('2');
  });
});

describe('Azure OpenAI format', () => {
  it('answers on the deployment path with the api-key header and api-version query', async () => {
    const completion = await azure().chat.completions.create({ model: 'gpt-4o', messages: userMessage });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(completion.model).toBe('gpt-4o-2024-08-06');
    expect(completion.usage?.total_tokens).toBeGreaterThan(12);
    const request = server.lastChatRequest();
    expect(request?.path).toBe('/openai/deployments/my-gpt4o/chat/completions');
    expect(request?.query).toEqual({ 'api-version': '2024-10-21' });
    expect(request?.headers['api-key']).toBe(KEY);
    expect(request?.headers['authorization']).toBeUndefined();
  });

  it('streams, with the choice-less prompt filter chunk first as Azure does', async () => {
    const stream = await azure().chat.completions.create({
      model: 'gpt-4o',
      messages: userMessage,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices).toEqual([]);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(REPLY);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(12);
  });

  it('lists models at /openai/models', async () => {
    server.setModels(['gpt-4o', 'gpt-4o-mini']);
    const page = await azure().models.list();
    expect(page.data.map((model) => model.id)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(server.requests[0]).toMatchObject({ path: '/openai/models', query: { 'api-version': '2024-10-21' } });
  });

  it('fails with Azure codes for a bad key, a missing deployment and throttling', async () => {
    server.setExpectedKey(KEY);
    const unauthorized = (await caught(
      azure('wrong').chat.completions.create({ model: 'gpt-4o', messages: userMessage }),
    )) as OpenAIAPIError;
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthorized.code).toBe('401');

    await server.setFault('model-not-found');
    const missing = (await caught(azure().chat.completions.create({ model: 'gpt-4o', messages: userMessage }))) as OpenAIAPIError;
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing.code).toBe('DeploymentNotFound');

    await server.setFault('rate-limited', { retryAfterSeconds: 3 });
    const throttled = (await caught(azure().chat.completions.create({ model: 'gpt-4o', messages: userMessage }))) as OpenAIAPIError;
    expect(throttled).toBeInstanceOf(OpenAI.RateLimitError);
    expect(throttled.code).toBe('429');
    expect(throttled.headers?.get('retry-after')).toBe('3');
    expect(throttled.headers?.get('retry-after-ms')).toBe('3000');
  });
});

describe('Anthropic format', () => {
  const body = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: userMessage };

  it('answers without streaming, with usage, stop_reason and the model version', async () => {
    const message = await anthropic().messages.create({ ...body, system: 'Be brief.' });
    expect(message.content).toEqual([{ type: 'text', text: REPLY }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.model).toBe('claude-sonnet-4-5-20250929');
    expect(message.usage.input_tokens).toBe(Math.ceil(`Be brief.\n${userMessage[0]!.content}`.length / 4));
    expect(message.usage.output_tokens).toBe(12);
    expect(message._request_id).toMatch(/^req_/);
    const request = server.lastChatRequest();
    expect(request?.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(request?.headers['anthropic-version']).toBeDefined();
  });

  it('streams the real event sequence', async () => {
    const stream = await anthropic().messages.create({ ...body, stream: true });
    const events: Anthropic.Messages.RawMessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const deltas = events.filter((event) => event.type === 'content_block_delta');
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      ...deltas.map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(deltas.length).toBe(Math.ceil(REPLY.length / 8));
    const start = events[0] as Anthropic.Messages.RawMessageStartEvent;
    expect(start.message.usage.input_tokens).toBe(Math.ceil(userMessage[0]!.content.length / 4));
    expect(start.message.model).toBe('claude-sonnet-4-5-20250929');
    const delta = events.at(-2) as Anthropic.Messages.RawMessageDeltaEvent;
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage.output_tokens).toBe(12);
  });

  it('puts event: lines, data: lines and a ping on the wire', async () => {
    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.slice(0, 3).map((event) => event.split('\n')[0])).toEqual([
      'event: message_start',
      'event: content_block_start',
      'event: ping',
    ]);
    expect(events.at(-1)).toBe('event: message_stop\ndata: {"type":"message_stop"}');
  });

  it('accumulates through messages.stream() and honours max_tokens', async () => {
    const final = await anthropic().messages.stream(body).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: REPLY }]);
    expect(final.usage.output_tokens).toBe(12);
    const cut = await anthropic()
      .messages.stream({ ...body, max_tokens: 4 })
      .finalMessage();
    expect(cut.content).toEqual([{ type: 'text', text: 'The quick brown fox' }]);
    expect(cut.stop_reason).toBe('max_tokens');
    const cutNonStream = await anthropic().messages.create({ ...body, max_tokens: 1 });
    expect(cutNonStream.stop_reason).toBe('max_tokens');
  });

  it('lists models in the Anthropic shape', async () => {
    server.setModels(['claude-sonnet-4-5', 'claude-haiku-4-5']);
    const page = await anthropic().models.list();
    expect(page.data.map((model) => model.id)).toEqual(['claude-sonnet-4-5', 'claude-haiku-4-5']);
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: 'Claude Sonnet 4 5' });
    expect(page.has_more).toBe(false);
    expect(page.last_id).toBe('claude-haiku-4-5');
  });

  it('mentions an image block by default', async () => {
    const imageServer = await startFakeProviderServer();
    try {
      const client = new Anthropic({ baseURL: imageServer.url, apiKey: KEY, maxRetries: 0 });
      const message = await client.messages.create({
        ...body,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      });
      expect(message.content).toEqual([{ type: 'text', text: `I see an image. ${DEFAULT_FAKE_REPLY}` }]);
    } finally {
      await imageServer.close();
    }
  });

  it('requires max_tokens like the real API', async () => {
    const error = (await caught(
      anthropic().messages.create({ model: 'claude-sonnet-4-5', messages: userMessage } as never),
    )) as AnthropicAPIError;
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.type).toBe('invalid_request_error');
    expect(error.apiMessage).toBe('max_tokens: Field required');
  });
});

interface AnthropicFaultCase {
  fault: FaultName;
  options?: FaultOptions;
  errorClass: new (...args: never[]) => AnthropicAPIError;
  status: number;
  type: string;
  message?: string;
}

const anthropicFaultCases: AnthropicFaultCase[] = [
  { fault: 'unauthorized', errorClass: Anthropic.AuthenticationError, status: 401, type: 'authentication_error' },
  { fault: 'insufficient-quota', errorClass: Anthropic.PaymentRequiredError, status: 402, type: 'billing_error' },
  { fault: 'forbidden', errorClass: Anthropic.PermissionDeniedError, status: 403, type: 'permission_error' },
  {
    fault: 'model-not-found',
    errorClass: Anthropic.NotFoundError,
    status: 404,
    type: 'not_found_error',
    message: 'model: claude-sonnet-4-5',
  },
  {
    fault: 'context-too-long',
    errorClass: Anthropic.BadRequestError,
    status: 400,
    type: 'invalid_request_error',
    message: 'prompt is too long: 250000 tokens > 200000 maximum',
  },
  { fault: 'bad-request', errorClass: Anthropic.BadRequestError, status: 400, type: 'invalid_request_error' },
  { fault: 'rate-limited', errorClass: Anthropic.RateLimitError, status: 429, type: 'rate_limit_error' },
  { fault: 'server-error', errorClass: Anthropic.InternalServerError, status: 500, type: 'api_error' },
  { fault: 'unavailable', errorClass: Anthropic.ServiceUnavailableError, status: 503, type: 'api_error' },
  { fault: 'overloaded', errorClass: Anthropic.OverloadedError, status: 529, type: 'overloaded_error' },
];

describe('Anthropic format faults', () => {
  const body = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: userMessage };

  it.each(anthropicFaultCases)('$fault -> $status $type', async ({ fault, options, errorClass, status, type, message }) => {
    await server.setFault(fault, options);
    const error = await caught(anthropic().messages.create(body));
    expect(error).toBeInstanceOf(errorClass);
    const apiError = error as AnthropicAPIError;
    expect(apiError.status).toBe(status);
    expect(apiError.type).toBe(type);
    expect(apiError.error).toMatchObject({ type: 'error', error: { type } });
    expect(apiError.requestID).toMatch(/^req_/);
    if (message !== undefined) expect(apiError.apiMessage).toBe(message);
  });

  it('overloaded is an InternalServerError with status 529', async () => {
    await server.setFault('overloaded');
    const error = await caught(anthropic().messages.create(body));
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as AnthropicAPIError).status).toBe(529);
  });

  it('rate-limited carries retry-after', async () => {
    await server.setFault('rate-limited', { retryAfterSeconds: 4 });
    const error = (await caught(anthropic().messages.create(body))) as AnthropicAPIError;
    expect(error.headers?.get('retry-after')).toBe('4');
  });

  it('models listing fails in the Anthropic shape too', async () => {
    await server.setFault('unauthorized', { on: 'models' });
    const error = (await caught(anthropic().models.list())) as AnthropicAPIError;
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error.type).toBe('authentication_error');
  });

  it('setExpectedKey checks the Bearer key the SDK sends and the x-api-key header', async () => {
    server.setExpectedKey(KEY);
    expect(await caught(anthropic('sk-ant-wrong').messages.create(body))).toBeInstanceOf(Anthropic.AuthenticationError);
    await expect(anthropic().messages.create(body)).resolves.toBeDefined();
    const viaHeader = await fetch(`${server.url}/v1/models`, {
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    });
    expect(viaHeader.status).toBe(200);
    expect(await viaHeader.json()).toMatchObject({ has_more: false });
  });

  it('refused and reset -> APIConnectionError; hang -> aborted by the signal', async () => {
    await server.setFault('reset');
    expect(await caught(anthropic().messages.create(body))).toBeInstanceOf(Anthropic.APIConnectionError);
    await server.setFault('refused');
    expect(await caught(anthropic().messages.create(body))).toBeInstanceOf(Anthropic.APIConnectionError);
    await server.setFault('hang');
    const error = await caught(anthropic().messages.create(body, { signal: AbortSignal.timeout(80) }));
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
  });

  it('drop-mid-stream throws after the first deltas', async () => {
    await server.setFault('drop-mid-stream', { afterChunks: 2 });
    const stream = await anthropic().messages.create({ ...body, stream: true });
    let text = '';
    let failure: unknown;
    try {
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      }
    } catch (error) {
      failure = error;
    }
    expect(text).toBe(REPLY.slice(0, 16));
    expect(failure).toBeInstanceOf(Error);
  });

  it('malformed-chunk throws from the raw stream and from messages.stream()', async () => {
    await server.setFault('malformed-chunk', { times: 2 });
    const stream = await anthropic().messages.create({ ...body, stream: true });
    const failure = await caught(
      (async () => {
        for await (const _event of stream) void _event;
      })(),
    );
    expect(failure).toBeInstanceOf(SyntaxError);
    const helperFailure = await caught(anthropic().messages.stream(body).finalMessage());
    expect(helperFailure).toBeInstanceOf(Anthropic.AnthropicError);
  });

  it('empty-answer streams an empty text block with output_tokens 0', async () => {
    await server.setFault('empty-answer');
    const final = await anthropic().messages.stream(body).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: '' }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBe(0);
  });
});

describe('Ollama format', () => {
  const chatBody = { model: 'llama3.2', messages: userMessage };

  it('lists models at /api/tags and reports its version', async () => {
    server.setModels(['llama3.2:3b', 'qwen2.5']);
    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: Record<string, unknown>[] };
    expect(tags.models.map((model) => model['name'])).toEqual(['llama3.2:3b', 'qwen2.5:latest']);
    expect(tags.models[0]).toMatchObject({
      model: 'llama3.2:3b',
      details: { family: 'llama', parameter_size: '3B', quantization_level: 'Q4_K_M' },
    });
    expect(tags.models[0]?.['digest']).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await fetch(`${server.url}/api/version`)).json()).toEqual({ version: expect.any(String) });
    expect(server.counters).toEqual({ total: 2, chat: 0, models: 1 });
  });

  it('streams NDJSON when stream is absent, ending with a done line with counts', async () => {
    const response = await fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify(chatBody) });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = await readNdjson(response);
    const last = lines.at(-1)!;
    expect(lines.slice(0, -1).every((line) => line['done'] === false && line['model'] === 'llama3.2')).toBe(true);
    expect(lines.map((line) => (line['message'] as { content: string }).content).join('')).toBe(REPLY);
    expect(last).toMatchObject({
      done: true,
      done_reason: 'stop',
      eval_count: 12,
      prompt_eval_count: Math.ceil(userMessage[0]!.content.length / 4),
    });
  });

  it('answers with one JSON object when stream is false, honouring num_predict', async () => {
    const response = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ ...chatBody, stream: false, options: { num_predict: 2 } }),
    });
    expect(await response.json()).toMatchObject({
      model: 'llama3.2',
      message: { role: 'assistant', content: 'The quick' },
      done: true,
      done_reason: 'length',
      eval_count: 2,
    });
  });

  it('serves the OpenAI-compatible /v1 routes too', async () => {
    const completion = await openai().chat.completions.create({ model: 'llama3.2', messages: userMessage });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
  });

  it('fails with {error} bodies, drops and malformed lines', async () => {
    await server.setFault('model-not-found', { times: 1 });
    const missing = await fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify(chatBody) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'model "llama3.2" not found, try pulling it first' });

    await server.setFault('drop-mid-stream', { afterChunks: 1 });
    const dropped = await fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify(chatBody) });
    expect(dropped.status).toBe(200);
    expect(await caught(dropped.text())).toBeInstanceOf(TypeError);

    await server.setFault('malformed-chunk', { afterChunks: 1 });
    const malformed = await fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify(chatBody) });
    expect(await caught(readNdjson(malformed))).toBeInstanceOf(SyntaxError);

    await server.setFault('unavailable', { on: 'models' });
    const tags = await fetch(`${server.url}/api/tags`);
    expect(tags.status).toBe(503);
    expect(await tags.json()).toHaveProperty('error');
  });
});

describe('lifecycle', () => {
  it('close() ends hanging and slow requests at once', async () => {
    const own = await startFakeProviderServer({ port: 0, name: 'lifecycle' });
    const client = new OpenAI({ baseURL: `${own.url}/v1`, apiKey: KEY, maxRetries: 0 });
    await own.setFault('hang');
    const hanging = caught(client.chat.completions.create({ model: 'gpt-4o', messages: userMessage }));
    while (own.counters.chat < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await own.setFault('slow-first-token', { delayMs: 60_000 });
    const slowStream = await client.chat.completions.create({ model: 'gpt-4o', messages: userMessage, stream: true });
    const slow = collectOpenAIStream(slowStream);
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await hanging).toBeInstanceOf(OpenAI.APIConnectionError);
    expect((await slow).error).toBeInstanceOf(Error);
  });

  it('listens on a requested port and reports it in url', async () => {
    const first = await startFakeProviderServer();
    const port = first.port;
    await first.close();
    const second = await startFakeProviderServer({ port });
    try {
      expect(second.url).toBe(`http://127.0.0.1:${port}`);
      expect((await fetch(`${second.url}/api/version`)).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
