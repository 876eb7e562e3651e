interface HeaderSource {
  get(name: string): string | null;
}

/**
 * How long the provider asked us to wait: `retry-after-ms` (OpenAI, Azure), else `retry-after`
 * as seconds or an HTTP date. Undefined when the provider said nothing usable.
 */
export function retryAfterMs(headers: HeaderSource | null | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && milliseconds.trim() !== '') {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const retryAfter = headers.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
