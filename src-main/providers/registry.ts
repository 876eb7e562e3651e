import type { Connection, ProviderKind } from '../../src-shared/schemas/connection';
import type { ProviderAdapter } from '../engine/ports';
import { createAnthropicAdapter } from './anthropic/anthropic-adapter';
import { createAzureOpenAIAdapter } from './azure-openai/azure-openai-adapter';
import { createOpenAIAdapter } from './openai/openai-adapter';
import type { Timeouts } from './shared/call-scope';
import { createOpenAICompatibleAdapter } from './openai-compatible/openai-compatible-adapter';
import {
  compatibleProfile,
  openAICompatibleProfiles,
  type OpenAICompatibleKind,
  type OpenAICompatibleProfile,
} from './openai-compatible/profiles';

/** What the Add-provider form needs to know about a kind. */
export interface ProviderProfile {
  kind: ProviderKind;
  displayName: string;
  defaultBaseUrl: string;
  keyRequired: boolean;
  /** A model to prefill; null when it depends on what the user runs locally. */
  defaultModel: string | null;
  /** Where to get a key or how to start the server, in one sentence. */
  docsHint: string;
  /** What to check when nothing answers (local servers that may not be running). */
  unreachableHint?: string;
}

const nativeProfiles: ProviderProfile[] = [
  {
    kind: 'anthropic',
    displayName: 'Anthropic Claude',
    defaultBaseUrl: 'https://api.anthropic.com',
    keyRequired: true,
    defaultModel: 'claude-sonnet-4-6',
    docsHint: 'Create a key at console.anthropic.com → API keys.',
  },
  {
    kind: 'openai',
    displayName: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com/v1',
    keyRequired: true,
    defaultModel: 'gpt-4o-mini',
    docsHint: 'Create a key at platform.openai.com/api-keys.',
  },
  {
    kind: 'azure-openai',
    displayName: 'Azure OpenAI',
    defaultBaseUrl: 'https://YOUR-RESOURCE.openai.azure.com',
    keyRequired: true,
    defaultModel: 'gpt-4o',
    docsHint:
      'In the Azure portal, open your Azure OpenAI resource → Keys and Endpoint; add each deployment with the model name you want to use for it.',
  },
];

/** Every kind the app can connect to, in the order the Add-provider form lists them. */
export const providerProfiles: readonly ProviderProfile[] = [
  ...nativeProfiles,
  ...Object.values(openAICompatibleProfiles).map((profile: OpenAICompatibleProfile): ProviderProfile => ({
    kind: profile.kind,
    displayName: profile.displayName,
    defaultBaseUrl: profile.defaultBaseUrl,
    keyRequired: profile.keyRequired,
    defaultModel: profile.defaultModel,
    docsHint: profile.docsHint,
    ...(profile.unreachableHint ? { unreachableHint: profile.unreachableHint } : {}),
  })),
];

export function providerProfile(kind: ProviderKind): ProviderProfile {
  const profile = providerProfiles.find((item) => item.kind === kind);
  if (!profile) throw new Error(`No provider profile for kind ${kind}`);
  return profile;
}

export interface ProviderAdapterOptions {
  /**
   * Longest wait for an answer to start and between two streamed chunks (default 60 s).
   * Token-free calls (list models, probe) use the smaller of this and 15 s.
   */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const defaultTimeoutMs = 60_000;
const probeTimeoutCapMs = 15_000;

type AdapterFactory = (
  connection: Connection,
  apiKey: string | null,
  options: { timeouts: Timeouts; fetch?: typeof fetch },
) => ProviderAdapter;

const compatibleFactories = Object.fromEntries(
  (Object.keys(openAICompatibleProfiles) as OpenAICompatibleKind[]).map((kind): [OpenAICompatibleKind, AdapterFactory] => [
    kind,
    (connection, apiKey, options) => createOpenAICompatibleAdapter(connection, apiKey, compatibleProfile(kind), options),
  ]),
) as Record<OpenAICompatibleKind, AdapterFactory>;

/** One factory per kind; the compiler insists every kind has one. */
const adapterFactories: Record<ProviderKind, AdapterFactory> = {
  anthropic: createAnthropicAdapter,
  openai: createOpenAIAdapter,
  'azure-openai': createAzureOpenAIAdapter,
  ...compatibleFactories,
};

/**
 * Builds the adapter for one connection. A missing key for a kind that needs one does not throw
 * here: each call then fails as auth_invalid, so the health dot and the UI can say so.
 */
export function createProviderAdapter(
  connection: Connection,
  apiKey: string | null,
  options: ProviderAdapterOptions = {},
): ProviderAdapter {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const timeouts: Timeouts = { streamIdleMs: timeoutMs, requestMs: Math.min(timeoutMs, probeTimeoutCapMs) };
  const key = apiKey?.trim() ? apiKey.trim() : null;
  return adapterFactories[connection.kind](connection, key, { timeouts, ...(options.fetch ? { fetch: options.fetch } : {}) });
}
