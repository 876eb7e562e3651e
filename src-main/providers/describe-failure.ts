import type { AppError } from '../../src-shared/errors/app-error';
import type { ProviderKind } from '../../src-shared/schemas/connection';
import { providerProfile } from './registry';

function seconds(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1000));
}

/** The words "Test connection" shows for a failed probe: what went wrong and what to do about it. */
export function describeConnectionFailure(error: AppError, kind: ProviderKind): string {
  const status = error.status ? ` (HTTP ${error.status})` : '';
  switch (error.code) {
    case 'auth_invalid':
      return /no api key/i.test(error.message)
        ? 'No API key is saved for this connection. Paste your key and test again.'
        : "The API key was rejected. Check it in your provider's console and paste it again.";
    case 'quota_exhausted':
      return "The account is out of credits or over its spending limit. Add credits or raise the limit in your provider's console.";
    case 'permission_denied':
      return "This key has no access to this model or endpoint. Check your plan and the key's permissions.";
    case 'model_not_found':
      return "The provider does not know this model. Pick one from the list or check the model's name.";
    case 'not_found':
      return "Nothing answered at this URL's /models: check the base URL.";
    case 'rate_limited':
      return error.retryAfterMs !== undefined
        ? `The provider is rate limiting this key: retry in ${seconds(error.retryAfterMs)} s.`
        : 'The provider is rate limiting this key: wait a moment and retry.';
    case 'network': {
      const hint = providerProfile(kind).unreachableHint;
      return hint
        ? `Cannot reach ${providerProfile(kind).displayName}. ${hint}`
        : 'Cannot reach the host. Check your internet connection and the base URL.';
    }
    case 'tls':
      return "The secure connection failed: the server's certificate was not accepted. Check the base URL (https or http?) and any proxy or antivirus that inspects traffic.";
    case 'timeout':
      return 'The provider did not answer in time. Check the base URL and your connection, then test again.';
    case 'provider_unavailable':
      return `The provider is having server problems${status}. Try again in a few minutes.`;
    case 'provider_overloaded':
      return 'The provider is overloaded right now. Try again in a few minutes.';
    case 'stream_malformed':
      return "The answer was not what this kind of provider sends. Check the base URL and the provider's kind.";
    case 'aborted':
      return 'The test was cancelled.';
    default:
      return error.message;
  }
}
