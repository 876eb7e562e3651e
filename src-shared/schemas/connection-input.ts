import { z } from 'zod';
import { loadedModelSchema } from './local-models';
import { azureDeploymentSchema, connectionSchema, modelFactsSchema, providerKindSchema, providerKinds } from './connection';
import { connectionHealthSchema } from './health';
import { learnedRateLimitsSchema, rateLimitsSchema } from './rate-limits';

const kindField = z.enum(providerKinds, { error: 'Choose a provider type from the list' });
const baseUrlField = connectionSchema.shape.baseUrl;

/** What the Add provider form sends. The key goes straight to the keychain, never into settings. */
export const newConnectionInputSchema = z
  .object({
    kind: kindField,
    name: connectionSchema.shape.name,
    baseUrl: baseUrlField,
    /** Required for kinds that need one; checked in main against the provider profile. */
    apiKey: z.string().max(4096).optional(),
    defaultModel: connectionSchema.shape.defaultModel,
    azure: z
      .object({
        apiVersion: z.string().trim().min(1, 'Enter the API version, e.g. 2024-10-21'),
        deployments: z.array(azureDeploymentSchema),
      })
      .optional(),
    monthlyBudgetUsd: z.number().nonnegative().nullable().optional(),
    rateLimits: rateLimitsSchema.optional(),
    /** "Stays on my machine or network"; absent or null: guessed from the address. */
    local: z.boolean().nullable().optional(),
    /** Models found by "Find models" in the form, so the list is there without another call. */
    discoveredModels: z.array(z.string().min(1).max(200)).max(2000).optional(),
  })
  .strict();
export type NewConnectionInput = z.infer<typeof newConnectionInputSchema>;

/** An edit; a present apiKey replaces the stored one. */
export const connectionPatchSchema = z
  .object({
    id: z.string().min(1),
    name: connectionSchema.shape.name.optional(),
    baseUrl: baseUrlField.optional(),
    apiKey: z.string().max(4096).optional(),
    defaultModel: connectionSchema.shape.defaultModel.optional(),
    enabled: z.boolean().optional(),
    azure: newConnectionInputSchema.shape.azure,
    monthlyBudgetUsd: z.number().nonnegative().nullable().optional(),
    rateLimits: rateLimitsSchema.optional(),
    /** true / false: the user's word on locality; null: back to the guess from the address. */
    local: z.boolean().nullable().optional(),
  })
  .strict();
export type ConnectionPatch = z.infer<typeof connectionPatchSchema>;

export const removeConnectionInputSchema = z
  .object({
    id: z.string().min(1),
    /** Required when removing the Primary while other connections remain. */
    newPrimaryId: z.string().min(1).optional(),
  })
  .strict();

/** "Find models" before a connection is saved: the key crosses once, to main, and is not kept. */
export const discoverModelsInputSchema = z
  .object({
    kind: kindField,
    baseUrl: baseUrlField,
    apiKey: z.string().max(4096).optional(),
    azure: newConnectionInputSchema.shape.azure,
    /** When editing: use this connection's stored key if no new key is typed. */
    connectionId: z.string().min(1).optional(),
  })
  .strict();
export type DiscoverModelsInput = z.infer<typeof discoverModelsInputSchema>;

export const modelFactsPatchSchema = z
  .object({
    connectionId: z.string().min(1),
    facts: modelFactsSchema,
  })
  .strict();

/** A provider kind as the Add provider form shows it. */
export const providerProfileViewSchema = z.object({
  kind: providerKindSchema,
  displayName: z.string(),
  defaultBaseUrl: z.string(),
  keyRequired: z.boolean(),
  defaultModel: z.string().nullable(),
  docsHint: z.string(),
  /** A local model server whose models can be listed (and, for Ollama, pulled and deleted) in the app. */
  localServer: z.boolean().optional(),
});
export type ProviderProfileView = z.infer<typeof providerProfileViewSchema>;

/** A connection as the renderer sees it: never the key, only whether one is stored and its last 4. */
export const connectionViewSchema = z.object({
  connection: connectionSchema,
  isPrimary: z.boolean(),
  isLocal: z.boolean(),
  health: connectionHealthSchema,
  key: z.object({ stored: z.boolean(), hint: z.string().nullable(), required: z.boolean() }),
  /** How many routing rules, tier entries and route targets point here. */
  usedBy: z.number().int().min(0),
  /** A local server's models in memory when last asked; null when not known (a cloud provider, not asked yet). */
  loadedModels: z.array(loadedModelSchema).nullable(),
  /** What the provider's last response said about its limits; null until one did. */
  learnedRateLimits: learnedRateLimitsSchema.nullable().default(null),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export const testConnectionResultSchema = z.object({
  ok: z.boolean(),
  /** Plain words: "Connected: 12 models available" or what to fix. */
  message: z.string(),
  models: z.array(z.string()),
  health: connectionHealthSchema,
});
export type TestConnectionResult = z.infer<typeof testConnectionResultSchema>;

export const discoverModelsResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  models: z.array(z.string()),
});
export type DiscoverModelsResult = z.infer<typeof discoverModelsResultSchema>;

export const localOllamaOfferSchema = z.object({ baseUrl: z.string(), models: z.array(z.string()) });
export type LocalOllamaOffer = z.infer<typeof localOllamaOfferSchema>;
