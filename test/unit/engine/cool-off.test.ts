import { describe, expect, it } from 'vitest';
import { appError } from '../../../src-shared/errors/app-error';
import { coolOffFromError, laterCoolOff, waitWords } from '../../../src-main/engine/cool-off';
import { initialHealth, reduceHealth } from '../../../src-main/engine/health';
import { selectCandidates } from '../../../src-main/engine/select-candidates';
import { answer, failWith } from './helpers/scripted-adapter';
import { config, connection, ending, input, ofType, rule } from './helpers/fixtures';
import { candidate, harness, planOf, trace } from './helpers/execution';

const second = 1_000;

describe('cool-off: a Retry-After keeps routing away until it passes (DESIGN.md point 5)', () => {
  it('a 429 with Retry-After 30 s moves on at once and the first connection gets no call until it has passed', async () => {
    const h = harness({ a: [failWith('rate_limited', 30 * second), answer('again from a')], b: [answer('from b')] });
    const started = h.clock.now();
    const plan = planOf(candidate('a', { sameProviderRetries: 2 }), candidate('b'));
    const events = await h.run(plan);

    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'b', text: 'from b' });
    expect(h.clock.now()).toBe(started);
    expect(h.adapter('a').requests).toHaveLength(1);
    expect(ofType(events, 'cool-off')[0]).toMatchObject({ connectionId: 'a', until: started + 30 * second, waiting: false });
    expect(ofType(events, 'cool-off')[0]!.message).toBe('A asked to wait (rate limited): skipped for another 30 s');
    expect(h.health.a!.coolOff).toEqual({ until: started + 30 * second, reason: 'asked to wait (rate limited)' });

    // A second call made 10 s later, with the same plan, leaves a alone too.
    await h.clock.advance(10 * second);
    const later = await h.run(plan, undefined, { coolOff: (id) => h.health[id]?.coolOff });
    expect(ending(later)).toMatchObject({ type: 'finish', connectionId: 'b' });
    expect(h.adapter('a').requests).toHaveLength(1);
    expect(trace(later)[0]).toBe('start b#1');

    // Once the 30 s have passed, a is called again.
    await h.clock.advance(20 * second);
    const after = await h.run(plan, undefined, { coolOff: (id) => h.health[id]?.coolOff });
    expect(ending(after)).toMatchObject({ type: 'finish', connectionId: 'a', text: 'again from a' });
    expect(h.adapter('a').requests).toHaveLength(2);
  });

  it('comes back to a cooling candidate only when everything else failed, after waiting out its Retry-After', async () => {
    const h = harness({ a: [failWith('rate_limited', 5 * second), answer('a after waiting')], b: [failWith('provider_unavailable')] });
    const started = h.clock.now();
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 1 }), candidate('b')));
    expect(trace(events).filter((line) => !line.startsWith('text'))).toEqual([
      'start a#1',
      'error a#1 rate_limited',
      'fallback a->b (rate_limited)',
      'start b#1',
      'error b#1 provider_unavailable',
      'fallback b->a (provider_unavailable)',
      'start a#2',
      'finish a "a after waiting"',
    ]);
    expect(ofType(events, 'cool-off').map((event) => event.waiting)).toEqual([false, true]);
    expect(h.clock.now() - started).toBe(5 * second);
  });

  it('a wait longer than the call allows fails at once with the reason, without calling', async () => {
    const h = harness({ a: [failWith('rate_limited', 120 * second)], b: [failWith('provider_unavailable')] });
    const started = h.clock.now();
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 1 }), candidate('b')));
    expect(ending(events)).toMatchObject({ type: 'error', error: { code: 'rate_limited' } });
    const last = ending(events);
    expect(last.type === 'error' && last.error.message).toBe('A asked to wait (rate limited) for 2 min, longer than this call may wait');
    expect(h.adapter('a').requests).toHaveLength(1);
    expect(h.clock.now()).toBe(started);
  });

  it('a candidate cooling off since the plan was made is set aside, not called', async () => {
    const h = harness({ a: [answer('never')], b: [answer('from b')] });
    const until = h.clock.now() + 20 * second;
    const events = await h.run(planOf(candidate('a'), candidate('b')), undefined, {
      coolOff: (id) => (id === 'a' ? { until, reason: 'asked to wait (rate limited)' } : null),
    });
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'b' });
    expect(h.adapter('a').requests).toHaveLength(0);
    expect(ofType(events, 'cool-off')).toEqual([
      expect.objectContaining({
        connectionId: 'a',
        until,
        waiting: false,
        message: 'A asked to wait (rate limited): skipped for another 20 s',
      }),
    ]);
  });

  it('a plan whose only candidate is cooling off waits for it when the wait fits', async () => {
    const h = harness({ a: [answer('after the wait')] });
    const now = h.clock.now();
    const a = connection('a');
    const coolOff = { until: now + 8 * second, reason: 'asked to wait (rate limited)' };
    const plan = selectCandidates(
      input({
        connections: [a],
        primaryConnectionId: 'a',
        now,
        health: { a: { ...initialHealth('a'), coolOff } },
      }),
    );
    expect(plan.candidates).toEqual([]);
    expect(plan.standby).toEqual([expect.objectContaining({ connectionId: 'a', availableAt: now + 8 * second })]);
    expect(plan.waitingFor).toEqual(['a']);
    expect(plan.pausedReason).toBe('A asked to wait (rate limited): skipped for another 8 s');
    const events = await h.run(plan);
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'a', text: 'after the wait' });
    expect(h.clock.now() - now).toBe(8 * second);
  });
});

describe('cool-off in routing and health', () => {
  const a = connection('a');
  const b = connection('b');
  const routing = config({ rules: [rule('r1', 'default', 'a', 0), rule('r2', 'default', 'b', 1)] });
  const at = 1_700_000_000_000;

  it('the plan skips a cooling connection with the reason and names it on standby', () => {
    const coolOff = { until: at + 30 * second, reason: 'asked to wait (rate limited)' };
    const plan = selectCandidates(input({ connections: [a, b], routing, now: at, health: { a: { ...initialHealth('a'), coolOff } } }));
    expect(plan.candidates.map((item) => item.connectionId)).toEqual(['b']);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        connectionId: 'a',
        reason: 'cooling_off',
        message: 'A asked to wait (rate limited): skipped for another 30 s',
      }),
    ]);
    expect(plan.standby.map((item) => item.connectionId)).toEqual(['a']);
  });

  it('a cool-off that has passed no longer skips', () => {
    const coolOff = { until: at, reason: 'asked to wait (rate limited)' };
    const plan = selectCandidates(input({ connections: [a, b], routing, now: at, health: { a: { ...initialHealth('a'), coolOff } } }));
    expect(plan.candidates.map((item) => item.connectionId)).toEqual(['a', 'b']);
    expect(plan.standby).toEqual([]);
  });

  it('the health reducer keeps the later of two cool-offs and takes one from any part of the app', () => {
    const error = appError('rate_limited', 'slow down', { retryAfterMs: 30 * second });
    let state = reduceHealth(initialHealth('a'), { type: 'failure', error }, at);
    expect(state.coolOff).toEqual({ until: at + 30 * second, reason: 'asked to wait (rate limited)' });
    state = reduceHealth(state, { type: 'failure', error: { ...error, retryAfterMs: 1 * second } }, at + second);
    expect(state.coolOff!.until).toBe(at + 30 * second);
    state = reduceHealth(state, { type: 'cool-off', coolOff: { until: at + 90 * second, reason: 'hit its request limit' } }, at + second);
    expect(state.coolOff).toEqual({ until: at + 90 * second, reason: 'hit its request limit' });
    // A bad request with a Retry-After still holds the connection, without moving the dot.
    const neutral = reduceHealth(initialHealth('b'), { type: 'failure', error: appError('bad_request', 'no', { retryAfterMs: 5 }) }, at);
    expect(neutral).toMatchObject({ color: 'grey', coolOff: { until: at + 5 } });
  });

  it('words', () => {
    expect(coolOffFromError(appError('network', 'down'), at)).toBeNull();
    expect(laterCoolOff(null, { until: 5, reason: 'x' })).toEqual({ until: 5, reason: 'x' });
    expect([999, 1_000, 119_000, 120_000, 3_600_000, 3_900_000].map(waitWords)).toEqual([
      '1 s',
      '1 s',
      '119 s',
      '2 min',
      '1 h',
      '1 h 5 min',
    ]);
  });
});
