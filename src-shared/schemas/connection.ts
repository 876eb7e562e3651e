import { z } from 'zod';
import { rateLimitsSchema } from './rate-limits';
import { visibleText } from './visible-text';

export const providerKinds = [
  'anthropic',
  'openai',
  'azure-openai',
  'gemini',
  'deepseek',
  'ollama',
  'openrouter',
  'groq',
  'mistral',
  'xai',
  'perplexity',
  'together',
  'lmstudio',
  'custom',
] as const;
export const providerKindSchema = z.enum(providerKinds);
export type ProviderKind = z.infer<typeof providerKindSchema>;

/** `webSearch`: the model searches the web itself and cites what it found (Perplexity's sonar models). */
export const capabilityNames = ['text', 'vision', 'tools', 'structuredOutput', 'reasoning', 'webSearch'] as const;
export const capabilitySchema = z.enum(capabilityNames);
export type Capability = z.infer<typeof capabilitySchema>;

/** How a capability is named wherever a user reads it: route plans, lint findings, the task form. */
const capabilityWords: Record<Capability, string> = {
  text: 'text',
  vision: 'images (vision)',
  tools: 'tools',
  structuredOutput: 'structured output',
  reasoning: 'extended reasoning',
  webSearch: 'web search',
};

/** "images (vision)", for messages about what a call needs. */
export function capabilityWord(capability: Capability): string {
  return capabilityWords[capability];
}

/** What a local server says about a model it holds (Ollama `/api/show` and `/api/tags`, LM Studio's model list). */
export const localModelDetailsSchema = z.object({
  family: z.string().nullable().default(null),
  /** As the server writes it: "8.0B", "3.2B". */
  parameterSize: z.string().nullable().default(null),
  /** As the server writes it: "Q4_K_M", "4bit". */
  quantization: z.string().nullable().default(null),
  /** Bytes on disk; null when the server does not say. */
  sizeBytes: z.number().int().nonnegative().nullable().default(null),
});
export type LocalModelDetails = z.infer<typeof localModelDetailsSchema>;

/** Facts about one model; null means "unknown", shown honestly as such. */
export const modelFactsSchema = z.object({
  id: z.string().min(1),
  capabilities: z.object({
    text: z.boolean().nullable().default(true),
    vision: z.boolean().nullable().default(null),
    tools: z.boolean().nullable().default(null),
    structuredOutput: z.boolean().nullable().default(null),
    reasoning: z.boolean().nullable().default(null),
    webSearch: z.boolean().nullable().default(null),
  }),
  contextWindow: z.number().int().positive().nullable().default(null),
  /** What the user allows to be sent / generated; defaults to the provider's own limits. */
  maxInputTokens: z.number().int().positive().nullable().default(null),
  maxOutputTokens: z.number().int().positive().nullable().default(null),
  inputPricePerMillion: z.number().nonnegative().nullable().default(null),
  outputPricePerMillion: z.number().nonnegative().nullable().default(null),
  /**
   * The context a local server runs the model with (Ollama `num_ctx`), sent with every call and
   * counted by the max-input check; absent when the server decides.
   */
  runContextTokens: z.number().int().positive().optional(),
  /** Family, size and quantization as the local server reports them. */
  local: localModelDetailsSchema.optional(),
  /** Price of input tokens read from / written to the provider's prompt cache; null = priced as input. */
  cacheReadPricePerMillion: z.number().nonnegative().nullable().default(null),
  cacheWritePricePerMillion: z.number().nonnegative().nullable().default(null),
  /** The user typed the prices: they win over the price list. Otherwise the list's current prices apply. */
  pricedByUser: z.boolean().default(false),
});
export type ModelFacts = z.infer<typeof modelFactsSchema>;

export const azureDeploymentSchema = z.object({
  /** The name the user and the router see, e.g. "gpt-4o". */
  alias: z.string().min(1),
  /** The Azure deployment name. */
  deployment: z.string().min(1),
});

const httpUrl = z
  .string()
  .trim()
  .url('Enter a full URL starting with http:// or https://')
  .refine((value) => /^https?:\/\//i.test(value), 'The base URL must start with http:// or https://');

export const connectionSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  kind: providerKindSchema,
  name: visibleText(z.string().trim(), 'connection name').min(1, 'Give the connection a name').max(60),
  baseUrl: httpUrl,
  defaultModel: z.string().trim().min(1, 'Choose or type a default model'),
  enabled: z.boolean().default(true),
  models: z.array(modelFactsSchema).default([]),
  azure: z
    .object({
      apiVersion: z.string().min(1),
      deployments: z.array(azureDeploymentSchema).default([]),
    })
    .optional(),
  /** Monthly spend cap in USD; null means no cap. */
  monthlyBudgetUsd: z.number().nonnegative().nullable().default(null),
  /** Requests and tokens per minute and calls at once kept before the provider's; absent: none. */
  rateLimits: rateLimitsSchema.optional(),
  /**
   * "Stays on my machine or network": the user's word on whether work sent here leaves their
   * network. Absent: guessed from the address (loopback and private hosts are local).
   */
  local: z.boolean().optional(),
  createdAt: z.string(),
});
export type Connection = z.infer<typeof connectionSchema>;
