import { appError, type AppError } from '../../src-shared/errors/app-error';
import { errorTraits } from '../../src-shared/errors/error-traits';

/** An error the gateway answers with before (or instead of) running a call. */
export class GatewayHttpError extends Error {
  constructor(
    readonly error: AppError,
    /** Overrides the status the error code would get (401, 403, 404, 405, 413). */
    readonly status?: number,
    /** The request field the error is about, sent as the OpenAI error's `param`. */
    readonly param?: string,
  ) {
    super(error.message);
    this.name = 'GatewayHttpError';
  }
}

/** A 400 about the request body, naming the field like OpenAI does (`messages[1].content`). */
export function invalidRequest(message: string, param?: string): GatewayHttpError {
  return new GatewayHttpError(appError('validation_failed', message), 400, param);
}

/** The status a failed call answers with: the traits table's `httpStatus` for its code. */
export function httpStatusFor(error: AppError): number {
  return errorTraits[error.code].httpStatus;
}

// The `type` strings the openai SDKs and their users expect next to each status.
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** OpenAI's error body, with our AppError code as `code` so clients can tell failures apart. */
export function openAIErrorBody(error: AppError, status: number, param?: string) {
  return { error: { message: error.message, type: errorType(status), code: error.code, param: param ?? error.field ?? null } };
}

/** Retry-After in both spellings the openai SDKs read, when the error carries one. */
export function retryAfterHeaders(error: AppError): Record<string, string> {
  if (error.retryAfterMs === undefined) return {};
  return {
    'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))),
    'retry-after-ms': String(Math.ceil(error.retryAfterMs)),
  };
}

// The `type` strings Anthropic's API and SDKs use next to each status.
function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** Anthropic's error body (`{type: "error", error: {type, message}}`) for the Messages API; our code rides along. */
export function anthropicErrorBody(error: AppError, status: number) {
  return { type: 'error', error: { type: anthropicErrorType(status), message: error.message, code: error.code } };
}
