import { describe, expect, it } from 'vitest';
import { appError, errorCodes } from '../../../src-shared/errors/app-error';
import { httpStatusFor, openAIErrorBody, retryAfterHeaders } from '../../../src-main/gateway/gateway-errors';
import {
  createTokenMatcher,
  generateToken,
  isAllowedHost,
  isAllowedOrigin,
  preflightHeaders,
  presentedToken,
  tokenDigest,
} from '../../../src-main/gateway/request-guards';

describe('isAllowedHost', () => {
  it.each([
    ['127.0.0.1:4141', true],
    ['localhost:4141', true],
    ['LocalHost:4141', true],
    ['[::1]:4141', true],
    ['127.0.0.1', false],
    ['localhost', false],
    ['127.0.0.1:4142', false],
    ['evil.example:4141', false],
    ['localhost.evil.example:4141', false],
    ['0.0.0.0:4141', false],
    [undefined, false],
  ])('%s -> %s', (host, allowed) => {
    expect(isAllowedHost(host, 4141)).toBe(allowed);
  });
});

describe('presented token', () => {
  it.each([
    ['Bearer secret-token', 'secret-token'],
    ['bearer secret-token', 'secret-token'],
    ['Bearer  secret-token ', 'secret-token'],
    ['secret-token', ''],
    ['Basic c2VjcmV0', ''],
    [undefined, ''],
  ])('%s -> %s', (header, token) => {
    expect(presentedToken(header === undefined ? {} : { authorization: header })).toBe(token);
  });

  it('takes Anthropic’s x-api-key when there is no Authorization header', () => {
    expect(presentedToken({ 'x-api-key': 'secret-token' })).toBe('secret-token');
    expect(presentedToken({ authorization: 'Bearer first', 'x-api-key': 'second' })).toBe('first');
  });
});

describe('token matching', () => {
  const match = createTokenMatcher();
  const live = [
    { client: 'editor', token: 'editor-token' },
    { client: 'scripts', token: 'scripts-token' },
  ];

  it('names the client whose live token was sent, and no one for a wrong, partial or empty token', () => {
    expect(match('editor-token', live)).toEqual({ kind: 'client', client: 'editor' });
    expect(match('scripts-token', live)).toEqual({ kind: 'client', client: 'scripts' });
    expect(match('editor-tokens', live)).toEqual({ kind: 'unknown' });
    expect(match('editor-toke', live)).toEqual({ kind: 'unknown' });
    expect(match('', live)).toEqual({ kind: 'unknown' });
  });

  it('admits no one with an empty token list or an empty token, and follows a changed list', () => {
    expect(match('editor-token', [])).toEqual({ kind: 'unknown' });
    expect(match('', [{ client: 'odd', token: '' }])).toEqual({ kind: 'unknown' });
    expect(match('editor-token', live.slice(1))).toEqual({ kind: 'unknown' });
  });

  it('recognises a revoked token by its digest and names its client', () => {
    const revoked = [{ client: 'old-editor', revokedAt: Date.UTC(2026, 11, 1), digest: tokenDigest('old-token') }];
    expect(match('old-token', live, revoked)).toEqual({ kind: 'revoked', client: 'old-editor', revokedAt: Date.UTC(2026, 11, 1) });
    expect(match('other-token', live, revoked)).toEqual({ kind: 'unknown' });
  });

  it('generates long, distinct, URL-safe tokens', () => {
    const first = generateToken();
    expect(first).toMatch(/^sbg-[A-Za-z0-9_-]{43}$/);
    expect(generateToken()).not.toBe(first);
  });
});

describe('CORS', () => {
  it('matches origins exactly, ignoring case and a trailing slash', () => {
    const allowed = ['http://localhost:5173/', 'https://Tool.Example'];
    expect(isAllowedOrigin('http://localhost:5173', allowed)).toBe(true);
    expect(isAllowedOrigin('https://tool.example', allowed)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5174', allowed)).toBe(false);
    expect(isAllowedOrigin('https://tool.example.evil', allowed)).toBe(false);
    expect(isAllowedOrigin(undefined, allowed)).toBe(false);
    expect(isAllowedOrigin('http://localhost:5173', [])).toBe(false);
  });

  it('answers a preflight with the asked-for headers, dropping malformed names', () => {
    const headers = preflightHeaders('http://localhost:5173', {
      'access-control-request-headers': 'X-Stainless-OS, content-type, bad header, x\r\ny',
    });
    expect(headers['access-control-allow-headers']).toBe('authorization, content-type, x-stainless-os');
    expect(headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });
});

describe('errors', () => {
  it.each([
    ['bad_request', 400],
    ['context_length_exceeded', 400],
    ['input_too_large', 400],
    ['content_filtered', 400],
    ['validation_failed', 400],
    ['rate_limited', 429],
    ['no_candidates', 503],
    ['timeout', 504],
    ['provider_unavailable', 502],
    ['auth_invalid', 502],
    ['stream_interrupted', 502],
    ['internal', 500],
  ] as const)('%s -> %d', (code, status) => {
    expect(httpStatusFor(appError(code, 'x'))).toBe(status);
  });

  it('gives every error code a status', () => {
    for (const code of errorCodes) expect(httpStatusFor(appError(code, 'x'))).toBeGreaterThanOrEqual(400);
  });

  it('uses the OpenAI error shape with our code', () => {
    expect(openAIErrorBody(appError('rate_limited', 'Slow down'), 429)).toEqual({
      error: { message: 'Slow down', type: 'rate_limit_error', code: 'rate_limited', param: null },
    });
    expect(retryAfterHeaders(appError('rate_limited', 'x', { retryAfterMs: 1_500 }))).toEqual({
      'retry-after': '2',
      'retry-after-ms': '1500',
    });
    expect(retryAfterHeaders(appError('rate_limited', 'x'))).toEqual({});
  });
});
