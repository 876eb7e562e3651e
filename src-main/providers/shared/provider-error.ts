import { appError, type AppError, type ErrorCode } from '../../../src-shared/errors/app-error';
import { providerDetail, scrubSecrets } from './scrub-secrets';

/** What a mapper knows about the call that failed; secrets are only used to scrub text. */
export interface ProviderErrorContext {
  /** The connection's display name. */
  providerName: string;
  model?: string;
  timeoutMs?: number;
  /** The API key (and anything else secret) to scrub from provider text. */
  secrets: ReadonlyArray<string | null | undefined>;
}

export interface ProviderErrorFacts {
  status?: number;
  retryAfterMs?: number;
  /** The provider's own words, scrubbed and shortened before use. */
  detail?: string | null;
  /** A system code for transport failures (ECONNREFUSED, CERT_HAS_EXPIRED). */
  transportCode?: string;
  field?: string;
  /** Overrides for the code's default retry/fallback semantics. */
  fallbackable?: boolean;
  /** Stream ended early rather than being unreadable. */
  endedEarly?: boolean;
  /** No key is saved for a provider that needs one. */
  missingKey?: boolean;
}

function seconds(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1000));
}

function sentence(name: string, code: ErrorCode, facts: ProviderErrorFacts, context: ProviderErrorContext): string {
  const model = context.model ? `"${context.model}"` : 'this model';
  const said = (fallback: string) => (facts.detail ? `: ${facts.detail}` : fallback);
  const transportCode = facts.transportCode ? ` (${facts.transportCode})` : '';
  switch (code) {
    case 'auth_invalid':
      if (facts.missingKey) return `No API key is saved for ${name}. Add it in Settings.`;
      return `${name} rejected the API key. Check the key in Settings.`;
    case 'quota_exhausted':
      return `${name} says the account is out of credits or over its quota. Add credits or raise the limit in the provider's console.`;
    case 'permission_denied':
      return `${name} refused access${said('')}. Check that your key and plan may use ${model}.`;
    case 'model_not_found':
      return `${name} does not know the model ${model}. Pick another model or check its name.`;
    case 'context_length_exceeded':
      return `The conversation is too long for ${model} on ${name}. Shorten it or use a model with a larger context window.`;
    case 'bad_request':
      return `${name} rejected the request${said('.')}`;
    case 'content_filtered':
      return `${name} declined the request under its content policy${said('.')}`;
    case 'rate_limited':
      return facts.retryAfterMs !== undefined
        ? `${name} is rate limiting requests. Retry in ${seconds(facts.retryAfterMs)} s.`
        : `${name} is rate limiting requests. Wait a moment and retry.`;
    case 'provider_overloaded':
      return `${name} is overloaded right now. Try again shortly or use another provider.`;
    case 'provider_unavailable':
      return `${name} had a server problem${facts.status ? ` (${facts.status})` : ''}. Try again shortly or use another provider.`;
    case 'timeout':
      return context.timeoutMs
        ? `${name} did not answer within ${seconds(context.timeoutMs)} s. Try again or use another provider.`
        : `${name} did not answer in time. Try again or use another provider.`;
    case 'network':
      return facts.endedEarly
        ? `The connection to ${name} dropped before the answer finished${transportCode}. Try again.`
        : `Could not reach ${name}${transportCode}. Check your internet connection and the base URL.`;
    case 'tls':
      return `The secure connection to ${name} failed${transportCode}: its certificate was not accepted. Check the base URL, or your network's proxy.`;
    case 'aborted':
      return `The request to ${name} was cancelled.`;
    case 'stream_malformed':
      return facts.endedEarly
        ? `${name}'s answer stopped before it finished. Try again.`
        : `${name} sent an answer that could not be read. Try again.`;
    case 'not_found':
      return `Nothing answered at ${name}'s models address. Check the base URL.`;
    default:
      return `${name} failed${said('.')}`;
  }
}

/** Builds the one AppError a provider failure maps to: short words, provider named, no secrets. */
export function providerError(code: ErrorCode, context: ProviderErrorContext, facts: ProviderErrorFacts = {}): AppError {
  const detail = providerDetail(facts.detail, context.secrets) ?? null;
  const name = scrubSecrets(context.providerName, context.secrets);
  const message = scrubSecrets(sentence(name, code, { ...facts, detail }, context), context.secrets);
  const extra: Partial<AppError> = { provider: name };
  if (facts.status !== undefined) extra.status = facts.status;
  if (facts.retryAfterMs !== undefined) extra.retryAfterMs = facts.retryAfterMs;
  if (facts.field !== undefined) extra.field = facts.field;
  if (facts.fallbackable !== undefined) extra.fallbackable = facts.fallbackable;
  return appError(code, message, extra);
}

/** The provider's words that say the prompt was larger than the model accepts. */
export const contextTooLongPattern =
  /context[_ ]length|context window|maximum context|prompt is too long|too many (input )?tokens|input token count.*exceeds|reduce the length|input is too long|exceeds the model'?s? (max|context)/i;

/** The provider's words that say a safety system refused the content. */
export const contentPolicyPattern =
  /content[ _]?(management )?polic|content[_ ]filter|safety (system|filter|settings)|flagged|responsible ai/i;
