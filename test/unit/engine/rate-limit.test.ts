import { describe, expect, it } from 'vitest';
import type { LearnedRateLimits, RateLimits } from '../../../src-shared/schemas/rate-limits';
import { learnedLimitsWords } from '../../../src-shared/schemas/rate-limits';
import { emptyUsage, pruneUsage, rateLimitHold, type RateUsage } from '../../../src-main/engine/rate-limit';

const now = 1_700_000_000_000;
const second = 1_000;
const none: RateLimits = { requestsPerMinute: null, tokensPerMinute: null, concurrentCalls: null };
const limits = (overrides: Partial<RateLimits>): RateLimits => ({ ...none, ...overrides });
const usage = (overrides: Partial<RateUsage>): RateUsage => ({ ...emptyUsage(), ...overrides });
const learned = (requests: LearnedRateLimits['requests'], tokens: LearnedRateLimits['tokens'] = null): LearnedRateLimits => ({
  requests,
  tokens,
  at: now,
});

describe('rate limits: a connection at its limit is held until a slot frees (one rule)', () => {
  const cases: Array<{
    name: string;
    limits: RateLimits | undefined;
    usage: RateUsage;
    learned?: LearnedRateLimits;
    forChat?: boolean;
    expected: { until: number; reason: string } | null;
  }> = [
    { name: 'no limits: never held', limits: undefined, usage: usage({ starts: [now - 1, now], inFlight: 9 }), expected: null },
    {
      name: '2 requests per minute, one made: free',
      limits: limits({ requestsPerMinute: 2 }),
      usage: usage({ starts: [now - 10 * second] }),
      expected: null,
    },
    {
      name: '2 requests per minute, two made: held until the first leaves the minute',
      limits: limits({ requestsPerMinute: 2 }),
      usage: usage({ starts: [now - 10 * second, now - 5 * second] }),
      expected: { until: now + 50 * second, reason: 'is at its limit of 2 requests per minute' },
    },
    {
      name: 'a start older than the minute does not count',
      limits: limits({ requestsPerMinute: 2 }),
      usage: usage({ starts: [now - 61 * second, now - 5 * second] }),
      expected: null,
    },
    {
      name: '1 request per minute',
      limits: limits({ requestsPerMinute: 1 }),
      usage: usage({ starts: [now - 20 * second] }),
      expected: { until: now + 40 * second, reason: 'is at its limit of 1 request per minute' },
    },
    {
      name: 'tokens per minute reached: held until enough tokens leave the minute',
      limits: limits({ tokensPerMinute: 1_000 }),
      usage: usage({
        tokens: [
          { at: now - 50 * second, count: 300 },
          { at: now - 40 * second, count: 400 },
          { at: now - 10 * second, count: 500 },
        ],
      }),
      // 1,200 used: after the first leaves 900 < 1,000.
      expected: { until: now + 10 * second, reason: 'is at its limit of 1,000 tokens per minute' },
    },
    {
      name: 'tokens under the limit',
      limits: limits({ tokensPerMinute: 1_000 }),
      usage: usage({ tokens: [{ at: now - 5 * second, count: 999 }] }),
      expected: null,
    },
    {
      name: 'calls at once all taken: looked at again in a second',
      limits: limits({ concurrentCalls: 2 }),
      usage: usage({ inFlight: 2 }),
      expected: { until: now + second, reason: 'is at its limit of 2 calls at once' },
    },
    {
      name: 'several limits: the latest wins',
      limits: limits({ requestsPerMinute: 1, concurrentCalls: 1 }),
      usage: usage({ starts: [now - 30 * second], inFlight: 1 }),
      expected: { until: now + 30 * second, reason: 'is at its limit of 1 request per minute' },
    },
    {
      name: 'the provider says no requests are left until its reset',
      limits: undefined,
      usage: emptyUsage(),
      learned: learned({ limit: 500, remaining: 0, resetAt: now + 20 * second }),
      expected: { until: now + 20 * second, reason: 'has no requests left, the provider says' },
    },
    {
      name: 'the provider says no tokens are left',
      limits: undefined,
      usage: emptyUsage(),
      learned: learned({ limit: 500, remaining: 3, resetAt: now + second }, { limit: 30_000, remaining: 0, resetAt: now + 7 * second }),
      expected: { until: now + 7 * second, reason: 'has no tokens left, the provider says' },
    },
    {
      name: 'a provider reset already passed holds nothing',
      limits: undefined,
      usage: emptyUsage(),
      learned: learned({ limit: 500, remaining: 0, resetAt: now - second }),
      expected: null,
    },
    {
      name: 'a chat waits for a slot: a task leaves it the next one',
      limits: limits({ requestsPerMinute: 2 }),
      usage: usage({ starts: [now - 10 * second], chatsWaiting: 1 }),
      expected: { until: now + second, reason: 'is keeping its next free slot for a chat message' },
    },
    {
      name: 'a chat waits for a slot: another chat may take it',
      limits: limits({ requestsPerMinute: 2 }),
      usage: usage({ starts: [now - 10 * second], chatsWaiting: 1 }),
      forChat: true,
      expected: null,
    },
  ];

  it.each(cases)('$name', ({ limits: own, usage: used, learned: said, forChat, expected }) => {
    expect(rateLimitHold(own, used, said, now, forChat)).toEqual(expected);
  });

  it('drops what left the minute and keeps the same object when nothing did', () => {
    const fresh = usage({ starts: [now - 5 * second], tokens: [{ at: now - 5 * second, count: 10 }] });
    expect(pruneUsage(fresh, now)).toBe(fresh);
    const stale = usage({ starts: [now - 70 * second, now - 5 * second], tokens: [{ at: now - 61 * second, count: 10 }] });
    expect(pruneUsage(stale, now)).toEqual(usage({ starts: [now - 5 * second], tokens: [] }));
  });

  it('words what the provider said for the form', () => {
    expect(
      learnedLimitsWords(learned({ limit: 500, remaining: 12, resetAt: null }, { limit: 30_000, remaining: 29_800, resetAt: null })),
    ).toBe('Provider says: limit 500 requests, 12 left; limit 30,000 tokens, 29,800 left');
    expect(learnedLimitsWords(learned(null, { limit: null, remaining: 40, resetAt: null }))).toBe('Provider says: 40 tokens left');
    expect(learnedLimitsWords(null)).toBeNull();
  });
});
