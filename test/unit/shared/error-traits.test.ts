import { describe, expect, it } from 'vitest';
import { appError, errorCodes, type ErrorCode } from '../../../src-shared/errors/app-error';
import { countsAgainstProvider, describeFailure, errorTraits, taskWaitsFor } from '../../../src-shared/errors/error-traits';
import { reduceHealth, initialHealth } from '../../../src-main/engine/health';
import { httpStatusFor } from '../../../src-main/gateway/gateway-errors';

const providerCodes = errorCodes.slice(0, errorCodes.indexOf('schema_mismatch') + 1);

describe('the error traits table (one row per code)', () => {
  it('has a row for every code', () => {
    expect(Object.keys(errorTraits).sort()).toEqual([...errorCodes].sort());
  });

  // DESIGN.md point 5: these fail over; bad requests and refusals would fail everywhere.
  it.each<[ErrorCode, boolean, boolean]>([
    ['network', true, true],
    ['timeout', true, true],
    ['rate_limited', true, true],
    ['provider_unavailable', true, true],
    ['provider_overloaded', true, true],
    ['auth_invalid', false, true],
    ['quota_exhausted', false, true],
    ['model_not_found', false, true],
    ['context_length_exceeded', false, true],
    ['bad_request', false, false],
    ['content_filtered', false, false],
    ['aborted', false, false],
  ])('%s: retryable %s, fallbackable %s, and appError() carries them', (code, retryable, fallbackable) => {
    expect({ retryable: errorTraits[code].retryable, fallbackable: errorTraits[code].fallbackable }).toEqual({ retryable, fallbackable });
    expect(appError(code, 'x')).toMatchObject({ retryable, fallbackable });
  });

  it.each<[ErrorCode, 'none' | 'counts' | 'red-now']>([
    ['auth_invalid', 'red-now'],
    ['quota_exhausted', 'red-now'],
    ['rate_limited', 'counts'],
    ['network', 'counts'],
    ['stream_interrupted', 'counts'],
    ['bad_request', 'none'],
    ['context_length_exceeded', 'none'],
    ['schema_mismatch', 'none'],
    ['aborted', 'none'],
  ])('%s moves the health dot: %s', (code, effect) => {
    expect(errorTraits[code].health).toBe(effect);
    expect(countsAgainstProvider(code)).toBe(effect !== 'none');
    // The health reducer asks the same row: red-now goes red on the first failure.
    const state = reduceHealth(initialHealth('c'), { type: 'failure', error: appError(code, 'x') }, 1_000);
    expect(state.color).toBe(effect === 'red-now' ? 'red' : effect === 'counts' ? 'yellow' : 'grey');
  });

  it('answers at the gateway with each row’s status', () => {
    for (const code of errorCodes) expect(httpStatusFor(appError(code, 'x'))).toBe(errorTraits[code].httpStatus);
    expect(errorTraits.rate_limited.httpStatus).toBe(429);
    expect(errorTraits.bad_request.httpStatus).toBe(400);
    expect(errorTraits.network.httpStatus).toBe(502);
  });

  it.each<[ErrorCode, boolean | 'fallbackable']>([
    ['no_candidates', true],
    ['rate_limited', 'fallbackable'],
    ['schema_mismatch', false],
    ['empty_answer', false],
    ['budget_exceeded', false],
    ['input_too_large', false],
  ])('a task ending in %s waits: %s', (code, waits) => {
    const error = appError(code, 'x');
    if (waits === 'fallbackable') {
      expect(taskWaitsFor({ ...error, fallbackable: true })).toBe(true);
      expect(taskWaitsFor({ ...error, fallbackable: false })).toBe(false);
    } else {
      expect(taskWaitsFor(error)).toBe(waits);
    }
  });

  it('gives every provider failure words for the log and the health tooltip', () => {
    for (const code of providerCodes) {
      expect(describeFailure('Claude', code)).toBe(`Claude ${errorTraits[code].label}`);
      expect(errorTraits[code].label).not.toBe('failed');
      expect(errorTraits[code].healthNoun).not.toMatch(/_/);
    }
    expect(describeFailure('Claude', 'rate_limited')).toBe('Claude is rate-limited');
  });
});
