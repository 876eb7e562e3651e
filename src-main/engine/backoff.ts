import type { Clock, Random } from './ports';

/** First retry waits up to this. */
export const backoffBaseMs = 250;
/** No computed backoff waits longer than this. */
export const backoffCapMs = 8_000;

/**
 * How long to wait before retry number `retryIndex` (0 for the first retry): exponential
 * backoff with full jitter, so many clients hitting one provider do not retry in lockstep.
 * A provider's Retry-After, when given, wins.
 */
export function backoffDelayMs(retryIndex: number, random: Random, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(backoffCapMs, backoffBaseMs * 2 ** Math.max(0, retryIndex));
  return Math.floor(random.next() * ceiling);
}

/** What happened first: the awaited value, its rejection, the timer, or the caller's cancel. */
export type RaceStep<T> = { kind: 'value'; value: T } | { kind: 'thrown'; error: unknown } | { kind: 'timeout' } | { kind: 'aborted' };

/**
 * Races a promise against a clock timer (null: no timer) and a cancel signal. The timer is
 * cancelled as soon as anything settles, so no sleep outlives its race.
 */
export function raceStep<T>(
  promise: Promise<T>,
  waitMs: number | null,
  clock: Clock,
  signal: AbortSignal | undefined,
): Promise<RaceStep<T>> {
  return new Promise((resolve) => {
    let settled = false;
    // Only a step with a time limit needs a timer to cancel (creating one per chunk is costly).
    const timer = waitMs === null ? null : new AbortController();
    const finish = (step: RaceStep<T>): void => {
      if (settled) return;
      settled = true;
      timer?.abort();
      signal?.removeEventListener('abort', onAbort);
      resolve(step);
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    if (signal?.aborted) {
      finish({ kind: 'aborted' });
    } else {
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    promise.then(
      (value) => finish({ kind: 'value', value }),
      (error: unknown) => finish({ kind: 'thrown', error }),
    );
    if (waitMs !== null && timer && !settled) {
      clock.sleep(Math.max(0, waitMs), timer.signal).then(
        () => finish({ kind: 'timeout' }),
        // A cancelled timer may reject; the race is already decided then.
        () => undefined,
      );
    }
  });
}

/** Sleeps on the clock; false when the caller cancelled first. */
export async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  // A fresh never-settling promise per call: a shared one would keep every race's handlers alive.
  const step = await raceStep(new Promise<never>(() => undefined), ms, clock, signal);
  return step.kind === 'timeout';
}
