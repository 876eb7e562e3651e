import type { AppError, ErrorCode } from '../../src-shared/errors/app-error';
import type { ConnectionHealth, CoolOff, HealthColor } from '../../src-shared/schemas/health';
import { countsAgainstProvider, errorTraits } from '../../src-shared/errors/error-traits';
import { coolOffFromError, laterCoolOff } from './cool-off';
import type { AttemptOutcome } from './ports';

/** What can happen to a connection's health: real traffic, probes, or a manual reset. */
export type HealthEvent =
  | { type: 'success' }
  | { type: 'failure'; error: AppError }
  /** An automatic, token-free probe passed: a red connection is only let back in on trial. */
  | { type: 'probe-success' }
  | { type: 'probe-failure'; error: AppError }
  /** "Test connection" passed its full check (model list and a one-token completion). */
  | { type: 'check-success' }
  /** Routing skips the connection until `coolOff.until` (a rate limit of our own, for example). */
  | { type: 'cool-off'; coolOff: CoolOff }
  | { type: 'reset' };

/** Consecutive transient failures that turn a connection red. */
export const failuresBeforeRed = 3;
/** First wait before probing a red connection again. */
export const initialCooldownMs = 15_000;
/** The wait doubles on each failed probe up to this. */
export const maxCooldownMs = 5 * 60_000;

// Whether an error moves the dot, and how far, is the traits table's `health` column.
export { countsAgainstProvider } from '../../src-shared/errors/error-traits';

/** Grey: nothing known yet. */
export function initialHealth(connectionId: string): ConnectionHealth {
  return {
    connectionId,
    color: 'grey',
    reason: 'Not used yet',
    lastError: null,
    since: null,
    lastSuccessAt: null,
    lastFailureAt: null,
    consecutiveFailures: 0,
    nextProbeAt: null,
    cooldownMs: null,
    onTrial: false,
    coolOff: null,
  };
}

function withColor(state: ConnectionHealth, color: HealthColor, now: number): Pick<ConnectionHealth, 'color' | 'since'> {
  return { color, since: state.color === color ? state.since : now };
}

function failureReason(count: number, code: ErrorCode): string {
  const { health, healthNoun } = errorTraits[code];
  if (health === 'red-now') return healthNoun;
  const lead = count === 1 ? '1 recent failure' : `${count} failures in a row`;
  return `${lead}: ${healthNoun}`;
}

function healthy(state: ConnectionHealth, now: number): ConnectionHealth {
  return {
    ...state,
    ...withColor(state, 'green', now),
    reason: 'Responding',
    lastSuccessAt: now,
    consecutiveFailures: 0,
    nextProbeAt: null,
    cooldownMs: null,
    onTrial: false,
  };
}

/** The wait before the next probe after a red connection failed again: doubled, up to the cap. */
function longerCooldown(state: ConnectionHealth): number {
  return Math.min((state.cooldownMs ?? initialCooldownMs / 2) * 2, maxCooldownMs);
}

function onTrial(state: ConnectionHealth, now: number): ConnectionHealth {
  return {
    ...state,
    ...withColor(state, 'yellow', now),
    reason: 'On trial: the model list answers again; the next real call decides',
    nextProbeAt: null,
    onTrial: true,
  };
}

function failed(state: ConnectionHealth, error: AppError, now: number, fromProbe: boolean): ConnectionHealth {
  const count = state.consecutiveFailures + 1;
  const base = { ...state, lastError: error, lastFailureAt: now, consecutiveFailures: count, reason: failureReason(count, error.code) };
  if (state.onTrial) {
    // The trial call failed: red again at once, and the next probe waits longer than the last.
    const cooldownMs = longerCooldown(state);
    return { ...base, ...withColor(state, 'red', now), onTrial: false, cooldownMs, nextProbeAt: now + cooldownMs };
  }
  if (state.color === 'red') {
    // Only a failed probe grows the cool-down; failures from traffic that still reached a red
    // connection (a chat on a red Primary) must not push the next probe further away.
    if (!fromProbe) return { ...base, nextProbeAt: state.nextProbeAt ?? now + (state.cooldownMs ?? initialCooldownMs) };
    const cooldownMs = longerCooldown(state);
    return { ...base, cooldownMs, nextProbeAt: now + cooldownMs };
  }
  if (errorTraits[error.code].health === 'red-now' || count >= failuresBeforeRed) {
    return { ...base, ...withColor(state, 'red', now), cooldownMs: initialCooldownMs, nextProbeAt: now + initialCooldownMs };
  }
  return { ...base, ...withColor(state, 'yellow', now) };
}

/** The pure health state machine behind each connection's dot (DESIGN.md "Health"). */
export function reduceHealth(state: ConnectionHealth, event: HealthEvent, now: number): ConnectionHealth {
  switch (event.type) {
    case 'success':
    case 'check-success':
      return healthy(state, now);
    case 'probe-success':
      // A model list that answers says nothing about completions: red and on-trial
      // connections stay on trial until a real call decides.
      return state.color === 'red' || state.onTrial ? onTrial(state, now) : healthy(state, now);
    case 'failure': {
      // A Retry-After holds whatever the failure does to the dot.
      const coolOff = coolOffFromError(event.error, now);
      const cooled = coolOff ? { ...state, coolOff: laterCoolOff(state.coolOff, coolOff) } : state;
      if (!countsAgainstProvider(event.error.code)) return cooled;
      return failed(cooled, event.error, now, false);
    }
    case 'cool-off':
      return { ...state, coolOff: laterCoolOff(state.coolOff, event.coolOff) };
    case 'probe-failure':
      // A probe is token-free and asks only "does this key and endpoint work", so any failure
      // other than our own cancellation counts.
      if (event.error.code === 'aborted') return state;
      return failed(state, event.error, now, true);
    case 'reset':
      return initialHealth(state.connectionId);
  }
}

/** A red connection whose cool-down has passed is due for its next probe. */
export function dueForProbe(state: ConnectionHealth, now: number): boolean {
  return state.color === 'red' && state.nextProbeAt !== null && now >= state.nextProbeAt;
}

/** Routing skips red connections only; grey, green and yellow may be tried. */
export function isRoutable(state: ConnectionHealth | undefined): boolean {
  return state?.color !== 'red';
}

/**
 * Whether a call may go to the connection now (DESIGN.md "Health"): never while it is red, and
 * while it is on trial only the one call that decides (`trialTaken`: another call has it).
 */
export function admitsCall(state: ConnectionHealth | undefined, trialTaken: boolean): boolean {
  if (!isRoutable(state)) return false;
  return !(state?.onTrial === true && trialTaken);
}

/** The health event an attempt's outcome feeds in; null for neutral outcomes. */
export function healthEventForOutcome(outcome: AttemptOutcome): HealthEvent | null {
  switch (outcome.type) {
    case 'success':
      return { type: 'success' };
    case 'failure':
      return { type: 'failure', error: outcome.error };
    case 'neutral':
      return null;
  }
}
