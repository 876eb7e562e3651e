import type { Connection, ProviderKind } from '../../src-shared/schemas/connection';
import type { LearnedRateLimits } from '../../src-shared/schemas/rate-limits';
import type { ProviderAdapter } from '../engine/ports';
import { readAnthropicRateLimits } from './anthropic/rate-limit-headers';
import { localKinds } from './catalog-data';
import { readOpenAIRateLimits } from './openai/rate-limit-headers';
import { timeoutsFor, type Timeouts } from './shared/call-scope';
import { fetchPost, pooledPost, type DirectPost, type HeaderLookup } from './shared/direct-post';
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
  /** The server takes the context size per call (Ollama's num_ctx), so the app decides it. */
  sendsContextSize?: boolean;
  /** A local model server: its models, their load state and (Ollama) pulls are managed in the app. */
  localServer?: boolean;
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
    ...(profile.sendsContextSize ? { sendsContextSize: true } : {}),
    ...(localKinds.includes(profile.kind) ? { localServer: true } : {}),
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
  /** How long a local model stays loaded after a call (Ollama keep_alive), read per call. */
  keepAlive?: () => string;
  /** Told what each response's rate-limit headers say, per connection. */
  onRateLimits?: (connectionId: string, learned: LearnedRateLimits) => void;
  now?: () => number;
}

type RateLimitReader = (headers: HeaderLookup, now: number) => LearnedRateLimits | null;

/** Whose header names each kind's responses use; OpenAI's x-ratelimit-* unless listed. */
const rateLimitReaders: Partial<Record<ProviderKind, RateLimitReader>> = { anthropic: readAnthropicRateLimits };

/** A fetch that reads the rate-limit headers of every response before handing it on. */
function observingFetch(
  connection: Connection,
  base: typeof fetch,
  onRateLimits: NonNullable<ProviderAdapterOptions['onRateLimits']>,
  now: () => number,
): typeof fetch {
  const read = rateLimitReaders[connection.kind] ?? readOpenAIRateLimits;
  return async (input, init) => {
    const response = await base(input, init);
    const learned = read(response.headers, now());
    if (learned) onRateLimits(connection.id, learned);
    return response;
  };
}

/** Reads the rate-limit headers of an answer the pool received (what observingFetch does for fetch). */
function rateLimitWatcher(connection: Connection, options: ProviderAdapterOptions): ((headers: HeaderLookup) => void) | undefined {
  const onRateLimits = options.onRateLimits;
  if (!onRateLimits) return undefined;
  const read = rateLimitReaders[connection.kind] ?? readOpenAIRateLimits;
  const now = options.now ?? Date.now;
  return (headers) => {
    const learned = read(headers, now());
    if (learned) onRateLimits(connection.id, learned);
  };
}

type AdapterOptions = { timeouts: Timeouts; fetch?: typeof fetch; post?: DirectPost; keepAlive?: () => string };
type AdapterFactory = (connection: Connection, apiKey: string | null, options: AdapterOptions) => Promise<ProviderAdapter>;

// The SDKs are loaded on first use, not at start-up: together they take longer to load than the
// rest of the main process.
const compatibleFactories = Object.fromEntries(
  (Object.keys(openAICompatibleProfiles) as OpenAICompatibleKind[]).map((kind): [OpenAICompatibleKind, AdapterFactory] => [
    kind,
    async (connection, apiKey, options) =>
      (await import('./openai-compatible/openai-compatible-adapter')).createOpenAICompatibleAdapter(
        connection,
        apiKey,
        compatibleProfile(kind),
        options,
      ),
  ]),
) as Record<OpenAICompatibleKind, AdapterFactory>;

/** One factory per kind; the compiler insists every kind has one. */
const adapterFactories: Record<ProviderKind, AdapterFactory> = {
  anthropic: async (...args) => (await import('./anthropic/anthropic-adapter')).createAnthropicAdapter(...args),
  openai: async (...args) => (await import('./openai/openai-adapter')).createOpenAIAdapter(...args),
  'azure-openai': async (...args) => (await import('./azure-openai/azure-openai-adapter')).createAzureOpenAIAdapter(...args),
  ...compatibleFactories,
  // Ollama's native API carries what its OpenAI-compatible one cannot (num_ctx, keep_alive, loading).
  ollama: async (...args) => (await import('./ollama/ollama-adapter')).createOllamaAdapter(...args),
};

/** An adapter whose provider module (and SDK) loads on its first call. */
function lazyAdapter(connection: Connection, load: () => Promise<ProviderAdapter>): ProviderAdapter {
  let loaded: Promise<ProviderAdapter> | null = null;
  const adapter = () => (loaded ??= load());
  return {
    kind: connection.kind,
    connectionId: connection.id,
    listModels: async (options) => (await adapter()).listModels(options),
    probe: async (options) => (await adapter()).probe(options),
    async *stream(request, options) {
      yield* (await adapter()).stream(request, options);
    },
  };
}

/**
 * Builds the adapter for one connection. A missing key for a kind that needs one does not throw
 * here: each call then fails as auth_invalid, so the health dot and the UI can say so.
 */
export function createProviderAdapter(
  connection: Connection,
  apiKey: string | null,
  options: ProviderAdapterOptions = {},
): ProviderAdapter {
  const timeouts = timeoutsFor(options);
  const key = apiKey?.trim() ? apiKey.trim() : null;
  const fetch = options.onRateLimits
    ? observingFetch(connection, options.fetch ?? globalThis.fetch, options.onRateLimits, options.now ?? Date.now)
    : options.fetch;
  // Chat requests sent without an SDK go over the keep-alive pool, watched for rate limits as the
  // fetch is; a fetch given by the caller is used as it is.
  const post = options.fetch
    ? undefined
    : pooledPost({ onHeaders: rateLimitWatcher(connection, options), redirects: fetchPost(fetch ?? globalThis.fetch) });
  const adapterOptions: AdapterOptions = {
    timeouts,
    ...(fetch ? { fetch } : {}),
    ...(post ? { post } : {}),
    ...(options.keepAlive ? { keepAlive: options.keepAlive } : {}),
  };
  return lazyAdapter(connection, () => adapterFactories[connection.kind](connection, key, adapterOptions));
}
