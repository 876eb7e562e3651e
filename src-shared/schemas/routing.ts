import { z } from 'zod';

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'Use lowercase letters, digits, - and _');

/** `default` or `agent:<name>`. */
export const ruleContextSchema = z
  .string()
  .regex(/^(default|agent:[a-z0-9_][a-z0-9_-]{0,63})$/, 'Context must be "default" or "agent:<name>"');

export const routingRuleSchema = z.object({
  id: z.string().min(1),
  context: ruleContextSchema,
  connectionId: z.string().min(1, 'Choose a backend'),
  /** Optional model on that connection; its default model otherwise. */
  model: z.string().trim().min(1).optional(),
  priority: z.number().int('Priority must be a whole number').min(0, 'Priority must be 0 or more'),
});
export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const tierEntrySchema = z.object({
  connectionId: z.string().min(1),
  model: z.string().trim().min(1),
  priority: z.number().int().min(0),
  maxInputTokens: z.number().int().positive().nullable().default(null),
  maxOutputTokens: z.number().int().positive().nullable().default(null),
});
export type TierEntry = z.infer<typeof tierEntrySchema>;

export const tierSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1).max(60),
  /** Position in the escalation ladder: higher is stronger. */
  rank: z.number().int().min(0),
  /** The capability this tier is preferred for in capability-aware routing (e.g. a "vision" tier). */
  preferredFor: z.enum(['vision', 'tools', 'structuredOutput', 'reasoning']).nullable().default(null),
  entries: z.array(tierEntrySchema).default([]),
});
export type Tier = z.infer<typeof tierSchema>;

export const routeTargetSchema = z.object({
  connectionId: z.string().min(1),
  model: z.string().trim().min(1),
});

export const routeSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1).max(60),
  description: z.string().max(500).default(''),
  version: z.number().int().min(1).default(1),
  sameProviderRetries: z.number().int().min(0).max(5).default(0),
  targets: z.array(routeTargetSchema).min(1, 'A route needs at least one target'),
});
export type Route = z.infer<typeof routeSchema>;

export const routingConfigSchema = z.object({
  rules: z.array(routingRuleSchema).default([]),
  tiers: z.array(tierSchema).default([]),
  routes: z.array(routeSchema).default([]),
  /** Retries on the same provider when nothing more specific says otherwise. */
  defaultSameProviderRetries: z.number().int().min(0).max(5).default(1),
});
export type RoutingConfig = z.infer<typeof routingConfigSchema>;

export const defaultTiers: Tier[] = [
  { id: 'standard', name: 'Standard', rank: 0, preferredFor: null, entries: [] },
  { id: 'premium', name: 'Premium', rank: 1, preferredFor: null, entries: [] },
  { id: 'enterprise', name: 'Enterprise', rank: 2, preferredFor: null, entries: [] },
];
