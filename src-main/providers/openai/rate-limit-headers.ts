import type { LearnedRateLimits, ProviderWindow } from '../../../src-shared/schemas/rate-limits';

const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** OpenAI's reset durations: "120ms", "1s", "6m0s", "1m30.5s"; a bare number is seconds. */
export function parseResetDuration(value: string | null): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1_000;
  let total = 0;
  let rest = text;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * units[match[2]!]!;
    rest = rest.replace(match[0], '');
  }
  return rest.length === 0 && text.length > 0 ? Math.round(total) : null;
}

function count(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : null;
}

function window(headers: Pick<Headers, 'get'>, noun: 'requests' | 'tokens', now: number): ProviderWindow | null {
  const limit = count(headers.get(`x-ratelimit-limit-${noun}`));
  const remaining = count(headers.get(`x-ratelimit-remaining-${noun}`));
  if (limit === null && remaining === null) return null;
  const reset = parseResetDuration(headers.get(`x-ratelimit-reset-${noun}`));
  return { limit, remaining, resetAt: reset === null ? null : now + reset };
}

/**
 * What an OpenAI-style response says about the limits (x-ratelimit-limit-requests,
 * -remaining-requests, -reset-requests and the -tokens ones); null when it says nothing.
 * OpenAI-compatible providers (Groq, DeepSeek, OpenRouter, ...) send the same names.
 */
export function readOpenAIRateLimits(headers: Pick<Headers, 'get'>, now: number): LearnedRateLimits | null {
  const requests = window(headers, 'requests', now);
  const tokens = window(headers, 'tokens', now);
  return requests || tokens ? { requests, tokens, at: now } : null;
}
