import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  configFor,
  hello,
  readStream,
  REPLY,
  startGateway,
  startProviders,
  until,
  type Providers,
  type StartedGateway,
} from './gateway-harness';

let providers: Providers;
let gateway: StartedGateway;

beforeAll(async () => {
  providers = await startProviders();
});

afterAll(async () => {
  await Promise.all([providers.openai.close(), providers.anthropic.close()]);
});

// A fresh gateway per test: health learnt from one test's faults must not steer the next.
beforeEach(async () => {
  await Promise.all([providers.openai.reset(), providers.anthropic.reset()]);
  // Both fakes listen on 127.0.0.1 but stand in for cloud providers: by the user's word they are not
  // local, so naming one of them does not make a call local-only.
  const connections = configFor(providers).connections.map((connection) => ({ ...connection, local: false }));
  gateway = await startGateway(providers, { connections });
});

afterEach(async () => {
  await gateway.close();
});

describe('GET /v1/models', () => {
  it('lists Primary, agents, tiers, routes and every connection model as OpenAI models', async () => {
    const models = [];
    for await (const model of gateway.client.models.list()) models.push(model);
    const ids = models.map((model) => model.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'switchboard/primary',
        'agent/builder',
        'agent/planner',
        'agent/research',
        'agent/vision_agent',
        'tier/standard',
        'tier/premium',
        'tier/enterprise',
        'route/resilient',
        'openai-main/gpt-4o',
        'openai-main/gpt-4o-mini',
        'claude-backup/claude-haiku-4-5',
      ]),
    );
    expect(new Set(models.map((model) => model.owned_by))).toEqual(new Set(['switchboard']));
    expect((await gateway.client.models.retrieve('route/resilient')).id).toBe('route/resilient');
  });
});

describe('POST /v1/chat/completions', () => {
  it('answers a plain request from Primary and says who answered', async () => {
    const { data, response } = await gateway.client.chat.completions
      .create({ model: 'switchboard/primary', messages: hello })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(data.model).toBe('gpt-4o-2024-08-06');
    expect(response.headers.get('x-switchboard-connection')).toBe('openai-main');
    expect(response.headers.get('x-switchboard-model')).toBe('gpt-4o-2024-08-06');
    expect(response.headers.get('x-switchboard-attempts')).toBe('1');
    expect(response.headers.get('x-switchboard-fallbacks')).toBe('0');
    expect(providers.openai.lastChatRequest()?.headers['authorization']).toBe('Bearer sk-test-openai-main-1111');
  });

  it('streams chunks with the role first, usage when asked, and [DONE]', async () => {
    const { data: stream, response } = await gateway.client.chat.completions
      .create({ model: 'openai-main/gpt-4o-mini', messages: hello, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-switchboard-model')).toBe('gpt-4o-mini-2024-08-06');
    const { text, chunks, error } = await readStream(stream);
    expect(error).toBeUndefined();
    expect(text).toBe(REPLY);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.total_tokens).toBeGreaterThan(0);
    expect(providers.openai.lastChatRequest()?.body).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('passes max_tokens, temperature and the system prompt on', async () => {
    await gateway.client.chat.completions.create({
      model: 'switchboard/primary',
      messages: [{ role: 'system', content: 'Be brief.' }, ...hello],
      max_tokens: 3,
      temperature: 0.2,
    });
    const body = providers.openai.lastChatRequest()?.body as Record<string, unknown>;
    expect(body['max_completion_tokens']).toBe(3);
    expect(body['temperature']).toBe(0.2);
    expect(body['messages']).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello to the gateway tests.' },
    ]);
  });

  it('falls back to the next target of a route when the first backend is down', async () => {
    await providers.openai.setFault('unavailable');
    const { data, response } = await gateway.client.chat.completions.create({ model: 'route/resilient', messages: hello }).withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(response.headers.get('x-switchboard-connection')).toBe('claude-backup');
    expect(response.headers.get('x-switchboard-model')).toBe('claude-haiku-4-5-20250929');
    expect(Number(response.headers.get('x-switchboard-attempts'))).toBeGreaterThan(1);
    expect(response.headers.get('x-switchboard-fallbacks')).toBe('1');
    expect(providers.openai.counters.chat).toBe(1);
    expect(providers.anthropic.counters.chat).toBe(1);
  });

  it('switchboard/primary answers from a backup when Primary is down and the chat setting says so', async () => {
    await providers.openai.setFault('unavailable', { on: 'all' });
    await expect(gateway.client.chat.completions.create({ model: 'switchboard/primary', messages: hello })).rejects.toMatchObject({
      status: 502,
    });
    expect(providers.anthropic.counters.chat).toBe(0);

    gateway.services.settings.update((settings) => ({ ...settings, chat: { ...settings.chat, autoFallback: true } }));
    const { data, response } = await gateway.client.chat.completions
      .create({ model: 'switchboard/primary', messages: hello })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(response.headers.get('x-switchboard-connection')).toBe('claude-backup');
    expect(response.headers.get('x-switchboard-fallbacks')).toBe('1');
    expect(providers.anthropic.counters.chat).toBe(1);
  });

  it('fails over invisibly before the first token of a stream, and the headers name who streams', async () => {
    await providers.openai.setFault('server-error');
    const { data: stream, response } = await gateway.client.chat.completions
      .create({ model: 'route/resilient', messages: hello, stream: true })
      .withResponse();
    expect(response.headers.get('x-switchboard-connection')).toBe('claude-backup');
    expect(response.headers.get('x-switchboard-attempts')).toBe('2');
    const { text, error } = await readStream(stream);
    expect(error).toBeUndefined();
    expect(text).toBe(REPLY);
  });

  it('routes agent models by the agent rules', async () => {
    const { response } = await gateway.client.chat.completions.create({ model: 'agent/builder', messages: hello }).withResponse();
    expect(response.headers.get('x-switchboard-connection')).toBe('claude-backup');
    // The agent's own system prompt applies when the caller sends none.
    expect(JSON.stringify(providers.anthropic.lastChatRequest()?.body)).toContain('senior software engineer');
    await until(async () => (await gateway.calls()).length > 0);
    expect((await gateway.calls()).at(-1)).toMatchObject({
      source: 'gateway',
      agent: 'builder',
      connectionId: 'claude-backup',
      outcome: 'success',
    });
  });

  it('answers a stream that fails before its first token with a plain HTTP error', async () => {
    await providers.openai.setFault('unavailable');
    // Primary, not "openai-main/gpt-4o": naming a local connection makes the call local-only (local-only.test.ts).
    const error = await gateway.client.chat.completions
      .create({ model: 'switchboard/primary', messages: hello, stream: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('provider_unavailable');
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-switchboard-attempts')).toBe('1');
  });

  it('surfaces a stream that breaks after tokens as an error in the SDK iteration, never as success', async () => {
    await providers.openai.setFault('drop-mid-stream', { afterChunks: 2 });
    const stream = await gateway.client.chat.completions.create({ model: 'route/resilient', messages: hello, stream: true });
    const { text, error } = await readStream(stream);
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toBe(REPLY);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('stream_interrupted');
    // The user saw half an answer: the gateway must not restart it elsewhere.
    expect(providers.anthropic.counters.chat).toBe(0);
  });

  it('continues on the next target when a non-streamed call breaks mid-answer, since nothing was shown', async () => {
    await providers.openai.setFault('drop-mid-stream', { afterChunks: 2 });
    const { data, response } = await gateway.client.chat.completions.create({ model: 'route/resilient', messages: hello }).withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(response.headers.get('x-switchboard-connection')).toBe('claude-backup');
  });

  it('answers 429 with Retry-After when every backend is rate-limited', async () => {
    await providers.openai.setFault('rate-limited', { retryAfterSeconds: 7 });
    const error = await gateway.client.chat.completions
      .create({ model: 'openai-main/gpt-4o', messages: hello })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(apiError.code).toBe('rate_limited');
    expect(apiError.headers?.get('retry-after')).toBe('7');
    expect(apiError.headers?.get('x-switchboard-connection')).toBe('openai-main');
  });

  it('cancels the provider call when the client goes away', async () => {
    await providers.openai.setFault('slow-between-chunks', { delayMs: 300 });
    const controller = new AbortController();
    const stream = await gateway.client.chat.completions.create(
      { model: 'openai-main/gpt-4o', messages: hello, stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break;
    }
    controller.abort();
    await until(async () => (await gateway.calls()).length > 0);
    expect((await gateway.calls())[0]).toMatchObject({ connectionId: 'openai-main', errorCode: 'aborted' });
  });
});

describe('request errors', () => {
  it('answers an unknown model with 404 model_not_found', async () => {
    const error = await gateway.client.chat.completions
      .create({ model: 'gpt-5-turbo', messages: hello })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    const apiError = error as InstanceType<typeof OpenAI.NotFoundError>;
    expect(apiError.code).toBe('model_not_found');
    expect(apiError.message).toContain('GET /v1/models');
    expect(providers.openai.counters.chat + providers.anthropic.counters.chat).toBe(0);
  });

  it('refuses an invalid body with 400 naming the field', async () => {
    const error = await gateway.client.chat.completions
      .create({ model: 'switchboard/primary', messages: [{ role: 'tool', content: 'x', tool_call_id: '1' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.code).toBe('validation_failed');
    expect(apiError.param).toBe('messages[0].tool_call_id');
    expect(apiError.message).toContain('No earlier assistant turn made the tool call "1"');
  });

  it('says 503 no_candidates when nothing is left to route to', async () => {
    await gateway.close();
    gateway = await startGateway(providers, {
      connections: [{ id: 'solo', kind: 'openai', baseUrl: `${providers.openai.url}/v1`, defaultModel: 'gpt-4o', enabled: false }],
      primaryConnectionId: 'solo',
      routing: {},
    });
    const error = await gateway.client.chat.completions
      .create({ model: 'switchboard/primary', messages: hello })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('no_candidates');
  });
});
