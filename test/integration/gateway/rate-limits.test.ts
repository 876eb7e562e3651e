import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { configFor, hello, REPLY, useGateway } from './gateway-harness';

const bed = useGateway();

/** The test bed's connections with OpenAI limited to `limits`. */
function limitedOpenAI(limits: Record<string, number | null>) {
  const connections = configFor(bed.providers).connections.map((connection) =>
    connection.id === 'openai-main'
      ? { ...connection, local: false, rateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentCalls: null, ...limits } }
      : { ...connection, local: false },
  );
  return bed.restart({ connections });
}

describe('the gateway keeps connections within their rate limits', () => {
  it('a connection at its limit answers 429 with Retry-After when nothing else can take the call', async () => {
    const gateway = await limitedOpenAI({ requestsPerMinute: 1 });
    const first = await gateway.client.chat.completions.create({ model: 'openai-main/gpt-4o', messages: hello });
    expect(first.choices[0]?.message.content).toBe(REPLY);

    const error = await gateway.client.chat.completions
      .create({ model: 'openai-main/gpt-4o', messages: hello })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(apiError.code).toBe('rate_limited');
    expect(apiError.message).toContain('OpenAI is at its limit of 1 request per minute');
    const retryAfter = Number(apiError.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Nothing was sent over the limit.
    expect(bed.providers.openai.counters.chat).toBe(1);
  });

  it('a route passes a call over the limit to its next target', async () => {
    const gateway = await limitedOpenAI({ requestsPerMinute: 1 });
    await gateway.client.chat.completions.create({ model: 'route/resilient', messages: hello });
    const { response } = await gateway.client.chat.completions.create({ model: 'route/resilient', messages: hello }).withResponse();
    expect(response.headers.get('x-switchboard-connection')).toBe('claude-backup');
    expect([bed.providers.openai.counters.chat, bed.providers.anthropic.counters.chat]).toEqual([1, 1]);
  });

  it('waits for a slot that frees within its limits (the provider said none is left for 2 s)', async () => {
    const gateway = await limitedOpenAI({});
    bed.providers.openai.setChatResponseHeaders({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '2s',
    });
    await gateway.client.chat.completions.create({ model: 'openai-main/gpt-4o', messages: hello });
    bed.providers.openai.setChatResponseHeaders(null);
    const second = await gateway.client.chat.completions.create({ model: 'openai-main/gpt-4o', messages: hello });
    expect(second.choices[0]?.message.content).toBe(REPLY);
    // The second request reached the provider only once its window was open again.
    const [first, waited] = bed.providers.openai.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(waited!.at - first!.at).toBeGreaterThanOrEqual(1_950);
  });
});
