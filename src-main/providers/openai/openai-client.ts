import OpenAI from 'openai';
import { sdkTimeoutMarginMs } from '../shared/call-scope';

export interface OpenAIClientSettings {
  baseURL: string;
  /** Null for servers that take no key: no Authorization header is sent at all. */
  apiKey: string | null;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * An `openai` client for one connection: no SDK retries (the router is the only retry loop),
 * and nothing read from OPENAI_* environment variables.
 */
export function createOpenAIClient(settings: OpenAIClientSettings): OpenAI {
  return new OpenAI({
    apiKey: settings.apiKey ?? 'no-key',
    baseURL: settings.baseURL,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: settings.timeoutMs + sdkTimeoutMarginMs,
    logLevel: 'warn',
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    ...(settings.apiKey === null ? { defaultHeaders: { Authorization: null } } : {}),
  });
}
