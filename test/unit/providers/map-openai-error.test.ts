import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { AppErrorException, errorDefaults, type AppError } from '../../../src-shared/errors/app-error';
import { classifyAzureError } from '../../../src-main/providers/azure-openai/map-azure-error';
import { mapOpenAIError, type OpenAIErrorOptions } from '../../../src-main/providers/openai/map-openai-error';
import {
  classifyGeminiError,
  classifyOpenRouterError,
  withUnwrappedErrorBodies,
} from '../../../src-main/providers/openai-compatible/map-openai-compatible-error';
import { DeadlineExceeded } from '../../../src-main/providers/shared/call-scope';
import { HttpStatusError } from '../../../src-main/providers/shared/http-json';
import { StreamEndedEarly } from '../../../src-main/providers/shared/stream-ended-early';

const KEY = 'sk-proj-AbCdEf0123456789GhIjKlMn';

function options(overrides: Partial<OpenAIErrorOptions> = {}): OpenAIErrorOptions {
  return { providerName: 'My OpenAI', model: 'gpt-4o', timeoutMs: 30_000, secrets: [KEY], operation: 'chat', ...overrides };
}

function httpError(status: number, error: Record<string, unknown> | undefined, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, error ? { error } : undefined, undefined, new Headers(headers));
}

function withCause(code: string, message = code): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

function expectDefaults(error: AppError): void {
  expect({ retryable: error.retryable, fallbackable: error.fallbackable }).toEqual(errorDefaults[error.code]);
}

describe('mapOpenAIError', () => {
  it.each<[string, APIError, AppError['code']]>([
    ['401', httpError(401, { message: 'Incorrect API key', code: 'invalid_api_key' }), 'auth_invalid'],
    ['402', httpError(402, { message: 'Insufficient Balance' }), 'quota_exhausted'],
    ['429 insufficient_quota (code)', httpError(429, { message: 'quota', code: 'insufficient_quota' }), 'quota_exhausted'],
    ['429 insufficient_quota (type)', httpError(429, { message: 'quota', type: 'insufficient_quota' }), 'quota_exhausted'],
    ['429 rate limit', httpError(429, { message: 'slow down', code: 'rate_limit_exceeded' }), 'rate_limited'],
    ['403', httpError(403, { message: 'no' }), 'permission_denied'],
    ['404 on chat', httpError(404, { message: 'no such model', code: 'model_not_found' }), 'model_not_found'],
    ['400 context code', httpError(400, { message: 'x', code: 'context_length_exceeded' }), 'context_length_exceeded'],
    ['400 context words', httpError(400, { message: 'Please reduce the length of the messages.' }), 'context_length_exceeded'],
    ['400 content filter code', httpError(400, { message: 'filtered', code: 'content_filter' }), 'content_filtered'],
    ['400 content policy words', httpError(400, { message: "triggering Azure OpenAI's content management policy" }), 'content_filtered'],
    ['400 other', httpError(400, { message: "Invalid value for 'temperature'" }), 'bad_request'],
    ['422', httpError(422, { message: 'Extra inputs are not permitted' }), 'bad_request'],
    ['413', httpError(413, { message: 'Request too large' }), 'context_length_exceeded'],
    ['500', httpError(500, { message: 'boom' }), 'provider_unavailable'],
    ['502 (no body)', httpError(502, undefined), 'provider_unavailable'],
    ['503 overloaded words', httpError(503, { message: 'The engine is currently overloaded' }), 'provider_overloaded'],
    ['504', httpError(504, undefined), 'provider_unavailable'],
    ['529', httpError(529, { message: 'Overloaded' }), 'provider_overloaded'],
  ])('%s', (_label, error, code) => {
    const mapped = mapOpenAIError(error, options());
    expect(mapped.code).toBe(code);
    expect(mapped.provider).toBe('My OpenAI');
    expect(mapped.status).toBe(error.status);
    expectDefaults(mapped);
  });

  it('reads retry-after-ms first, then retry-after seconds, then an HTTP date', () => {
    expect(mapOpenAIError(httpError(429, { message: 'x' }, { 'retry-after-ms': '1500', 'retry-after': '9' }), options()).retryAfterMs).toBe(
      1500,
    );
    expect(mapOpenAIError(httpError(429, { message: 'x' }, { 'retry-after': '7' }), options()).retryAfterMs).toBe(7000);
    const date = new Date(Date.now() + 20_000).toUTCString();
    const fromDate = mapOpenAIError(httpError(429, { message: 'x' }, { 'retry-after': date }), options()).retryAfterMs;
    expect(fromDate).toBeGreaterThan(15_000);
    expect(fromDate).toBeLessThanOrEqual(20_000);
    expect(mapOpenAIError(httpError(429, { message: 'x' }, { 'retry-after': 'soon' }), options()).retryAfterMs).toBeUndefined();
    expect(mapOpenAIError(httpError(429, { message: 'x' }), options()).message).toMatch(/Wait a moment/);
    expect(mapOpenAIError(httpError(429, { message: 'x' }, { 'retry-after': '3' }), options()).message).toMatch(/Retry in 3 s/);
  });

  it('a 404 on the models endpoint is a wrong base URL that another provider can survive', () => {
    const mapped = mapOpenAIError(httpError(404, { message: 'Invalid URL' }), options({ operation: 'models' }));
    expect(mapped).toMatchObject({ code: 'not_found', field: 'baseUrl', status: 404, fallbackable: true });
    const native = mapOpenAIError(
      new HttpStatusError(404, new Headers(), '404 page not found', 'http://x/api/tags'),
      options({ operation: 'models' }),
    );
    expect(native).toMatchObject({ code: 'not_found', field: 'baseUrl' });
  });

  it('an error event inside a stream (no status) is classified by its words', () => {
    const event = (error: Record<string, unknown>) => new APIError(undefined, error, undefined, new Headers());
    expect(mapOpenAIError(event({ message: 'Rate limit exceeded', code: 'rate_limit_exceeded' }), options()).code).toBe('rate_limited');
    expect(mapOpenAIError(event({ message: 'upstream overloaded' }), options()).code).toBe('provider_overloaded');
    expect(mapOpenAIError(event({ message: 'Internal error', code: 502 }), options()).code).toBe('provider_unavailable');
  });

  it('transport failures: certificates are tls, DNS and resets are network, connect timeouts are timeout', () => {
    const connection = (cause: Error) => new APIConnectionError({ cause });
    expect(mapOpenAIError(connection(withCause('CERT_HAS_EXPIRED')), options())).toMatchObject({ code: 'tls', retryable: false });
    expect(mapOpenAIError(connection(withCause('DEPTH_ZERO_SELF_SIGNED_CERT')), options()).code).toBe('tls');
    expect(mapOpenAIError(connection(withCause('ERR_TLS_CERT_ALTNAME_INVALID')), options()).code).toBe('tls');
    expect(mapOpenAIError(connection(withCause('ENOTFOUND')), options())).toMatchObject({ code: 'network', retryable: true });
    expect(mapOpenAIError(connection(withCause('ECONNREFUSED')), options()).message).toMatch(/ECONNREFUSED/);
    expect(mapOpenAIError(connection(withCause('UND_ERR_CONNECT_TIMEOUT')), options()).code).toBe('timeout');
    expect(mapOpenAIError(connection(new Error('mystery')), options()).code).toBe('network');
    const cut = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(mapOpenAIError(cut, options())).toMatchObject({ code: 'network' });
    expect(mapOpenAIError(cut, options()).message).toMatch(/dropped before the answer finished/);
  });

  it('the call scope decides between a user abort and our own deadline', () => {
    const abort = new APIUserAbortError();
    expect(mapOpenAIError(abort, options()).code).toBe('aborted');
    expect(mapOpenAIError(abort, options({ scope: { timedOut: () => true, callerAborted: () => false } })).code).toBe('timeout');
    expect(mapOpenAIError(new Error('anything'), options({ scope: { timedOut: () => false, callerAborted: () => true } })).code).toBe(
      'aborted',
    );
    expect(mapOpenAIError(new DeadlineExceeded(30_000), options())).toMatchObject({ code: 'timeout' });
    expect(mapOpenAIError(new DeadlineExceeded(30_000), options()).message).toMatch(/within 30 s/);
    expect(mapOpenAIError(new APIConnectionTimeoutError(), options()).code).toBe('timeout');
  });

  it('streams that end early or cannot be parsed are stream_malformed', () => {
    expect(mapOpenAIError(new StreamEndedEarly(), options()).code).toBe('stream_malformed');
    expect(mapOpenAIError(new SyntaxError('Unexpected end of JSON input'), options()).code).toBe('stream_malformed');
  });

  it('passes an AppError through and turns the unknown into internal', () => {
    const original = new AppErrorException({ code: 'empty_answer', message: 'x', retryable: false, fallbackable: true });
    expect(mapOpenAIError(original, options())).toBe(original.appError);
    expect(mapOpenAIError(new RangeError('odd'), options()).code).toBe('internal');
  });

  it('never carries the key, whole or in part, from the provider words', () => {
    const echoing = httpError(400, {
      message: `Bad header Authorization: Bearer ${KEY}; also key=${KEY.slice(0, 12)}... and sk-proj-****${KEY.slice(-10)} and api-key: zzzSECRETzzz`,
    });
    const mapped = mapOpenAIError(echoing, options());
    const text = JSON.stringify(mapped);
    expect(mapped.code).toBe('bad_request');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(0, 12));
    expect(text).not.toContain(KEY.slice(-10));
    expect(text).not.toContain('zzzSECRETzzz');
    expect(mapped.message).toMatch(/^My OpenAI rejected the request: Bad header/);
  });

  it('keeps provider detail short', () => {
    const mapped = mapOpenAIError(httpError(400, { message: 'x'.repeat(1_000) }), options());
    expect(mapped.message.length).toBeLessThan(300);
  });
});

describe('profile hooks over the OpenAI mapping', () => {
  it('Gemini: 400 "API key not valid" is a wrong key', () => {
    const error = httpError(400, { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' });
    expect(mapOpenAIError(error, options({ classify: classifyGeminiError })).code).toBe('auth_invalid');
    expect(mapOpenAIError(error, options()).code).toBe('bad_request');
  });

  it('OpenRouter: 403 from moderation is a content refusal', () => {
    const error = httpError(403, { message: 'Your chosen model requires moderation and your input was flagged', code: 403 });
    expect(mapOpenAIError(error, options({ classify: classifyOpenRouterError })).code).toBe('content_filtered');
  });

  it('Azure: DeploymentNotFound is a missing model, its content filter a refusal', () => {
    const missing = httpError(404, { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' });
    expect(mapOpenAIError(missing, options({ classify: classifyAzureError })).code).toBe('model_not_found');
    const filtered = httpError(400, { code: 'content_filter', message: 'The response was filtered' });
    expect(mapOpenAIError(filtered, options({ classify: classifyAzureError })).code).toBe('content_filtered');
  });

  it('unwraps Gemini-style array error bodies so the OpenAI SDK can read them', async () => {
    const upstream: typeof fetch = async () =>
      new Response(JSON.stringify([{ error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT' } }]), {
        status: 400,
        headers: { 'content-type': 'application/json', 'retry-after': '2' },
      });
    const response = await withUnwrappedErrorBodies(upstream)('http://example.invalid/x');
    expect(response.status).toBe(400);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({ error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT' } });
  });
});
