import { z } from 'zod';

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

export const capabilityNames = ['text', 'vision', 'tools', 'structuredOutput', 'reasoning'] as const;
export const capabilitySchema = z.enum(capabilityNames);
export type Capability = z.infer<typeof capabilitySchema>;

/** Facts about one model; null means "unknown", shown honestly as such. */
export const modelFactsSchema = z.object({
  id: z.string().min(1),
  capabilities: z.object({
    text: z.boolean().nullable().default(true),
    vision: z.boolean().nullable().default(null),
    tools: z.boolean().nullable().default(null),
    structuredOutput: z.boolean().nullable().default(null),
    reasoning: z.boolean().nullable().default(null),
  }),
  contextWindow: z.number().int().positive().nullable().default(null),
  /** What the user allows to be sent / generated; defaults to the provider's own limits. */
  maxInputTokens: z.number().int().positive().nullable().default(null),
  maxOutputTokens: z.number().int().positive().nullable().default(null),
  inputPricePerMillion: z.number().nonnegative().nullable().default(null),
  outputPricePerMillion: z.number().nonnegative().nullable().default(null),
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
  name: z.string().trim().min(1, 'Give the connection a name').max(60),
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
  createdAt: z.string(),
});
export type Connection = z.infer<typeof connectionSchema>;
