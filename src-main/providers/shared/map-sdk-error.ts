import { AppErrorException, type AppError, type ErrorCode } from '../../../src-shared/errors/app-error';
import { DeadlineExceeded } from './call-scope';
import { MalformedResponseError } from './http-json';
import { providerError, type ProviderErrorContext } from './provider-error';
import { retryAfterMs } from './retry-after';
import { StreamEndedEarly } from './stream-ended-early';
import { classifyTransportFailure } from './transport-failure';

/**
 * The checks every provider SDK's error mapper shares: cancellation and deadlines, transport
 * failures, broken streams, and how a classified HTTP failure becomes one AppError. Each mapper
 * (openai/map-openai-error.ts, anthropic/map-anthropic-error.ts) adds only how it reads its own
 * provider's status and body.
 */

type ErrorClass = abstract new (...args: never[]) => Error;

/** The SDK's own error classes, so the shared checks recognise them without importing either SDK. */
export interface SdkErrorClasses {
  base: ErrorClass;
  connection: ErrorClass;
  connectionTimeout: ErrorClass;
  userAbort: ErrorClass;
}

export interface SdkErrorOptions extends ProviderErrorContext {
  operation: 'chat' | 'models';
  /** The call's own cancellation, so a deadline reads as timeout and a user abort as aborted. */
  scope?: { timedOut(): boolean; callerAborted(): boolean };
}

/** Codes whose message quotes the provider's own (scrubbed) words, because they say what to fix. */
const quotedCodes: ReadonlySet<ErrorCode> = new Set(['bad_request', 'content_filtered', 'permission_denied']);
/** Codes where a Retry-After from the provider is worth passing to the router. */
const waitCodes: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'provider_overloaded', 'provider_unavailable']);

/** Cancellation, deadlines and connection failures: decided before the provider's body is read. */
export function mapBeforeStatus(error: unknown, options: SdkErrorOptions, sdk: SdkErrorClasses): AppError | undefined {
  if (options.scope?.timedOut()) return providerError('timeout', options);
  if (options.scope?.callerAborted()) return providerError('aborted', options);
  if (error instanceof AppErrorException) return error.appError;
  if (error instanceof DeadlineExceeded || error instanceof sdk.connectionTimeout) return providerError('timeout', options);
  if (error instanceof sdk.userAbort || (error instanceof Error && error.name === 'AbortError')) {
    return providerError('aborted', options);
  }
  if (error instanceof sdk.connection) {
    const transport = classifyTransportFailure(error.cause ?? error);
    return providerError(transport?.kind ?? 'network', options, { transportCode: transport?.code });
  }
  return undefined;
}

/** A classified HTTP failure as one AppError: the provider's words where they say what to fix. */
export function statusFailure(
  code: ErrorCode,
  failure: { status?: number; message: string; headers?: Headers | null },
  options: SdkErrorOptions,
): AppError {
  return providerError(code, options, {
    status: failure.status,
    retryAfterMs: waitCodes.has(code) ? retryAfterMs(failure.headers ?? undefined) : undefined,
    detail: quotedCodes.has(code) ? failure.message : undefined,
    // A 404 on the models address means the base URL is wrong, not a model: another provider may be fine.
    ...(code === 'not_found' ? { field: 'baseUrl', fallbackable: true } : {}),
  });
}

/** What is left once the status is ruled out: broken streams, dropped lines, missing credentials. */
export function mapAfterStatus(error: unknown, options: SdkErrorOptions, sdk: SdkErrorClasses): AppError {
  if (error instanceof StreamEndedEarly) return providerError('stream_malformed', options, { endedEarly: true });
  if (error instanceof SyntaxError || error instanceof MalformedResponseError) return providerError('stream_malformed', options);
  const transport = classifyTransportFailure(error);
  if (transport) {
    // undici reports a body cut mid-way as "terminated": the answer started, then the line dropped.
    const endedEarly = error instanceof Error && /terminated/i.test(error.message);
    return providerError(transport.kind, options, { transportCode: transport.code, endedEarly });
  }
  if (error instanceof sdk.base && /credentials|authentication/i.test(error.message)) {
    return providerError('auth_invalid', options);
  }
  return providerError('internal', options, { detail: error instanceof Error ? error.message : String(error) });
}
