import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LearnedRateLimits } from '../../../src-shared/schemas/rate-limits';
import type { ProviderKind } from '../../../src-shared/schemas/connection';
import { createProviderAdapter } from '../../../src-main/providers/registry';
import { parseResetDuration } from '../../../src-main/providers/openai/rate-limit-headers';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';
import { connectionFor, kindCase, KEY, runStream, textRequest } from './provider-harness';

const now = 1_700_000_000_000;

describe('rate limits read from the providers’ response headers, through the real SDKs', () => {
  let server: FakeProviderServer;
  beforeAll(async () => {
    server = await startFakeProviderServer({ name: 'rate-limits' });
  });
  afterAll(async () => server.close());
  beforeEach(async () => server.reset());

  async function learnedFrom(kind: ProviderKind): Promise<LearnedRateLimits[]> {
    const learned: LearnedRateLimits[] = [];
    const testCase = kindCase(kind);
    const adapter = createProviderAdapter(connectionFor(testCase, server), KEY, {
      timeoutMs: 5_000,
      now: () => now,
      onRateLimits: (connectionId, limits) => {
        expect(connectionId).toBe(`test-${kind}`);
        learned.push(limits);
      },
    });
    const outcome = await runStream(adapter, textRequest(testCase.model));
    expect(outcome.error).toBeUndefined();
    return learned;
  }

  it('OpenAI: x-ratelimit-limit / remaining / reset for requests and tokens', async () => {
    server.setChatResponseHeaders({
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '12',
      'x-ratelimit-reset-requests': '1m30.5s',
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '29800',
      'x-ratelimit-reset-tokens': '400ms',
    });
    expect(await learnedFrom('openai')).toEqual([
      {
        requests: { limit: 500, remaining: 12, resetAt: now + 90_500 },
        tokens: { limit: 30_000, remaining: 29_800, resetAt: now + 400 },
        at: now,
      },
    ]);
  });

  it('OpenAI-compatible providers send the same names (Groq)', async () => {
    server.setChatResponseHeaders({
      'x-ratelimit-limit-requests': '30',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '2s',
    });
    expect(await learnedFrom('groq')).toEqual([{ requests: { limit: 30, remaining: 0, resetAt: now + 2_000 }, tokens: null, at: now }]);
  });

  it('Anthropic: anthropic-ratelimit-requests-* and -tokens-* with RFC 3339 resets', async () => {
    server.setChatResponseHeaders({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2026-12-02T12:00:30Z',
      'anthropic-ratelimit-tokens-limit': '80000',
      'anthropic-ratelimit-tokens-remaining': '0',
      'anthropic-ratelimit-tokens-reset': '2026-12-02T12:01:00Z',
    });
    expect(await learnedFrom('anthropic')).toEqual([
      {
        requests: { limit: 50, remaining: 49, resetAt: Date.parse('2026-12-02T12:00:30Z') },
        tokens: { limit: 80_000, remaining: 0, resetAt: Date.parse('2026-12-02T12:01:00Z') },
        at: now,
      },
    ]);
  });

  it('Anthropic without the combined token window: the input-token one stands for tokens', async () => {
    server.setChatResponseHeaders({
      'anthropic-ratelimit-input-tokens-limit': '40000',
      'anthropic-ratelimit-input-tokens-remaining': '39000',
      'anthropic-ratelimit-input-tokens-reset': '2026-12-02T12:00:05Z',
    });
    expect(await learnedFrom('anthropic')).toEqual([
      { requests: null, tokens: { limit: 40_000, remaining: 39_000, resetAt: Date.parse('2026-12-02T12:00:05Z') }, at: now },
    ]);
  });

  it('a response without rate-limit headers tells nothing', async () => {
    expect(await learnedFrom('openai')).toEqual([]);
    expect(await learnedFrom('anthropic')).toEqual([]);
  });

  it('OpenAI reset durations', () => {
    expect(parseResetDuration('120ms')).toBe(120);
    expect(parseResetDuration('1s')).toBe(1_000);
    expect(parseResetDuration('6m0s')).toBe(360_000);
    expect(parseResetDuration('1h2m')).toBe(3_720_000);
    expect(parseResetDuration('17')).toBe(17_000);
    expect(parseResetDuration('soon')).toBeNull();
    expect(parseResetDuration(null)).toBeNull();
  });
});
