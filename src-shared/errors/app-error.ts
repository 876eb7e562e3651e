import { z } from 'zod';
import { errorTraits } from './error-traits';

/** Every failure the app can report, across processes, as a stable machine-readable code. */
export const errorCodes = [
  // provider failures (mapped in src-main/providers/<kind>/map-*-error.ts)
  'auth_invalid',
  'quota_exhausted',
  'permission_denied',
  'model_not_found',
  'context_length_exceeded',
  'bad_request',
  'content_filtered',
  'rate_limited',
  'provider_overloaded',
  'provider_unavailable',
  'timeout',
  'network',
  'tls',
  'aborted',
  'stream_malformed',
  'stream_interrupted',
  'empty_answer',
  'schema_mismatch',
  // routing
  'no_candidates',
  /** No connection could ever take the call as set up (too large for every model, a capability none has, no local connection). */
  'unroutable',
  /** Local-only work that no local connection can answer now; never sent to a cloud one. */
  'local_unavailable',
  'budget_exceeded',
  'input_too_large',
  // app
  'ipc_invalid_payload',
  'ipc_forbidden_sender',
  'validation_failed',
  'not_found',
  'conflict',
  'keychain_unavailable',
  'settings_corrupt',
  'storage_failed',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** Trying the same provider again may succeed (after retryAfterMs when set). */
  retryable: z.boolean(),
  /** Another provider may succeed where this one failed. */
  fallbackable: z.boolean(),
  provider: z.string().optional(),
  status: z.number().int().optional(),
  retryAfterMs: z.number().nonnegative().optional(),
  /** The input field the error is about, for forms ("baseUrl", "rules.2.priority"). */
  field: z.string().optional(),
});

/** A serializable error: crosses IPC, lands in logs, never carries secrets. */
export type AppError = z.infer<typeof appErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: AppError): Result<T> {
  return { ok: false, error };
}

type ErrorDefaults = Pick<AppError, 'retryable' | 'fallbackable'>;

/** Retry and fallback semantics per code, as the traits table says (DESIGN.md point 5). */
export const errorDefaults: Readonly<Record<ErrorCode, ErrorDefaults>> = Object.fromEntries(
  errorCodes.map((code) => [code, { retryable: errorTraits[code].retryable, fallbackable: errorTraits[code].fallbackable }]),
) as Record<ErrorCode, ErrorDefaults>;

/** Builds an AppError with the code's default retry/fallback flags; `extra` may override them. */
export function appError(code: ErrorCode, message: string, extra: Partial<AppError> = {}): AppError {
  return { code, message, ...errorDefaults[code], ...extra };
}

/** Thrown inside the main process; converted to a plain AppError at every boundary. */
export class AppErrorException extends Error {
  readonly appError: AppError;
  constructor(error: AppError, options?: { cause?: unknown }) {
    super(error.message, options);
    this.name = 'AppErrorException';
    this.appError = error;
  }
}

export function isAppError(value: unknown): value is AppError {
  return appErrorSchema.safeParse(value).success;
}

/** Turns anything thrown into an AppError without leaking stack traces or secrets to the caller. */
export function toAppError(error: unknown, fallbackCode: ErrorCode = 'internal'): AppError {
  if (error instanceof AppErrorException) return error.appError;
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return appError(fallbackCode, message || 'Something went wrong.');
}
