import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { type AppError, type ErrorCode } from '../../../src-shared/errors/app-error';
import { HttpStatusError } from '../shared/http-json';
import { mapAfterStatus, mapBeforeStatus, statusFailure, type SdkErrorClasses, type SdkErrorOptions } from '../shared/map-sdk-error';
import { contentPolicyPattern, contextTooLongPattern } from '../shared/provider-error';

/** A provider's error reduced to the parts worth classifying. */
export interface OpenAIErrorDetails {
  status?: number;
  /** `error.code` (a string for OpenAI; Gemini puts its numeric status here). */
  code?: string;
  /** `error.type`, or Google's `error.status` (INVALID_ARGUMENT, RESOURCE_EXHAUSTED). */
  type?: string;
  message: string;
  body: unknown;
  operation: 'chat' | 'models';
}

/** A profile's hook: a more precise code for its own error shapes, or undefined for the default. */
export type OpenAIErrorClassifier = (details: OpenAIErrorDetails) => ErrorCode | undefined;

export interface OpenAIErrorOptions extends SdkErrorOptions {
  classify?: OpenAIErrorClassifier;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Reads `{error: {...}}`, a bare error object, or a plain-text body. */
function detailsFromBody(
  status: number | undefined,
  body: unknown,
  fallbackMessage: string,
  operation: 'chat' | 'models',
): OpenAIErrorDetails {
  const outer = record(Array.isArray(body) ? body[0] : body);
  const inner = record(outer?.['error']) ?? outer;
  const message = text(inner?.['message']) ?? text(outer?.['message']) ?? (typeof body === 'string' ? body : fallbackMessage);
  return {
    status,
    code: text(inner?.['code']),
    type: text(inner?.['type']) ?? text(inner?.['status']),
    message,
    body,
    operation,
  };
}

/** The default reading of an HTTP status and body, shared by OpenAI and every compatible server. */
export function classifyOpenAIStatus(details: OpenAIErrorDetails): ErrorCode {
  const { status, code = '', type = '', message } = details;
  const words = `${code} ${type} ${message}`;
  if (status === undefined) {
    // An error event inside an otherwise successful stream.
    if (/insufficient_quota/.test(words)) return 'quota_exhausted';
    if (/rate[_ ]limit/i.test(words)) return 'rate_limited';
    if (contextTooLongPattern.test(words)) return 'context_length_exceeded';
    if (contentPolicyPattern.test(words)) return 'content_filtered';
    if (/overload/i.test(words)) return 'provider_overloaded';
    return 'provider_unavailable';
  }
  if (status === 400 || status === 422) {
    if (code === 'context_length_exceeded' || contextTooLongPattern.test(message)) return 'context_length_exceeded';
    if (code === 'content_filter' || code === 'content_policy_violation' || contentPolicyPattern.test(message)) {
      return 'content_filtered';
    }
    return 'bad_request';
  }
  if (status === 401) return 'auth_invalid';
  if (status === 402) return 'quota_exhausted';
  if (status === 403) return 'permission_denied';
  if (status === 404) return details.operation === 'models' ? 'not_found' : 'model_not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'context_length_exceeded';
  if (status === 429) {
    return code === 'insufficient_quota' || type === 'insufficient_quota' ? 'quota_exhausted' : 'rate_limited';
  }
  if (status === 529) return 'provider_overloaded';
  if (status >= 500) return /overload/i.test(message) ? 'provider_overloaded' : 'provider_unavailable';
  if (status === 409) return 'provider_unavailable';
  return 'bad_request';
}

const openaiErrors: SdkErrorClasses = {
  base: OpenAIError,
  connection: APIConnectionError,
  connectionTimeout: APIConnectionTimeoutError,
  userAbort: APIUserAbortError,
};

function fromStatus(details: OpenAIErrorDetails, headers: Headers | undefined, options: OpenAIErrorOptions): AppError {
  const code = options.classify?.(details) ?? classifyOpenAIStatus(details);
  return statusFailure(code, { status: details.status, message: details.message, headers }, options);
}

/**
 * Maps anything the `openai` SDK (or our own requests to an OpenAI-style server) throws to exactly
 * one AppError. Never copies headers; provider text is scrubbed of the key.
 */
export function mapOpenAIError(error: unknown, options: OpenAIErrorOptions): AppError {
  const early = mapBeforeStatus(error, options, openaiErrors);
  if (early) return early;
  if (error instanceof APIError) {
    const details = detailsFromBody(error.status, error.error, error.message, options.operation);
    details.code ??= error.code ?? undefined;
    details.type ??= error.type;
    return fromStatus(details, error.headers, options);
  }
  if (error instanceof HttpStatusError) {
    return fromStatus(detailsFromBody(error.status, error.body, error.message, options.operation), error.headers, options);
  }
  return mapAfterStatus(error, options, openaiErrors);
}
