import type { ErrorCode } from './app-error';

/** What an error says about the connection that raised it (DESIGN.md "Health"). */
export type HealthEffect =
  /** Would fail anywhere, or is about the answer rather than the provider: the dot does not move. */
  | 'none'
  /** A transient provider failure: yellow, then red after several in a row. */
  | 'counts'
  /** Will not fix itself on the next call (a broken key, an empty account): red at once. */
  | 'red-now';

/** What a task does when its call ends with this error (DESIGN.md point 8). */
export type TaskEnding =
  /** Pauses until a backend recovers. */
  | 'wait'
  /** Pauses when the error allows another provider at all, else fails. */
  | 'wait-if-fallbackable'
  /** Fails: waiting would not change the answer. */
  | 'fail';

/** Everything the app decides from an error code alone, in one row per code. */
export interface ErrorTraits {
  /** Trying the same provider again may succeed (DESIGN.md point 5). */
  retryable: boolean;
  /** Another provider may succeed where this one failed. */
  fallbackable: boolean;
  health: HealthEffect;
  task: TaskEnding;
  /** The status the local gateway answers with: client mistakes 4xx, backend failures 5xx. */
  httpStatus: number;
  /** Follows a provider name: "Claude is rate-limited". */
  label: string;
  /** The health dot's tooltip noun: "3 failures in a row: provider overloaded". */
  healthNoun: string;
  /** A short phrase after "Claude: " in task timelines. */
  phrase: string;
}

// Backend failures answer 502 at the gateway, so clients report them as upstream problems rather
// than as their own mistakes.
const upstream = 502;

/** The one table of error semantics: the engine, the mappers, the gateway and the UI all read it. */
export const errorTraits: Readonly<Record<ErrorCode, ErrorTraits>> = {
  auth_invalid: {
    retryable: false,
    fallbackable: true,
    health: 'red-now',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'has an invalid API key',
    healthNoun: 'Invalid API key',
    phrase: 'invalid API key',
  },
  quota_exhausted: {
    retryable: false,
    fallbackable: true,
    health: 'red-now',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'is out of credits',
    healthNoun: 'Out of credits',
    phrase: 'out of credits',
  },
  permission_denied: {
    retryable: false,
    fallbackable: true,
    health: 'counts',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'denied permission for this model',
    healthNoun: 'permission denied',
    phrase: 'permission denied for this model',
  },
  model_not_found: {
    retryable: false,
    fallbackable: true,
    health: 'none',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'does not know this model',
    healthNoun: 'model not found',
    phrase: 'model not found',
  },
  context_length_exceeded: {
    retryable: false,
    fallbackable: true,
    health: 'none',
    task: 'wait-if-fallbackable',
    httpStatus: 400,
    label: 'cannot take a prompt this long',
    healthNoun: 'context length exceeded',
    phrase: 'prompt too long for this model',
  },
  bad_request: {
    retryable: false,
    fallbackable: false,
    health: 'none',
    task: 'wait-if-fallbackable',
    httpStatus: 400,
    label: 'rejected the request as malformed',
    healthNoun: 'bad request',
    phrase: 'request rejected as malformed',
  },
  content_filtered: {
    retryable: false,
    fallbackable: false,
    health: 'none',
    task: 'wait-if-fallbackable',
    httpStatus: 400,
    label: 'refused the content',
    healthNoun: 'content filtered',
    phrase: 'content refused',
  },
  rate_limited: {
    retryable: true,
    fallbackable: true,
    health: 'counts',
    task: 'wait-if-fallbackable',
    httpStatus: 429,
    label: 'is rate-limited',
    healthNoun: 'rate limited',
    phrase: 'rate limited',
  },
  provider_overloaded: {
    retryable: true,
    fallbackable: true,
    health: 'counts',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'is overloaded',
    healthNoun: 'provider overloaded',
    phrase: 'overloaded',
  },
  provider_unavailable: {
    retryable: true,
    fallbackable: true,
    health: 'counts',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'is unavailable',
    healthNoun: 'provider unavailable',
    phrase: 'unavailable',
  },
  timeout: {
    retryable: true,
    fallbackable: true,
    health: 'counts',
    task: 'wait-if-fallbackable',
    httpStatus: 504,
    label: 'timed out',
    healthNoun: 'timed out',
    phrase: 'timed out',
  },
  network: {
    retryable: true,
    fallbackable: true,
    health: 'counts',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'could not be reached',
    healthNoun: 'cannot reach the provider',
    phrase: 'could not be reached',
  },
  tls: {
    retryable: false,
    fallbackable: true,
    health: 'counts',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'failed the secure connection',
    healthNoun: 'secure connection failed',
    phrase: 'secure connection failed',
  },
  aborted: {
    retryable: false,
    fallbackable: false,
    health: 'none',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'was cancelled',
    healthNoun: 'aborted',
    phrase: 'cancelled',
  },
  stream_malformed: {
    retryable: true,
    fallbackable: true,
    health: 'counts',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'sent a garbled response',
    healthNoun: 'garbled responses',
    phrase: 'garbled response',
  },
  stream_interrupted: {
    retryable: true,
    fallbackable: true,
    health: 'counts',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'stopped mid-answer',
    healthNoun: 'answers broke off',
    phrase: 'stopped mid-answer',
  },
  empty_answer: {
    retryable: false,
    fallbackable: true,
    health: 'none',
    task: 'fail',
    httpStatus: upstream,
    label: 'gave an empty answer',
    healthNoun: 'empty answer',
    phrase: 'empty answer',
  },
  schema_mismatch: {
    retryable: false,
    fallbackable: true,
    health: 'none',
    task: 'fail',
    httpStatus: upstream,
    label: 'gave an answer that does not fit the expected format',
    healthNoun: 'schema mismatch',
    phrase: 'the answer did not match the schema',
  },
  no_candidates: {
    retryable: false,
    fallbackable: false,
    health: 'none',
    task: 'wait',
    httpStatus: 503,
    label: 'failed',
    healthNoun: 'no candidates',
    phrase: 'no candidates',
  },
  unroutable: {
    retryable: false,
    fallbackable: false,
    health: 'none',
    task: 'fail',
    httpStatus: 400,
    label: 'cannot take this call',
    healthNoun: 'nothing can take it',
    phrase: 'nothing can take it',
  },
  local_unavailable: {
    retryable: true,
    fallbackable: false,
    health: 'none',
    task: 'wait',
    httpStatus: 503,
    label: 'has no local connection to answer',
    healthNoun: 'no local connection',
    phrase: 'no local connection can answer',
  },
  budget_exceeded: {
    retryable: false,
    fallbackable: true,
    health: 'none',
    task: 'fail',
    httpStatus: upstream,
    label: 'is over budget',
    healthNoun: 'budget exceeded',
    phrase: 'over budget',
  },
  input_too_large: {
    retryable: false,
    fallbackable: true,
    health: 'none',
    task: 'fail',
    httpStatus: 400,
    label: 'cannot take a prompt this long',
    healthNoun: 'input too large',
    phrase: 'prompt too large',
  },
  ipc_invalid_payload: appTraits('ipc invalid payload'),
  ipc_forbidden_sender: appTraits('ipc forbidden sender'),
  validation_failed: { ...appTraits('validation failed'), httpStatus: 400 },
  not_found: { ...appTraits('not found'), httpStatus: 404 },
  conflict: appTraits('conflict'),
  keychain_unavailable: appTraits('keychain unavailable'),
  settings_corrupt: appTraits('settings corrupt'),
  storage_failed: appTraits('storage failed'),
  internal: { ...appTraits('internal'), httpStatus: 500 },
};

/** The app's own failures: never retried or fallen over, never a provider's fault. */
function appTraits(words: string): ErrorTraits {
  return {
    retryable: false,
    fallbackable: false,
    health: 'none',
    task: 'wait-if-fallbackable',
    httpStatus: upstream,
    label: 'failed',
    healthNoun: words,
    phrase: words,
  };
}

/** Whether an error counts against the provider's health (the dot may turn yellow or red). */
export function countsAgainstProvider(code: ErrorCode): boolean {
  return errorTraits[code].health !== 'none';
}

/** "Claude is rate-limited": the provider name followed by what went wrong, in plain words. */
export function describeFailure(providerName: string, code: ErrorCode): string {
  return `${providerName} ${errorTraits[code].label}`;
}

/** Whether a task that ended with this error waits for a backend to recover instead of failing. */
export function taskWaitsFor(error: { code: ErrorCode; fallbackable: boolean }): boolean {
  const ending = errorTraits[error.code].task;
  return ending === 'wait' || (ending === 'wait-if-fallbackable' && error.fallbackable);
}
