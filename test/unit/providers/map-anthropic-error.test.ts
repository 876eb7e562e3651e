import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { errorDefaults, type ErrorCode } from '../../../src-shared/errors/app-error';
import { mapAnthropicError, type AnthropicErrorOptions } from '../../../src-main/providers/anthropic/map-anthropic-error';
import { StreamEndedEarly } from '../../../src-main/providers/shared/stream-ended-early';

const KEY = 'sk-ant-api03-Zyxwvu9876543210abcdef';

function options(overrides: Partial<AnthropicErrorOptions> = {}): AnthropicErrorOptions {
  return { providerName: 'Claude', model: 'claude-haiku-4-5', secrets: [KEY], operation: 'chat', ...overrides };
}

function httpError(status: number, type: string, message: string, errorCode?: string, headers: Record<string, string> = {}): APIError {
  const body = { type: 'error', error: { type, message, ...(errorCode ? { details: { error_code: errorCode } } : {}) } };
  return APIError.generate(status, body, undefined, new Headers(headers));
}

describe('mapAnthropicError', () => {
  it.each<[string, APIError, ErrorCode]>([
    ['401 authentication_error', httpError(401, 'authentication_error', 'invalid x-api-key'), 'auth_invalid'],
    ['402 billing_error', httpError(402, 'billing_error', 'Your credit balance is too low'), 'quota_exhausted'],
    [
      '400 credit balance',
      httpError(400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'),
      'quota_exhausted',
    ],
    ['429 spend limit', httpError(429, 'rate_limit_error', 'limit', 'enforced_spend_limit_reached'), 'quota_exhausted'],
    ['429 rate limit', httpError(429, 'rate_limit_error', 'This request would exceed the rate limit'), 'rate_limited'],
    ['403 permission_error', httpError(403, 'permission_error', 'no access'), 'permission_denied'],
    ['400 organization on hold', httpError(400, 'invalid_request_error', 'on hold', 'organization_on_hold'), 'permission_denied'],
    ['404 not_found_error', httpError(404, 'not_found_error', 'model: claude-x'), 'model_not_found'],
    [
      '400 prompt is too long',
      httpError(400, 'invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum'),
      'context_length_exceeded',
    ],
    [
      '413 request_too_large',
      httpError(413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
      'context_length_exceeded',
    ],
    ['400 other', httpError(400, 'invalid_request_error', 'messages: roles must alternate'), 'bad_request'],
    ['500 api_error', httpError(500, 'api_error', 'Internal server error'), 'provider_unavailable'],
    ['504 timeout_error', httpError(504, 'timeout_error', 'Request timed out'), 'provider_unavailable'],
    ['529 overloaded_error', httpError(529, 'overloaded_error', 'Overloaded'), 'provider_overloaded'],
  ])('%s', (_label, error, code) => {
    const mapped = mapAnthropicError(error, options());
    expect(mapped.code).toBe(code);
    expect(mapped.status).toBe(error.status);
    expect(mapped.provider).toBe('Claude');
    expect({ retryable: mapped.retryable, fallbackable: mapped.fallbackable }).toEqual(errorDefaults[code]);
  });

  it('an error event mid-stream (no status) keeps its type', () => {
    const overloaded = new APIError(
      undefined,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      undefined,
      new Headers(),
      'overloaded_error',
    );
    expect(mapAnthropicError(overloaded, options()).code).toBe('provider_overloaded');
    const unknown = new APIError(undefined, { type: 'error', error: { type: 'something_new', message: '?' } }, undefined, new Headers());
    expect(mapAnthropicError(unknown, options()).code).toBe('provider_unavailable');
  });

  it('reads retry-after on 429 and 529', () => {
    expect(mapAnthropicError(httpError(429, 'rate_limit_error', 'x', undefined, { 'retry-after': '12' }), options()).retryAfterMs).toBe(
      12_000,
    );
    expect(mapAnthropicError(httpError(529, 'overloaded_error', 'x', undefined, { 'retry-after': '4' }), options()).retryAfterMs).toBe(
      4_000,
    );
  });

  it('uses the API message, not the SDK JSON dump, and scrubs the key from it', () => {
    const mapped = mapAnthropicError(httpError(400, 'invalid_request_error', `x-api-key ${KEY} is malformed`), options());
    expect(mapped.message).toMatch(/^Claude rejected the request: x-api-key/);
    expect(mapped.message).not.toContain('{"type"');
    expect(JSON.stringify(mapped)).not.toContain(KEY.slice(8, 20));
  });

  it('aborts, connection failures and cut streams', () => {
    expect(mapAnthropicError(new APIUserAbortError(), options()).code).toBe('aborted');
    const refused = new APIConnectionError({
      cause: new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
    });
    expect(mapAnthropicError(refused, options()).code).toBe('network');
    const tls = new APIConnectionError({
      cause: new TypeError('fetch failed', { cause: Object.assign(new Error('cert'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }) }),
    });
    expect(mapAnthropicError(tls, options()).code).toBe('tls');
    expect(mapAnthropicError(new StreamEndedEarly(), options()).code).toBe('stream_malformed');
    expect(mapAnthropicError(new SyntaxError('Unterminated string in JSON'), options()).code).toBe('stream_malformed');
    expect(mapAnthropicError(httpError(404, 'not_found_error', 'Not Found'), options({ operation: 'models' }))).toMatchObject({
      code: 'not_found',
      field: 'baseUrl',
    });
  });
});
