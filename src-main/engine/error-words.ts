import type { ErrorCode } from '../../src-shared/errors/app-error';

// Short plain-words labels, written to follow a provider name: "Claude is rate-limited".
const labels: Partial<Record<ErrorCode, string>> = {
  auth_invalid: 'has an invalid API key',
  quota_exhausted: 'is out of credits',
  permission_denied: 'denied permission for this model',
  model_not_found: 'does not know this model',
  context_length_exceeded: 'cannot take a prompt this long',
  bad_request: 'rejected the request as malformed',
  content_filtered: 'refused the content',
  rate_limited: 'is rate-limited',
  provider_overloaded: 'is overloaded',
  provider_unavailable: 'is unavailable',
  timeout: 'timed out',
  network: 'could not be reached',
  tls: 'failed the secure connection',
  aborted: 'was cancelled',
  stream_malformed: 'sent a garbled response',
  stream_interrupted: 'stopped mid-answer',
  empty_answer: 'gave an empty answer',
  schema_mismatch: 'gave an answer that does not fit the expected format',
  budget_exceeded: 'is over budget',
  input_too_large: 'cannot take a prompt this long',
};

/** "Claude is rate-limited": the provider name followed by what went wrong, in plain words. */
export function describeFailure(providerName: string, code: ErrorCode): string {
  return `${providerName} ${labels[code] ?? 'failed'}`;
}

// Nouns for the health dot's tooltip: "3 failures in a row: provider overloaded".
const healthNouns: Partial<Record<ErrorCode, string>> = {
  auth_invalid: 'Invalid API key',
  quota_exhausted: 'Out of credits',
  permission_denied: 'permission denied',
  rate_limited: 'rate limited',
  provider_overloaded: 'provider overloaded',
  provider_unavailable: 'provider unavailable',
  timeout: 'timed out',
  network: 'cannot reach the provider',
  tls: 'secure connection failed',
  stream_malformed: 'garbled responses',
  stream_interrupted: 'answers broke off',
};

/** The noun phrase for a failure in the health tooltip. */
export function healthNoun(code: ErrorCode): string {
  return healthNouns[code] ?? code.replace(/_/g, ' ');
}
