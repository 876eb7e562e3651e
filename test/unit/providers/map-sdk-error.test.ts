import * as Anthropic from '@anthropic-ai/sdk';
import * as OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { appError, AppErrorException, type ErrorCode } from '../../../src-shared/errors/app-error';
import { mapAnthropicError } from '../../../src-main/providers/anthropic/map-anthropic-error';
import { mapOpenAIError } from '../../../src-main/providers/openai/map-openai-error';
import { DeadlineExceeded } from '../../../src-main/providers/shared/call-scope';
import { StreamEndedEarly } from '../../../src-main/providers/shared/stream-ended-early';

/**
 * The checks both SDK mappers share live in providers/shared/map-sdk-error.ts. This table holds
 * each failure that is not about a provider's status or body, thrown the way each SDK throws it,
 * and requires both mappers to read it the same way.
 */
const KEY = 'sk-test-0123456789abcdefghij';
const base = { providerName: 'Acme', model: 'm', secrets: [KEY], operation: 'chat' as const };

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
}

type Case = [label: string, openai: () => unknown, anthropic: () => unknown, code: ErrorCode, scope?: 'timedOut' | 'aborted'];

const cases: Case[] = [
  ['the call deadline passed', () => new Error('x'), () => new Error('x'), 'timeout', 'timedOut'],
  ['the caller aborted', () => new Error('x'), () => new Error('x'), 'aborted', 'aborted'],
  ['a DeadlineExceeded', () => new DeadlineExceeded(5000), () => new DeadlineExceeded(5000), 'timeout'],
  ['the SDK timed out', () => new OpenAI.APIConnectionTimeoutError(), () => new Anthropic.APIConnectionTimeoutError(), 'timeout'],
  ['the SDK saw a user abort', () => new OpenAI.APIUserAbortError(), () => new Anthropic.APIUserAbortError(), 'aborted'],
  ['a DOM AbortError', () => new DOMException('aborted', 'AbortError'), () => new DOMException('aborted', 'AbortError'), 'aborted'],
  [
    'the connection was refused',
    () => new OpenAI.APIConnectionError({ cause: refused() }),
    () => new Anthropic.APIConnectionError({ cause: refused() }),
    'network',
  ],
  ['the stream ended early', () => new StreamEndedEarly(), () => new StreamEndedEarly(), 'stream_malformed'],
  ['the stream was not JSON', () => new SyntaxError('Unexpected token'), () => new SyntaxError('Unexpected token'), 'stream_malformed'],
  ['a bare transport failure', () => refused(), () => refused(), 'network'],
  [
    'the SDK found no credentials',
    () => new OpenAI.OpenAIError('Missing credentials. Please pass an `apiKey`'),
    () => new Anthropic.AnthropicError('Could not resolve authentication method'),
    'auth_invalid',
  ],
  ['anything else', () => new TypeError('boom'), () => new TypeError('boom'), 'internal'],
];

describe('the checks shared by every SDK error mapper', () => {
  it.each(cases)('%s', (_label, openai, anthropic, code, scope) => {
    const options = {
      ...base,
      scope: { timedOut: () => scope === 'timedOut', callerAborted: () => scope === 'aborted' },
    };
    const fromOpenAI = mapOpenAIError(openai(), options);
    const fromAnthropic = mapAnthropicError(anthropic(), options);
    expect(fromOpenAI.code).toBe(code);
    expect(fromAnthropic.code).toBe(code);
    expect(fromOpenAI.message).toBe(fromAnthropic.message);
  });

  it('passes an AppError already made through unchanged', () => {
    const made = appError('quota_exhausted', 'Out of credits.');
    expect(mapOpenAIError(new AppErrorException(made), base)).toBe(made);
    expect(mapAnthropicError(new AppErrorException(made), base)).toBe(made);
  });

  it('quotes the provider only where its words say what to fix, and keeps Retry-After only for waits', () => {
    const headers = new Headers({ 'retry-after': '7' });
    const openaiRate = OpenAI.APIError.generate(429, { error: { message: 'slow down', type: 'rate_limit' } }, undefined, headers);
    const anthropicRate = Anthropic.APIError.generate(
      429,
      { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
      undefined,
      headers,
    );
    for (const mapped of [mapOpenAIError(openaiRate, base), mapAnthropicError(anthropicRate, base)]) {
      expect(mapped.code).toBe('rate_limited');
      expect(mapped.retryAfterMs).toBe(7000);
      expect(mapped.message).not.toContain('slow down');
    }
    const openaiBad = OpenAI.APIError.generate(400, { error: { message: 'roles must alternate' } }, undefined, headers);
    const anthropicBad = Anthropic.APIError.generate(
      400,
      { type: 'error', error: { type: 'invalid_request_error', message: 'roles must alternate' } },
      undefined,
      headers,
    );
    for (const mapped of [mapOpenAIError(openaiBad, base), mapAnthropicError(anthropicBad, base)]) {
      expect(mapped.code).toBe('bad_request');
      expect(mapped.retryAfterMs).toBeUndefined();
      expect(mapped.message).toContain('roles must alternate');
    }
  });
});
