import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { type AppError, type ErrorCode } from '../../../src-shared/errors/app-error';
import { mapAfterStatus, mapBeforeStatus, statusFailure, type SdkErrorClasses, type SdkErrorOptions } from '../shared/map-sdk-error';
import { contentPolicyPattern, contextTooLongPattern } from '../shared/provider-error';

export type AnthropicErrorOptions = SdkErrorOptions;

/** The parts of an Anthropic error body worth classifying. */
export interface AnthropicErrorDetails {
  status?: number;
  /** `error.type`: authentication_error, billing_error, overloaded_error, ... */
  type?: string;
  /** `error.details.error_code`: enforced_spend_limit_reached, organization_on_hold, ... */
  errorCode?: string;
  message: string;
  operation: 'chat' | 'models';
}

const spendLimitCodes = new Set([
  'contract_spend_limit_reached',
  'enforced_spend_limit_reached',
  'linked_organization_spend_limit_reached',
  'linked_organization_billing_unavailable',
]);

export function classifyAnthropicError(details: AnthropicErrorDetails): ErrorCode {
  const { status, type = '', errorCode = '', message } = details;
  if (type === 'billing_error' || status === 402 || spendLimitCodes.has(errorCode)) return 'quota_exhausted';
  if (/credit balance/i.test(message)) return 'quota_exhausted';
  if (type === 'authentication_error' || status === 401) return 'auth_invalid';
  if (type === 'permission_error' || status === 403 || errorCode === 'organization_on_hold') return 'permission_denied';
  if (type === 'not_found_error' || status === 404) return details.operation === 'models' ? 'not_found' : 'model_not_found';
  if (type === 'request_too_large' || status === 413) return 'context_length_exceeded';
  if (type === 'rate_limit_error' || status === 429) return 'rate_limited';
  if (type === 'overloaded_error' || status === 529) return 'provider_overloaded';
  if (type === 'api_error' || type === 'timeout_error' || (status !== undefined && status >= 500)) {
    return 'provider_unavailable';
  }
  if (type === 'invalid_request_error' || status === 400 || status === 422) {
    if (contextTooLongPattern.test(message)) return 'context_length_exceeded';
    if (contentPolicyPattern.test(message)) return 'content_filtered';
    return 'bad_request';
  }
  if (status === 408) return 'timeout';
  // A stream's error event with an unknown type: the server broke, not the request.
  if (status === undefined) return 'provider_unavailable';
  return 'bad_request';
}

function bodyMessage(error: APIError): string {
  if (error.apiMessage) return error.apiMessage;
  const body = error.error as { error?: { message?: unknown }; message?: unknown } | undefined;
  const message = body?.error?.message ?? body?.message;
  return typeof message === 'string' ? message : error.message;
}

function bodyType(error: APIError): string | undefined {
  if (error.type) return error.type;
  const body = error.error as { error?: { type?: unknown } } | undefined;
  return typeof body?.error?.type === 'string' ? body.error.type : undefined;
}

const anthropicErrors: SdkErrorClasses = {
  base: AnthropicError,
  connection: APIConnectionError,
  connectionTimeout: APIConnectionTimeoutError,
  userAbort: APIUserAbortError,
};

/**
 * Maps anything `@anthropic-ai/sdk` throws to exactly one AppError. Provider text is scrubbed of
 * the key; headers are never copied.
 */
export function mapAnthropicError(error: unknown, options: AnthropicErrorOptions): AppError {
  const early = mapBeforeStatus(error, options, anthropicErrors);
  if (early) return early;
  if (error instanceof APIError) {
    const details: AnthropicErrorDetails = {
      status: error.status,
      type: bodyType(error),
      errorCode: error.errorCode ?? undefined,
      message: bodyMessage(error),
      operation: options.operation,
    };
    return statusFailure(classifyAnthropicError(details), { ...details, headers: error.headers }, options);
  }
  return mapAfterStatus(error, options, anthropicErrors);
}
