import type { ProviderKind } from '../../../src-shared/schemas/connection';
import type { DiscoveredModel } from '../../engine/ports';
import type { OpenAIErrorClassifier } from '../openai/map-openai-error';
import type { OpenAIChatDialect } from '../openai/openai-request';
import { getJson, HttpStatusError, joinUrl } from '../shared/http-json';
import { classifyDeepSeekError, classifyGeminiError, classifyOllamaError, classifyOpenRouterError } from './map-openai-compatible-error';
import { listOllamaModelsWithFacts } from '../ollama/ollama-show';
import { listLmStudioModels } from './lmstudio-native';
import { listOllamaTags, ollamaRoot } from './ollama-native';

/** What a native hook may use: never the SDK, just fetch, the address, the key and the call's signal. */
export interface NativeCallContext {
  fetch: typeof fetch;
  baseUrl: string;
  apiKey: string | null;
  signal: AbortSignal;
}

/** Everything that makes one OpenAI-compatible provider different from another, as data and small hooks. */
export interface OpenAICompatibleProfile {
  kind: ProviderKind;
  displayName: string;
  defaultBaseUrl: string;
  keyRequired: boolean;
  /** A model to suggest in the Add-provider form; null when it depends on what the user runs. */
  defaultModel: string | null;
  /** Where to get a key, or how to start the server. */
  docsHint: string;
  /** What to check when nothing answers (local servers that may simply not be running). */
  unreachableHint?: string;
  /** The OpenAI SDK's baseURL for the base URL the user entered. */
  sdkBaseUrl: (baseUrl: string) => string;
  dialect: OpenAIChatDialect;
  /** Discovery without the OpenAI `GET /models` (Ollama tags, servers with no models endpoint). */
  listModels?: (context: NativeCallContext) => Promise<DiscoveredModel[]>;
  /** Token-free probe when listing models is not one. */
  probe?: (context: NativeCallContext) => Promise<void>;
  classifyError?: OpenAIErrorClassifier;
  /** The id chat requests take, from the id the models endpoint lists. */
  normalizeModelId?: (id: string) => string;
  /** The server takes the context size per call (Ollama's num_ctx through its native chat). */
  sendsContextSize?: boolean;
}

const sameUrl = (baseUrl: string) => baseUrl.trim().replace(/\/+$/, '');

const commonDialect: OpenAIChatDialect = {
  maxTokensParameter: 'max_tokens',
  json: { object: true, schema: false },
  streamUsage: true,
};

const perplexityModels = ['sonar', 'sonar-pro', 'sonar-reasoning', 'sonar-reasoning-pro', 'sonar-deep-research'];

export const openAICompatibleProfiles = {
  deepseek: {
    kind: 'deepseek',
    displayName: 'DeepSeek',
    defaultBaseUrl: 'https://api.deepseek.com',
    keyRequired: true,
    defaultModel: 'deepseek-chat',
    docsHint: 'Create a key at platform.deepseek.com → API keys.',
    sdkBaseUrl: sameUrl,
    dialect: commonDialect,
    classifyError: classifyDeepSeekError,
  },
  gemini: {
    kind: 'gemini',
    displayName: 'Google Gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    keyRequired: true,
    defaultModel: 'gemini-2.5-flash',
    docsHint: 'Create a key at aistudio.google.com → Get API key.',
    sdkBaseUrl: sameUrl,
    dialect: { ...commonDialect, json: { object: false, schema: true } },
    classifyError: classifyGeminiError,
    normalizeModelId: (id) => id.replace(/^models\//, ''),
  },
  ollama: {
    kind: 'ollama',
    displayName: 'Ollama (local)',
    defaultBaseUrl: 'http://127.0.0.1:11434',
    keyRequired: false,
    defaultModel: 'llama3.2',
    docsHint: 'Install Ollama from ollama.com, start it with `ollama serve`, then `ollama pull llama3.2`.',
    unreachableHint: 'Is Ollama running? Start it with `ollama serve`.',
    sendsContextSize: true,
    sdkBaseUrl: (baseUrl) => `${ollamaRoot(baseUrl)}/v1`,
    dialect: { ...commonDialect, json: { object: true, schema: true } },
    listModels: (context) => listOllamaModelsWithFacts(context.fetch, context.baseUrl, context.signal),
    // The health probe stays one cheap request; listing asks /api/show once per model.
    probe: async (context) => {
      await listOllamaTags(context.fetch, context.baseUrl, context.signal);
    },
    classifyError: classifyOllamaError,
  },
  openrouter: {
    kind: 'openrouter',
    displayName: 'OpenRouter',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    keyRequired: true,
    defaultModel: 'openai/gpt-4o-mini',
    docsHint: 'Create a key at openrouter.ai/keys.',
    sdkBaseUrl: sameUrl,
    dialect: { ...commonDialect, json: { object: true, schema: true } },
    classifyError: classifyOpenRouterError,
  },
  groq: {
    kind: 'groq',
    displayName: 'Groq',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    keyRequired: true,
    defaultModel: 'llama-3.3-70b-versatile',
    docsHint: 'Create a key at console.groq.com/keys.',
    sdkBaseUrl: sameUrl,
    dialect: { ...commonDialect, maxTokensParameter: 'max_completion_tokens' },
  },
  mistral: {
    kind: 'mistral',
    displayName: 'Mistral',
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    keyRequired: true,
    defaultModel: 'mistral-large-latest',
    docsHint: 'Create a key at console.mistral.ai → API keys.',
    sdkBaseUrl: sameUrl,
    // Mistral rejects unknown fields such as stream_options (and `user`; its seed is `random_seed`),
    // and sends usage on its last chunk anyway.
    dialect: { ...commonDialect, json: { object: true, schema: true }, streamUsage: false, unsupportedParameters: ['seed', 'user'] },
  },
  xai: {
    kind: 'xai',
    displayName: 'xAI Grok',
    defaultBaseUrl: 'https://api.x.ai/v1',
    keyRequired: true,
    defaultModel: 'grok-4',
    docsHint: 'Create a key at console.x.ai.',
    sdkBaseUrl: sameUrl,
    dialect: { ...commonDialect, json: { object: true, schema: true } },
  },
  perplexity: {
    kind: 'perplexity',
    displayName: 'Perplexity',
    defaultBaseUrl: 'https://api.perplexity.ai',
    keyRequired: true,
    defaultModel: 'sonar',
    docsHint: 'Create a key at perplexity.ai → Settings → API.',
    sdkBaseUrl: sameUrl,
    // Structured output only through json_schema; usage arrives on every chunk. The Sonar API
    // reference lists no seed, stop, user or tools.
    dialect: {
      ...commonDialect,
      json: { object: false, schema: true },
      streamUsage: false,
      tools: false,
      unsupportedParameters: ['seed', 'stop', 'user'],
    },
    // Perplexity publishes its models instead of listing them; /models may not exist.
    listModels: async () => perplexityModels.map((id) => ({ id })),
    probe: async (context) => {
      try {
        await getJson(context.fetch, joinUrl(context.baseUrl, '/models'), {
          signal: context.signal,
          headers: context.apiKey ? { authorization: `Bearer ${context.apiKey}` } : {},
        });
      } catch (error) {
        // Reachable and past authentication; there is just no list to read.
        if (error instanceof HttpStatusError && error.status === 404) return;
        throw error;
      }
    },
  },
  together: {
    kind: 'together',
    displayName: 'Together AI',
    defaultBaseUrl: 'https://api.together.xyz/v1',
    keyRequired: true,
    defaultModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    docsHint: 'Create a key at api.together.ai → Settings → API keys.',
    sdkBaseUrl: sameUrl,
    dialect: { ...commonDialect, streamUsage: false },
  },
  lmstudio: {
    kind: 'lmstudio',
    displayName: 'LM Studio (local)',
    defaultBaseUrl: 'http://127.0.0.1:1234/v1',
    keyRequired: false,
    defaultModel: null,
    docsHint: 'In LM Studio, load a model and start the server (Developer tab → Start Server).',
    unreachableHint: "Is LM Studio's server running? Start it in LM Studio's Developer tab.",
    sdkBaseUrl: sameUrl,
    dialect: { ...commonDialect, json: { object: false, schema: true } },
    listModels: (context) => listLmStudioModels(context.fetch, context.baseUrl, context.signal),
  },
  custom: {
    kind: 'custom',
    displayName: 'Custom (OpenAI-compatible)',
    defaultBaseUrl: 'http://127.0.0.1:8000/v1',
    keyRequired: false,
    defaultModel: null,
    docsHint: 'Any server that speaks the OpenAI chat completions API; enter its base URL ending in /v1.',
    sdkBaseUrl: sameUrl,
    dialect: commonDialect,
  },
} satisfies Record<string, OpenAICompatibleProfile>;

export type OpenAICompatibleKind = keyof typeof openAICompatibleProfiles;

export function compatibleProfile(kind: OpenAICompatibleKind): OpenAICompatibleProfile {
  return openAICompatibleProfiles[kind];
}
