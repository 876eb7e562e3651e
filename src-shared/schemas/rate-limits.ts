import { z } from 'zod';

const limitField = (what: string) =>
  z
    .number({ error: `Enter the ${what} as a whole number, or leave it empty for no limit` })
    .int(`Enter the ${what} as a whole number, or leave it empty for no limit`)
    .positive(`The ${what} must be at least 1; leave it empty for no limit`)
    .max(100_000_000, `The ${what} is too large`)
    .nullable()
    .default(null);

/**
 * Limits of our own per connection, kept before the provider's (DESIGN.md "Limits, cost, budgets"):
 * a connection at one of them is skipped like one that asked to wait. Null means no limit.
 */
export const rateLimitsSchema = z
  .object({
    requestsPerMinute: limitField('requests per minute'),
    tokensPerMinute: limitField('tokens per minute'),
    concurrentCalls: limitField('number of calls at once'),
  })
  .strict();
export type RateLimits = z.infer<typeof rateLimitsSchema>;

/** One of a provider's windows as its response headers describe it. */
export const providerWindowSchema = z.object({
  limit: z.number().nullable(),
  remaining: z.number().nullable(),
  /** Epoch ms when the window is full again; null when the provider did not say. */
  resetAt: z.number().nullable(),
});
export type ProviderWindow = z.infer<typeof providerWindowSchema>;

/** What a provider's last response said about its limits (x-ratelimit-*, anthropic-ratelimit-*). */
export const learnedRateLimitsSchema = z.object({
  requests: providerWindowSchema.nullable(),
  tokens: providerWindowSchema.nullable(),
  /** Epoch ms of the response that said so. */
  at: z.number(),
});
export type LearnedRateLimits = z.infer<typeof learnedRateLimitsSchema>;

/** 12345 -> "12,345". */
function count(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(value: number, one: string, many: string): string {
  return `${count(value)} ${value === 1 ? one : many}`;
}

/** "2 requests per minute", "1 call at once": the words for each limit, in plans and in the form. */
export const limitWords = {
  requestsPerMinute: (limit: number) => `${plural(limit, 'request', 'requests')} per minute`,
  tokensPerMinute: (limit: number) => `${plural(limit, 'token', 'tokens')} per minute`,
  concurrentCalls: (limit: number) => `${plural(limit, 'call', 'calls')} at once`,
} as const;

/** "limit 500 requests, 12 left": one window the provider described. */
function windowWords(window: ProviderWindow | null, noun: string): string | null {
  if (!window || (window.limit === null && window.remaining === null)) return null;
  if (window.limit === null) return `${count(window.remaining!)} ${noun} left`;
  const limit = `limit ${count(window.limit)} ${noun}`;
  return window.remaining === null ? limit : `${limit}, ${count(window.remaining)} left`;
}

/** "Provider says: limit 500 requests, 12 left; limit 30,000 tokens, 29,800 left", or null. */
export function learnedLimitsWords(learned: LearnedRateLimits | null | undefined): string | null {
  if (!learned) return null;
  const parts = [windowWords(learned.requests, 'requests'), windowWords(learned.tokens, 'tokens')].filter(
    (part): part is string => part !== null,
  );
  return parts.length === 0 ? null : `Provider says: ${parts.join('; ')}`;
}
