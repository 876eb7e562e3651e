import type { LearnedRateLimits, ProviderWindow } from '../../../src-shared/schemas/rate-limits';

function count(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : null;
}

function instant(value: string | null): number | null {
  if (value === null) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at;
}

function window(headers: Pick<Headers, 'get'>, prefix: string): ProviderWindow | null {
  const limit = count(headers.get(`${prefix}-limit`));
  const remaining = count(headers.get(`${prefix}-remaining`));
  if (limit === null && remaining === null) return null;
  return { limit, remaining, resetAt: instant(headers.get(`${prefix}-reset`)) };
}

/**
 * What an Anthropic response says about the limits (anthropic-ratelimit-requests-limit / -remaining /
 * -reset, an RFC 3339 time, and the tokens ones); null when it says nothing. Where only the input and
 * output token windows are given, the input one stands for tokens.
 */
export function readAnthropicRateLimits(headers: Pick<Headers, 'get'>, now: number): LearnedRateLimits | null {
  const requests = window(headers, 'anthropic-ratelimit-requests');
  const tokens = window(headers, 'anthropic-ratelimit-tokens') ?? window(headers, 'anthropic-ratelimit-input-tokens');
  return requests || tokens ? { requests, tokens, at: now } : null;
}
