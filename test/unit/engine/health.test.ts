import { describe, expect, it } from 'vitest';
import { appError, type ErrorCode } from '../../../src-shared/errors/app-error';
import { connectionHealthSchema, type ConnectionHealth } from '../../../src-shared/schemas/health';
import {
  admitsCall,
  dueForProbe,
  initialCooldownMs,
  initialHealth,
  isRoutable,
  maxCooldownMs,
  reduceHealth,
  type HealthEvent,
} from '../../../src-main/engine/health';

const t0 = 1_700_000_000_000;
const failure = (code: ErrorCode): HealthEvent => ({ type: 'failure', error: appError(code, code) });
const probeFailure = (code: ErrorCode): HealthEvent => ({ type: 'probe-failure', error: appError(code, code) });

function replay(events: HealthEvent[], start: ConnectionHealth = initialHealth('c'), stepMs = 1_000): ConnectionHealth {
  return events.reduce((state, event, index) => reduceHealth(state, event, t0 + index * stepMs), start);
}

describe('reduceHealth', () => {
  it.each<{ name: string; events: HealthEvent[]; color: string; reason: RegExp | string }>([
    { name: 'nothing yet: grey', events: [], color: 'grey', reason: 'Not used yet' },
    { name: 'a success: green', events: [{ type: 'success' }], color: 'green', reason: 'Responding' },
    { name: 'one transient failure: yellow', events: [failure('rate_limited')], color: 'yellow', reason: '1 recent failure: rate limited' },
    {
      name: 'two transient failures: still yellow',
      events: [failure('network'), failure('timeout')],
      color: 'yellow',
      reason: '2 failures in a row: timed out',
    },
    {
      name: 'three transient failures in a row: red',
      events: [failure('provider_overloaded'), failure('provider_overloaded'), failure('provider_overloaded')],
      color: 'red',
      reason: '3 failures in a row: provider overloaded',
    },
    {
      name: 'a success in between resets the count',
      events: [failure('network'), failure('network'), { type: 'success' }, failure('network'), failure('network')],
      color: 'yellow',
      reason: /^2 failures/,
    },
    { name: 'invalid key: red at once', events: [{ type: 'success' }, failure('auth_invalid')], color: 'red', reason: 'Invalid API key' },
    { name: 'out of credits: red at once', events: [failure('quota_exhausted')], color: 'red', reason: 'Out of credits' },
    {
      name: 'bad requests are neutral',
      events: [failure('bad_request'), failure('bad_request'), failure('bad_request')],
      color: 'grey',
      reason: 'Not used yet',
    },
    {
      name: 'refusals, long prompts and cancels are neutral',
      events: [{ type: 'success' }, failure('content_filtered'), failure('context_length_exceeded'), failure('aborted')],
      color: 'green',
      reason: 'Responding',
    },
    {
      name: 'an automatic probe success lets a red connection back in on trial only',
      events: [failure('auth_invalid'), { type: 'probe-success' }],
      color: 'yellow',
      reason: 'On trial: the model list answers again; the next real call decides',
    },
    {
      name: 'a real call that succeeds on trial turns it green',
      events: [failure('auth_invalid'), { type: 'probe-success' }, { type: 'success' }],
      color: 'green',
      reason: 'Responding',
    },
    {
      name: 'a passed "Test connection" (list and one-token completion) turns red green',
      events: [failure('auth_invalid'), { type: 'probe-success' }, { type: 'check-success' }],
      color: 'green',
      reason: 'Responding',
    },
    { name: 'a reset goes back to grey', events: [failure('auth_invalid'), { type: 'reset' }], color: 'grey', reason: 'Not used yet' },
    {
      name: 'a failed "Test connection" on a fresh connection with a bad key is red',
      events: [probeFailure('auth_invalid')],
      color: 'red',
      reason: 'Invalid API key',
    },
  ])('$name', ({ events, color, reason }) => {
    const state = replay(events);
    expect(state.color).toBe(color);
    if (typeof reason === 'string') expect(state.reason).toBe(reason);
    else expect(state.reason).toMatch(reason);
    expect(connectionHealthSchema.parse(state)).toEqual(state);
  });

  it('neutral outcomes return the very same state', () => {
    const state = replay([failure('network')]);
    expect(reduceHealth(state, failure('bad_request'), t0 + 99)).toBe(state);
  });

  it('turning red schedules a probe after 15 s; the cool-down doubles on each failed probe, capped at 5 min', () => {
    let state = reduceHealth(initialHealth('c'), failure('auth_invalid'), t0);
    expect(state).toMatchObject({ color: 'red', cooldownMs: initialCooldownMs, nextProbeAt: t0 + 15_000, since: t0 });
    const cooldowns: number[] = [];
    let time = t0;
    for (let probe = 0; probe < 7; probe += 1) {
      time = state.nextProbeAt!;
      expect(dueForProbe(state, time - 1)).toBe(false);
      expect(dueForProbe(state, time)).toBe(true);
      state = reduceHealth(state, probeFailure('auth_invalid'), time);
      cooldowns.push(state.cooldownMs!);
      expect(state.nextProbeAt).toBe(time + state.cooldownMs!);
    }
    expect(cooldowns).toEqual([30_000, 60_000, 120_000, 240_000, maxCooldownMs, maxCooldownMs, maxCooldownMs]);
    expect(state.since).toBe(t0);
    state = reduceHealth(state, { type: 'check-success' }, time + 1);
    expect(state).toMatchObject({ color: 'green', cooldownMs: null, nextProbeAt: null, consecutiveFailures: 0, since: time + 1 });
    expect(dueForProbe(state, time + 10_000_000)).toBe(false);
  });

  it('half-open: a probe admits on trial, a failed trial call is red again with a longer cool-down', () => {
    let state = reduceHealth(initialHealth('c'), failure('provider_unavailable'), t0);
    state = reduceHealth(state, failure('provider_unavailable'), t0 + 1);
    state = reduceHealth(state, failure('provider_unavailable'), t0 + 2);
    expect(state).toMatchObject({ color: 'red', cooldownMs: 15_000, nextProbeAt: t0 + 2 + 15_000 });
    state = reduceHealth(state, { type: 'probe-success' }, t0 + 20_000);
    expect(state).toMatchObject({ color: 'yellow', onTrial: true, nextProbeAt: null });
    // A second probe passing while on trial does not promote it either.
    state = reduceHealth(state, { type: 'probe-success' }, t0 + 21_000);
    expect(state).toMatchObject({ color: 'yellow', onTrial: true });
    state = reduceHealth(state, failure('provider_unavailable'), t0 + 22_000);
    expect(state).toMatchObject({ color: 'red', onTrial: false, cooldownMs: 30_000, nextProbeAt: t0 + 22_000 + 30_000 });
    state = reduceHealth(state, { type: 'probe-success' }, t0 + 60_000);
    state = reduceHealth(state, { type: 'success' }, t0 + 61_000);
    expect(state).toMatchObject({ color: 'green', onTrial: false, cooldownMs: null });
  });

  it('traffic that still fails on a red connection does not push the next probe away', () => {
    const red = replay([failure('network'), failure('network'), failure('network')]);
    const later = reduceHealth(red, failure('network'), red.nextProbeAt! - 1);
    expect(later.nextProbeAt).toBe(red.nextProbeAt);
    expect(later.cooldownMs).toBe(red.cooldownMs);
  });

  it('a call may go to a connection unless it is red, and to one on trial only while no other call has the trial', () => {
    const red = replay([failure('quota_exhausted')]);
    const trial = reduceHealth(red, { type: 'probe-success' }, t0 + 60_000);
    expect(admitsCall(undefined, false)).toBe(true);
    expect(admitsCall(replay([failure('network')]), true)).toBe(true);
    expect(admitsCall(red, false)).toBe(false);
    expect(admitsCall(trial, false)).toBe(true);
    expect(admitsCall(trial, true)).toBe(false);
  });

  it('only red connections are skipped by routing', () => {
    expect(isRoutable(undefined)).toBe(true);
    expect(isRoutable(replay([failure('network')]))).toBe(true);
    expect(isRoutable(replay([failure('quota_exhausted')]))).toBe(false);
  });
});
