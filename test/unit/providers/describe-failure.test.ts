import { describe, expect, it } from 'vitest';
import { appError } from '../../../src-shared/errors/app-error';
import { providerKinds } from '../../../src-shared/schemas/connection';
import { describeConnectionFailure } from '../../../src-main/providers/describe-failure';

describe('describeConnectionFailure', () => {
  it('wrong key', () => {
    expect(describeConnectionFailure(appError('auth_invalid', 'OpenAI rejected the API key.'), 'openai')).toBe(
      "The API key was rejected. Check it in your provider's console and paste it again.",
    );
    expect(describeConnectionFailure(appError('auth_invalid', 'No API key is saved for X. Add it in Settings.'), 'openai')).toMatch(
      /No API key is saved/,
    );
  });

  it('rate limited says when to retry', () => {
    expect(describeConnectionFailure(appError('rate_limited', 'x', { retryAfterMs: 2_100 }), 'groq')).toMatch(/retry in 3 s/);
    expect(describeConnectionFailure(appError('rate_limited', 'x'), 'groq')).toMatch(/wait a moment/);
  });

  it('cannot reach the host: local servers get their start command', () => {
    expect(describeConnectionFailure(appError('network', 'x'), 'ollama')).toBe(
      'Cannot reach Ollama (local). Is Ollama running? Start it with `ollama serve`.',
    );
    expect(describeConnectionFailure(appError('network', 'x'), 'lmstudio')).toMatch(/LM Studio's server running/);
    expect(describeConnectionFailure(appError('network', 'x'), 'openai')).toMatch(/internet connection and the base URL/);
  });

  it('a 404 on /models is a wrong base URL', () => {
    expect(describeConnectionFailure(appError('not_found', 'x', { status: 404, field: 'baseUrl' }), 'custom')).toBe(
      "Nothing answered at this URL's /models: check the base URL.",
    );
  });

  it.each([
    ['quota_exhausted', /out of credits/],
    ['permission_denied', /no access/],
    ['model_not_found', /does not know this model/],
    ['tls', /certificate/],
    ['timeout', /did not answer in time/],
    ['provider_unavailable', /server problems/],
    ['provider_overloaded', /overloaded/],
  ] as const)('%s', (code, words) => {
    expect(describeConnectionFailure(appError(code, 'x'), 'anthropic')).toMatch(words);
  });

  it('has words for every kind', () => {
    for (const kind of providerKinds) expect(describeConnectionFailure(appError('network', 'x'), kind)).toMatch(/Cannot reach/);
  });
});
