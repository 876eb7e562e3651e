import { describe, expect, it, vi } from 'vitest';
import { iterateWithin, openCallScope, raceAbort, DeadlineExceeded } from '../../../src-main/providers/shared/call-scope';
import { retryAfterMs } from '../../../src-main/providers/shared/retry-after';
import { scrubSecrets } from '../../../src-main/providers/shared/scrub-secrets';
import { classifyTransportFailure } from '../../../src-main/providers/shared/transport-failure';

describe('scrubSecrets', () => {
  const key = 'gsk_Q1w2E3r4T5y6U7i8O9p0';

  it('removes the key, pieces of it, and anything shaped like a key', () => {
    const text = [
      `key ${key}`,
      `prefix ${key.slice(0, 10)}…`,
      `masked gsk_****${key.slice(-9)}`,
      'Authorization: Bearer abc.def.ghi',
      'x-api-key=0123456789abcdef',
      'other sk-ant-api03-abcdefghijklmnop and AIzaSyA1234567890abcdefghijklmnopq and xai-abcdefgh12345678',
    ].join('\n');
    const clean = scrubSecrets(text, [key]);
    expect(clean).not.toContain(key.slice(0, 10));
    expect(clean).not.toContain(key.slice(-9));
    expect(clean).not.toMatch(/abc\.def\.ghi|0123456789abcdef|sk-ant-api03|AIzaSy|xai-abcdefgh/);
    expect(clean).toMatch(/Authorization: \[redacted\]/);
  });

  it('leaves ordinary words alone', () => {
    const words = "This model's maximum context length is 128000 tokens. Please reduce the length of the messages.";
    expect(scrubSecrets(words, [key])).toBe(words);
  });
});

describe('retryAfterMs', () => {
  const headers = (values: Record<string, string>) => new Headers(values);
  it('prefers milliseconds, then seconds, then a date; ignores nonsense', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250.4', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '1.5' }))).toBe(1500);
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }), Date.parse('Wed, 21 Oct 2015 07:27:30 GMT'))).toBe(
      30_000,
    );
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }), Date.parse('Wed, 21 Oct 2015 08:00:00 GMT'))).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after': 'later' }))).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('classifyTransportFailure', () => {
  const nested = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error('inner'), { code }) });
  it.each([
    ['CERT_HAS_EXPIRED', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['ECONNREFUSED', 'network'],
    ['ENOTFOUND', 'network'],
    ['EAI_AGAIN', 'network'],
    ['UND_ERR_SOCKET', 'network'],
    ['ETIMEDOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ])('%s -> %s', (code, kind) => {
    expect(classifyTransportFailure(nested(code))).toEqual({ kind, code });
  });

  it('reads aggregate errors (happy eyeballs) and plain words; unknown stays unknown', () => {
    const aggregate = new TypeError('fetch failed', {
      cause: new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]),
    });
    expect(classifyTransportFailure(aggregate)?.kind).toBe('network');
    expect(classifyTransportFailure(new Error('unable to verify the first certificate'))?.kind).toBe('tls');
    expect(classifyTransportFailure(new RangeError('nope'))).toBeUndefined();
  });
});

describe('call scope', () => {
  it('fires its deadline as DeadlineExceeded, and touching postpones it', async () => {
    vi.useFakeTimers();
    try {
      const scope = openCallScope(new AbortController().signal, 100);
      await vi.advanceTimersByTimeAsync(80);
      scope.touch();
      await vi.advanceTimersByTimeAsync(80);
      expect(scope.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(30);
      expect(scope.signal.aborted).toBe(true);
      expect(scope.timedOut()).toBe(true);
      expect(scope.callerAborted()).toBe(false);
      expect(scope.signal.reason).toBeInstanceOf(DeadlineExceeded);
      scope.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('follows the caller, and a promise that never settles still loses to the abort', async () => {
    const caller = new AbortController();
    const scope = openCallScope(caller.signal, 10_000);
    const never = new Promise<never>(() => undefined);
    const stopped = new Error('the user pressed Stop');
    setTimeout(() => caller.abort(stopped), 10);
    // The caller's own reason, not some other failure on the way.
    await expect(raceAbort(never, scope.signal)).rejects.toBe(stopped);
    expect(scope.callerAborted()).toBe(true);
    expect(scope.timedOut()).toBe(false);
    scope.dispose();
  });

  it('a stream that ends silently after an abort is reported, not finished', async () => {
    const caller = new AbortController();
    const scope = openCallScope(caller.signal, 10_000);
    const stopped = new Error('the user pressed Stop');
    async function* silentlyEnds() {
      yield 1;
      caller.abort(stopped);
      // The SDKs return instead of throwing when their request is aborted.
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of iterateWithin(silentlyEnds(), scope)) seen.push(value);
      })(),
    ).rejects.toBe(stopped);
    expect(seen).toEqual([1]);
    scope.dispose();
  });
});
