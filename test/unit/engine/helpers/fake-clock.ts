import type { Clock } from '../../../../src-main/engine/ports';

interface Timer {
  at: number;
  order: number;
  resolve: () => void;
}

/** Lets pending promise chains run until they are all waiting on the clock again. */
export async function settle(rounds = 3): Promise<void> {
  for (let round = 0; round < rounds; round += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock whose time only moves when told to. With autoAdvance, whenever everything is idle
 * (waiting on timers) it jumps straight to the earliest timer, so scripted minutes take
 * microseconds and timer order is exact.
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private order = 0;
  private scheduled = false;
  /** Every sleep requested, in ms, in order (backoff and timeouts included). */
  readonly sleeps: number[] = [];

  constructor(
    start = 1_700_000_000_000,
    readonly autoAdvance = true,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      const abortError = (): Error => Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const timer: Timer = {
        at: this.current + Math.max(0, ms),
        order: this.order++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.timers = this.timers.filter((item) => item !== timer);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by ms, firing due timers in order and letting their effects run. */
  async advance(ms: number): Promise<void> {
    const until = this.current + ms;
    for (;;) {
      await settle();
      const next = this.earliest();
      if (!next || next.at > until) break;
      this.fire(next);
    }
    this.current = until;
    await settle();
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.order < best.order)) best = timer;
    }
    return best;
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((item) => item !== timer);
    this.current = Math.max(this.current, timer.at);
    timer.resolve();
  }

  private schedule(): void {
    if (!this.autoAdvance || this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after every pending promise reaction: only then is everything idle.
    setImmediate(() => {
      this.scheduled = false;
      const next = this.earliest();
      if (!next) return;
      this.fire(next);
      if (this.timers.length > 0) this.schedule();
    });
  }
}

/** Random numbers from a fixed list (cycled), for exact backoff assertions. */
export class SequenceRandom {
  private index = 0;
  constructor(private readonly values: number[]) {}
  next(): number {
    const value = this.values[this.index % this.values.length] ?? 0;
    this.index += 1;
    return value;
  }
}
