import type { CoolOff } from '../../src-shared/schemas/health';
import type { LearnedRateLimits, RateLimits } from '../../src-shared/schemas/rate-limits';
import { emptyUsage, rateLimitHold, rateWindowMs, staleCount, type RateUsage } from '../engine/rate-limit';

export interface RateLimiterDependencies {
  now(): number;
  /** The connection's own limits as set now; undefined: none. */
  limits(connectionId: string): RateLimits | undefined;
  /** A connection reached a limit: routing should skip it until then (the health monitor's cool-off). */
  onHold(connectionId: string, coolOff: CoolOff): void;
  /** The provider said something new about its limits (for the Providers screen). */
  onLearned?(connectionId: string): void;
}

/**
 * What each connection did in the last minute and what its provider says, kept for the one rule in
 * engine/rate-limit.ts. A connection that reaches a limit is handed to the health monitor as a
 * cool-off, so routing skips it exactly as it skips one that sent a Retry-After.
 */
export interface RateLimiter {
  /** Until when a call must not go to the connection now; chat calls may take a slot a waiting chat keeps. */
  hold(connectionId: string, forChat: boolean): CoolOff | null;
  /** A call to the connection starts now. */
  start(connectionId: string): void;
  /** A call that started has ended (however). */
  finish(connectionId: string): void;
  /** Tokens a call used, counted against tokens per minute. */
  useTokens(connectionId: string, count: number): void;
  /** What the provider's latest response said. */
  learn(connectionId: string, learned: LearnedRateLimits): void;
  learned(connectionId: string): LearnedRateLimits | null;
  /** A chat call waits for the connection (true) or stopped waiting (false): other calls leave it the next slot. */
  chatWaiting(connectionId: string, waiting: boolean): void;
}

export function createRateLimiter(deps: RateLimiterDependencies): RateLimiter {
  const usages = new Map<string, RateUsage>();
  const learnedBy = new Map<string, LearnedRateLimits>();

  // Each connection's usage is this limiter's own and changes in place: a call appends to its
  // lists and the entries that left the window are cut from the front, so a busy connection's
  // thousands of calls a minute are never copied.
  const usageOf = (connectionId: string): RateUsage => {
    let usage = usages.get(connectionId);
    if (!usage) {
      usage = emptyUsage();
      usages.set(connectionId, usage);
    }
    const from = deps.now() - rateWindowMs;
    const staleStarts = staleCount(usage.starts, from, (at) => at);
    if (staleStarts > 0) usage.starts.splice(0, staleStarts);
    const staleTokens = staleCount(usage.tokens, from, (entry) => entry.at);
    if (staleTokens > 0) usage.tokens.splice(0, staleTokens);
    return usage;
  };
  const hold = (connectionId: string, forChat: boolean): CoolOff | null =>
    rateLimitHold(deps.limits(connectionId), usageOf(connectionId), learnedBy.get(connectionId), deps.now(), forChat);
  // Published only when reached, so the plan, the Route preview and the dot say so too.
  const publish = (connectionId: string) => {
    const reached = hold(connectionId, true);
    if (reached) deps.onHold(connectionId, reached);
  };

  return {
    hold,
    start(connectionId) {
      const usage = usageOf(connectionId);
      usage.starts.push(deps.now());
      usage.inFlight += 1;
      publish(connectionId);
    },
    finish(connectionId) {
      const usage = usageOf(connectionId);
      usage.inFlight = Math.max(0, usage.inFlight - 1);
    },
    useTokens(connectionId, count) {
      if (!(count > 0)) return;
      usageOf(connectionId).tokens.push({ at: deps.now(), count });
      publish(connectionId);
    },
    learn(connectionId, learned) {
      learnedBy.set(connectionId, learned);
      deps.onLearned?.(connectionId);
      publish(connectionId);
    },
    learned: (connectionId) => learnedBy.get(connectionId) ?? null,
    chatWaiting(connectionId, waiting) {
      const usage = usageOf(connectionId);
      usage.chatsWaiting = Math.max(0, usage.chatsWaiting + (waiting ? 1 : -1));
    },
  };
}
