import type { CoolOff } from '../../src-shared/schemas/health';
import { limitWords, type LearnedRateLimits, type ProviderWindow, type RateLimits } from '../../src-shared/schemas/rate-limits';

/** Requests and tokens per minute are counted over the last minute. */
export const rateWindowMs = 60_000;
/**
 * A connection with all its calls at once taken has no known time it frees up: it is held this long,
 * then looked at again.
 */
export const concurrencyRecheckMs = 1_000;

/** What one connection did recently, as far as its limits are concerned. */
export interface RateUsage {
  /** When each recent call started (epoch ms), oldest first. */
  starts: number[];
  /** Tokens each recent call used, by when they were counted, oldest first. */
  tokens: { at: number; count: number }[];
  /** Calls under way now. */
  inFlight: number;
  /** Chat calls waiting for a free slot: they go first (DESIGN.md point 1, chat is the user at the keyboard). */
  chatsWaiting: number;
}

export function emptyUsage(): RateUsage {
  return { starts: [], tokens: [], inFlight: 0, chatsWaiting: 0 };
}

/**
 * How many entries at the front of a list kept oldest first are older than the window (at or before
 * `from`): a binary search, so a busy connection's thousands of calls a minute cost nothing to skip.
 */
export function staleCount<T>(list: readonly T[], from: number, at: (entry: T) => number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (at(list[middle]!) <= from) low = middle + 1;
    else high = middle;
  }
  return low;
}

const startAt = (at: number) => at;
const tokenAt = (entry: { at: number }) => entry.at;

/** The usage with what is older than the window dropped (the same object when nothing was). */
export function pruneUsage(usage: RateUsage, now: number): RateUsage {
  const from = now - rateWindowMs;
  const staleStarts = staleCount(usage.starts, from, startAt);
  const staleTokens = staleCount(usage.tokens, from, tokenAt);
  if (staleStarts === 0 && staleTokens === 0) return usage;
  return { ...usage, starts: usage.starts.slice(staleStarts), tokens: usage.tokens.slice(staleTokens) };
}

function atOwnLimit(words: string, until: number): CoolOff {
  return { until, reason: `is at its limit of ${words}` };
}

/** The provider's own window, when its last response said nothing is left and the reset is ahead. */
function providerEmpty(window: ProviderWindow | null, noun: string, now: number): CoolOff | null {
  if (!window || window.remaining === null || window.remaining > 0) return null;
  if (window.resetAt === null || window.resetAt <= now) return null;
  return { until: window.resetAt, reason: `has no ${noun} left, the provider says` };
}

/**
 * Whether a connection is at one of its rate limits, and until when (DESIGN.md "Limits, cost,
 * budgets"): its own requests and tokens per minute and calls at once, and the provider's word
 * that nothing is left before a reset. A connection at its limit is treated like one that sent a
 * Retry-After, so this answers with a cool-off (the latest one when several limits hold), or null.
 * While a chat call waits for a slot, other calls (`forChat` false) leave the next one to it.
 */
export function rateLimitHold(
  limits: RateLimits | undefined,
  usage: RateUsage,
  learned: LearnedRateLimits | undefined,
  now: number,
  forChat = false,
): CoolOff | null {
  // Only the window's entries count; a connection without a limit costs no look at its history.
  const from = now - rateWindowMs;
  const holds: CoolOff[] = [];
  const requests = limits?.requestsPerMinute ?? null;
  if (requests !== null) {
    const fresh = usage.starts.length - staleCount(usage.starts, from, startAt);
    if (fresh >= requests) {
      // Free again when the oldest start that keeps it full leaves the window.
      const keepsFull = usage.starts[usage.starts.length - requests]!;
      holds.push(atOwnLimit(limitWords.requestsPerMinute(requests), keepsFull + rateWindowMs));
    }
  }
  const tokens = limits?.tokensPerMinute ?? null;
  if (tokens !== null) {
    const first = staleCount(usage.tokens, from, tokenAt);
    let used = 0;
    for (let index = first; index < usage.tokens.length; index += 1) used += usage.tokens[index]!.count;
    if (used >= tokens) {
      let until = now;
      for (let index = first; index < usage.tokens.length; index += 1) {
        const entry = usage.tokens[index]!;
        used -= entry.count;
        until = entry.at + rateWindowMs;
        if (used < tokens) break;
      }
      holds.push(atOwnLimit(limitWords.tokensPerMinute(tokens), until));
    }
  }
  const calls = limits?.concurrentCalls ?? null;
  if (calls !== null && usage.inFlight >= calls) {
    holds.push(atOwnLimit(limitWords.concurrentCalls(calls), now + concurrencyRecheckMs));
  }
  const providerRequests = providerEmpty(learned?.requests ?? null, 'requests', now);
  if (providerRequests) holds.push(providerRequests);
  const providerTokens = providerEmpty(learned?.tokens ?? null, 'tokens', now);
  if (providerTokens) holds.push(providerTokens);
  if (!forChat && usage.chatsWaiting > 0) {
    holds.push({ until: now + concurrencyRecheckMs, reason: 'is keeping its next free slot for a chat message' });
  }
  let latest: CoolOff | null = null;
  for (const hold of holds) if (!latest || hold.until > latest.until) latest = hold;
  return latest;
}
