import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src-shared/errors/app-error';
import { backoffBaseMs, backoffCapMs, backoffDelayMs } from '../../../src-main/engine/backoff';
import { selectCandidates } from '../../../src-main/engine/select-candidates';
import { answer, failWith } from './helpers/scripted-adapter';
import { config, connection, ending, facts, health, input, ofType, request, tier } from './helpers/fixtures';
import { candidate, harness, hello, planOf, trace } from './helpers/execution';
import { SequenceRandom } from './helpers/fake-clock';

describe('executeCall: fallback (DESIGN.md point 5)', () => {
  const fallbackable: ErrorCode[] = [
    'network',
    'timeout',
    'rate_limited',
    'provider_unavailable',
    'provider_overloaded',
    'auth_invalid',
    'quota_exhausted',
    'permission_denied',
    'model_not_found',
    'context_length_exceeded',
    'tls',
    'stream_malformed',
  ];
  it.each(fallbackable)('%s on the first candidate moves on to the next', async (code) => {
    const h = harness({ a: [failWith(code)], b: [answer('hello')] });
    const events = await h.run(planOf(candidate('a'), candidate('b')));
    expect(trace(events)).toEqual([
      'start a#1',
      `error a#1 ${code}`,
      `fallback a->b (${code})`,
      'start b#1',
      'text "hel"',
      'text "lo"',
      'finish b "hello"',
    ]);
    expect(ending(events)).toMatchObject({ type: 'finish', attempts: 2, interrupted: false, modelVersion: 'v1', finishReason: 'stop' });
  });

  it.each<ErrorCode>(['bad_request', 'content_filtered'])('%s does not fall over and does not hurt health', async (code) => {
    const h = harness({ a: [failWith(code)], b: [answer('hello')] });
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 2 }), candidate('b')));
    expect(trace(events)).toEqual(['start a#1', `error a#1 ${code}`, `fail ${code}`]);
    expect(h.adapter('b').requests).toHaveLength(0);
    expect(h.colorOf('a')).toBe('grey');
  });

  it.each<ErrorCode>(['context_length_exceeded', 'model_not_found'])(
    '%s falls over but does not count against the provider',
    async (code) => {
      const h = harness({ a: [failWith(code), failWith(code), failWith(code)], b: [answer('ok')] });
      for (let call = 0; call < 3; call += 1) await h.run(planOf(candidate('a'), candidate('b')));
      expect(h.colorOf('a')).toBe('grey');
      expect(h.colorOf('b')).toBe('green');
    },
  );

  it('provider failures feed passive health: three in a row turn the dot red', async () => {
    const h = harness({ a: [failWith('provider_overloaded')], b: [answer('ok')] });
    await h.run(planOf(candidate('a'), candidate('b')));
    expect(h.colorOf('a')).toBe('yellow');
    await h.run(planOf(candidate('a'), candidate('b')));
    await h.run(planOf(candidate('a'), candidate('b')));
    expect(h.health.a).toMatchObject({ color: 'red', reason: '3 failures in a row: provider overloaded' });
  });

  it('every candidate failing ends in an error carrying the last failure', async () => {
    const h = harness({ a: [failWith('network')], b: [failWith('quota_exhausted')] });
    const events = await h.run(planOf(candidate('a'), candidate('b')));
    expect(ending(events)).toMatchObject({ type: 'error', attempts: 2, error: { code: 'quota_exhausted' } });
  });

  it('an empty plan fails at once with its paused reason', async () => {
    const h = harness({});
    const events = await h.run({ ...planOf(), pausedReason: 'Waiting for Claude to recover' });
    expect(events).toEqual([
      {
        type: 'error',
        attempts: 0,
        interrupted: false,
        error: expect.objectContaining({ code: 'no_candidates', message: 'Waiting for Claude to recover' }),
      },
    ]);
  });

  it('a connection without an adapter is passed over without retries', async () => {
    const h = harness({ b: [answer('ok')] });
    const events = await h.run(planOf(candidate('gone', { sameProviderRetries: 3 }), candidate('b')));
    expect(trace(events)).toEqual([
      'start gone#1',
      'error gone#1 provider_unavailable',
      'fallback gone->b (provider_unavailable)',
      'start b#1',
      'text "o"',
      'text "k"',
      'finish b "ok"',
    ]);
  });
});

describe('executeCall: the premium tier Sonnet(1) -> GPT-4o(2) -> Gemini Pro(3)', () => {
  const anthropic = connection('anthropic', { name: 'Anthropic', models: [facts('claude-sonnet')] });
  const openai = connection('openai', { name: 'OpenAI', models: [facts('gpt-4o')] });
  const google = connection('google', { name: 'Google', models: [facts('gemini-pro')] });
  const premium = tier('premium', 1, [
    ['google', 'gemini-pro', 3],
    ['anthropic', 'claude-sonnet', 1],
    ['openai', 'gpt-4o', 2],
  ]);
  const planFor = (healthOverrides = {}) =>
    selectCandidates(
      input({
        connections: [anthropic, openai, google],
        primaryConnectionId: 'anthropic',
        routing: config({ tiers: [premium] }),
        health: healthOverrides,
        request: request({ tier: 'premium' }),
      }),
    );

  it.each([
    {
      name: 'outage',
      scripts: { anthropic: [failWith('provider_unavailable')], openai: [answer('from gpt')], google: [answer('from gemini')] },
      expected: 'openai',
    },
    {
      name: 'rate limit',
      scripts: { anthropic: [failWith('rate_limited')], openai: [answer('from gpt')], google: [answer('from gemini')] },
      expected: 'openai',
    },
    {
      name: 'both outage and rate limit',
      scripts: { anthropic: [failWith('provider_unavailable')], openai: [failWith('rate_limited')], google: [answer('from gemini')] },
      expected: 'google',
    },
  ])('falls through on $name', async ({ scripts, expected }) => {
    const h = harness(scripts);
    const events = await h.run(planFor());
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: expected });
  });

  it('a red Sonnet is skipped before any call', async () => {
    const h = harness({ anthropic: [answer('never')], openai: [answer('from gpt')], google: [answer('from gemini')] });
    const events = await h.run(planFor({ anthropic: health('anthropic', 'red') }));
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'openai', attempts: 1 });
    expect(h.adapter('anthropic').requests).toHaveLength(0);
  });
});

describe('executeCall: same-provider retries and backoff', () => {
  it('a route with same-provider retries 1 retries once, then moves on', async () => {
    const h = harness({ a: [failWith('provider_unavailable')], b: [answer('ok')] });
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 1 }), candidate('b', { sameProviderRetries: 1 })));
    expect(trace(events).filter((line) => !line.startsWith('text'))).toEqual([
      'start a#1',
      'error a#1 provider_unavailable retry in 125',
      'start a#2',
      'error a#2 provider_unavailable',
      'fallback a->b (provider_unavailable)',
      'start b#1',
      'finish b "ok"',
    ]);
    expect(h.adapter('a').requests).toHaveLength(2);
  });

  it('a retry that succeeds finishes on the same provider', async () => {
    const h = harness({ a: [failWith('network'), answer('second time')], b: [answer('never')] });
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 1 }), candidate('b')));
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'a', attempts: 2, text: 'second time' });
  });

  it('non-retryable errors skip the retries (an invalid key will not fix itself)', async () => {
    const h = harness({ a: [failWith('auth_invalid')], b: [answer('ok')] });
    await h.run(planOf(candidate('a', { sameProviderRetries: 3 }), candidate('b')));
    expect(h.adapter('a').requests).toHaveLength(1);
    expect(h.health.a).toMatchObject({ color: 'red', reason: 'Invalid API key' });
  });

  it('Retry-After is honoured and wins over the computed backoff', async () => {
    const h = harness({ a: [failWith('rate_limited', 3_000), answer('ok')] });
    const started = h.clock.now();
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 1 })));
    expect(ofType(events, 'attempt-error')[0]).toMatchObject({ willRetry: true, retryInMs: 3_000 });
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'a' });
    expect(h.clock.now() - started).toBe(3_000);
  });

  it('a Retry-After longer than the limit moves on instead of waiting', async () => {
    const h = harness({ a: [failWith('rate_limited', 3_600_000)], b: [answer('ok')] });
    const started = h.clock.now();
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 2 }), candidate('b')));
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'b' });
    expect(h.clock.now()).toBe(started);
  });

  it('never sleeps past the overall deadline', async () => {
    const h = harness({ a: [failWith('rate_limited', 5_000)], b: [answer('ok')] });
    const started = h.clock.now();
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 2 }), candidate('b')), { ...hello, totalTimeoutMs: 4_000 });
    expect(ofType(events, 'attempt-error')[0]).toMatchObject({ willRetry: false });
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'b' });
    expect(h.clock.now()).toBe(started);
  });

  it('backoff grows exponentially with full jitter from the random port', async () => {
    const h = harness({ a: [failWith('network')] }, { random: [0.5, 0.5, 0.5] });
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 3 })));
    expect(ofType(events, 'attempt-error').map((event) => event.retryInMs)).toEqual([125, 250, 500, undefined]);
  });

  it.each(
    Array.from({ length: 10 }, (_, retryIndex) => ({ retryIndex, ceiling: Math.min(backoffCapMs, backoffBaseMs * 2 ** retryIndex) })),
  )('jitter for retry $retryIndex stays within [0, $ceiling)', ({ retryIndex, ceiling }) => {
    const samples = [0, 0.25, 0.5, 0.999999].map((value) => backoffDelayMs(retryIndex, new SequenceRandom([value])));
    for (const delay of samples) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }
    expect(samples[0]).toBe(0);
    expect(samples[3]).toBeGreaterThan(ceiling * 0.99);
  });

  it('the cap holds at 8 s however many retries', () => {
    expect(backoffDelayMs(40, new SequenceRandom([0.999999]))).toBeLessThan(8_000);
    expect(backoffDelayMs(40, new SequenceRandom([0.999999]))).toBeGreaterThan(7_990);
  });
});
