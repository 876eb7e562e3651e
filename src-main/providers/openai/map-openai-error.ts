import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { AppErrorException, type AppError, type ErrorCode } from '../../../src-shared/errors/app-error';
import { DeadlineExceeded } from '../shared/call-scope';
import { HttpStatusError, MalformedResponseError } from '../shared/http-json';
import { contentPolicyPattern, contextTooLongPattern, providerError, type ProviderErrorContext } from '../shared/provider-error';
import { retryAfterMs } from '../shared/retry-after';
import { StreamEndedEarly } from '../shared/stream-ended-early';
import { classifyTransportFailure } from '../shared/transport-failure';

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

export interface OpenAIErrorOptions extends ProviderErrorContext {
  operation: 'chat' | 'models';
  /** The call's own cancellation, so a deadline reads as timeout and a user abort as aborted. */
  scope?: { timedOut(): boolean; callerAborted(): boolean };
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

function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error instanceof APIUserAbortError);
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

/** Codes whose message quotes the provider's own (scrubbed) words, because they say what to fix. */
const quotedCodes: ReadonlySet<ErrorCode> = new Set(['bad_request', 'content_filtered', 'permission_denied']);
/** Codes where a Retry-After from the provider is worth passing to the router. */
const waitCodes: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'provider_overloaded', 'provider_unavailable']);

function fromStatus(details: OpenAIErrorDetails, headers: Headers | undefined, options: OpenAIErrorOptions): AppError {
  const code = options.classify?.(details) ?? classifyOpenAIStatus(details);
  return providerError(code, options, {
    status: details.status,
    retryAfterMs: waitCodes.has(code) ? retryAfterMs(headers) : undefined,
    detail: quotedCodes.has(code) ? details.message : undefined,
    // A 404 on the models address means the base URL is wrong, not a model: another provider may be fine.
    ...(code === 'not_found' ? { field: 'baseUrl', fallbackable: true } : {}),
  });
}

/**
 * Maps anything the `openai` SDK (or our own requests to an OpenAI-style server) throws to exactly
 * one AppError. Never copies headers; provider text is scrubbed of the key.
 */
export function mapOpenAIError(error: unknown, options: OpenAIErrorOptions): AppError {
  if (options.scope?.timedOut()) return providerError('timeout', options);
  if (options.scope?.callerAborted()) return providerError('aborted', options);
  if (error instanceof AppErrorException) return error.appError;
  if (error instanceof DeadlineExceeded) return providerError('timeout', options);
  if (error instanceof APIConnectionTimeoutError) return providerError('timeout', options);
  if (isAbortLike(error)) return providerError('aborted', options);
  if (error instanceof APIConnectionError) {
    const transport = classifyTransportFailure(error.cause ?? error);
    return providerError(transport?.kind ?? 'network', options, { transportCode: transport?.code });
  }
  if (error instanceof APIError) {
    const details = detailsFromBody(error.status, error.error, error.message, options.operation);
    details.code ??= error.code ?? undefined;
    details.type ??= error.type;
    return fromStatus(details, error.headers, options);
  }
  if (error instanceof HttpStatusError) {
    return fromStatus(detailsFromBody(error.status, error.body, error.message, options.operation), error.headers, options);
  }
  if (error instanceof StreamEndedEarly) return providerError('stream_malformed', options, { endedEarly: true });
  if (error instanceof SyntaxError || error instanceof MalformedResponseError) {
    return providerError('stream_malformed', options);
  }
  const transport = classifyTransportFailure(error);
  if (transport) {
    // undici reports a body cut mid-way as "terminated": the answer started, then the line dropped.
    const endedEarly = error instanceof Error && /terminated/i.test(error.message);
    return providerError(transport.kind, options, { transportCode: transport.code, endedEarly });
  }
  if (error instanceof OpenAIError && /credentials|authentication/i.test(error.message)) {
    return providerError('auth_invalid', options);
  }
  return providerError('internal', options, { detail: error instanceof Error ? error.message : String(error) });
}
