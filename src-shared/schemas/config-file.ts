// The one configuration file format: what the app exports and imports, what its history keeps, and what
// `npm run gateway -- --config <file>` runs. The whole configuration without keys. New fields on
// connections, agents and routing travel by themselves because the parts are built from their schemas.
import { z } from 'zod';
import { agentSchema } from './agent';
import { connectionSchema, modelFactsSchema } from './connection';
import { defaultTiers, routeSchema, routingConfigSchema, routingRuleSchema, tierSchema } from './routing';
import { gatewaySettingsSchema } from './settings';

/** The format this build writes and the newest one it reads. Raise it when a field changes meaning. */
export const CONFIG_FORMAT_VERSION = 1;

// Written by hand as often as by the app, so what the app fills in by itself (rule ids, creation dates,
// base URLs and models per provider kind) may be left out, and unknown keys are typos.
export const configConnectionSchema = connectionSchema
  .extend({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Use lowercase letters, digits and -, e.g. "openai-main"'),
    name: connectionSchema.shape.name.optional(),
    baseUrl: connectionSchema.shape.baseUrl.optional(),
    defaultModel: connectionSchema.shape.defaultModel.optional(),
    /** Model ids (facts come from the built-in catalog) or full model facts. */
    models: z.array(z.union([z.string().trim().min(1), modelFactsSchema])).default([]),
    createdAt: z.string().optional(),
  })
  .strict();
export type ConfigConnection = z.infer<typeof configConnectionSchema>;

export const configRoutingSchema = routingConfigSchema
  .extend({
    rules: z.array(routingRuleSchema.extend({ id: z.string().min(1).optional() }).strict()).default([]),
    tiers: z.array(tierSchema.strict()).default(defaultTiers),
    routes: z.array(routeSchema.strict()).default([]),
  })
  .strict();

/** A Switchboard configuration file. Never holds a key. */
export const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    /** Left out in hand-written files, which are read as format 1. */
    formatVersion: z.number().int().min(1).max(CONFIG_FORMAT_VERSION).optional(),
    connections: z.array(configConnectionSchema).min(1, 'Add at least one connection'),
    /** Defaults to the first connection. */
    primaryConnectionId: z.string().nullish(),
    routing: configRoutingSchema.optional(),
    agents: z.array(agentSchema.strict()).default([]),
    gateway: z.object({ allowedOrigins: gatewaySettingsSchema.shape.allowedOrigins }).strict().optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;

/** The JSON Schema of the file, for editors and `--print-config-schema`. */
export function configFileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** The format version a parsed file claims, before anything else is read (1 when it says nothing). */
export function claimedFormatVersion(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !('formatVersion' in raw)) return 1;
  return (raw as { formatVersion: unknown }).formatVersion;
}
