import { z } from 'zod';
import { capabilitySchema } from './connection';

/** Why a candidate is in the list: which part of the routing contract put it there. */
export const candidateSources = ['override', 'route', 'tier', 'agent-rule', 'default-rule', 'primary', 'capability', 'escalation'] as const;
export const candidateSourceSchema = z.enum(candidateSources);
export type CandidateSource = z.infer<typeof candidateSourceSchema>;

/** Machine reason a candidate was left out (DESIGN.md "How a call is routed", point 3). */
export const skipReasonCodes = [
  'disconnected',
  'disabled',
  'unhealthy',
  'cooling_off',
  'over_budget',
  'missing_capability',
  'input_too_large',
  'not_local',
] as const;
export const skipReasonCodeSchema = z.enum(skipReasonCodes);
export type SkipReasonCode = z.infer<typeof skipReasonCodeSchema>;

/** One connection + model the engine will try, in order, with the words for "Why this provider?". */
export const routeCandidateSchema = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  model: z.string(),
  source: candidateSourceSchema,
  ruleId: z.string().optional(),
  tierId: z.string().optional(),
  routeId: z.string().optional(),
  /** Extra attempts on this candidate after a retryable error. */
  sameProviderRetries: z.number().int().min(0),
  /** Sent to the provider as its max output tokens. */
  maxOutputTokens: z.number().int().positive().optional(),
  /** Human words: why this candidate is in the list. */
  reason: z.string(),
  /** Caveats shown with it, e.g. "Vision support is unknown for this model". */
  notes: z.array(z.string()).default([]),
});
export type RouteCandidate = z.infer<typeof routeCandidateSchema>;

/** A candidate that was considered and left out, with its reason. */
export const skippedCandidateSchema = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  model: z.string(),
  source: candidateSourceSchema,
  ruleId: z.string().optional(),
  tierId: z.string().optional(),
  routeId: z.string().optional(),
  reason: skipReasonCodeSchema,
  /** Human words, e.g. "Claude is failing repeatedly (red)". */
  message: z.string(),
});
export type SkippedCandidate = z.infer<typeof skippedCandidateSchema>;

export const callKindSchema = z.enum(['chat', 'task', 'gateway']);
/** Where a call comes from: chat always uses Primary; tasks and gateway calls are routed. */
export type CallKind = z.infer<typeof callKindSchema>;

/** The routing decision for one call: what will be tried, what was skipped and why. */
export const routePlanSchema = z.object({
  kind: callKindSchema,
  candidates: z.array(routeCandidateSchema),
  skipped: z.array(skippedCandidateSchema),
  /** Plan-level remarks, e.g. a named route that no longer exists. */
  notes: z.array(z.string()).default([]),
  /** Set when no candidate is left: who the work is waiting for, in plain words. */
  pausedReason: z.string().optional(),
  /**
   * Set when no connection could ever take this work as set up (a prompt larger than every
   * model allows, a capability no connection has, local-only work and no local connection):
   * the reason and what to do. Such work fails at once instead of waiting.
   */
  unroutable: z.string().optional(),
  /** Connection ids whose recovery would unblock the work (resume when one turns healthy). */
  waitingFor: z.array(z.string()).default([]),
  /**
   * Candidates skipped only because they are cooling off (a Retry-After), earliest first: the
   * call waits for one only when nothing else is left and the wait fits its limits.
   */
  standby: z.array(routeCandidateSchema.extend({ availableAt: z.number() })).default([]),
});
export type RoutePlan = z.infer<typeof routePlanSchema>;
/** A candidate waiting out a cool-off, with the time it may be called again. */
export type StandbyCandidate = RoutePlan['standby'][number];

export const candidateRefSchema = z.object({
  connectionId: z.string().min(1),
  model: z.string().min(1),
});
/** A connection + model pair, the unit routing deals in. */
export type CandidateRef = z.infer<typeof candidateRefSchema>;

/** What is being routed; also what the Route preview sends to simulate a decision. */
export const routeRequestSchema = z.object({
  kind: callKindSchema,
  agent: z.string().optional(),
  /** Named tier (id or name). */
  tier: z.string().optional(),
  /** Named route id. */
  route: z.string().optional(),
  /** Request model override: go straight to this connection and model. */
  override: candidateRefSchema.optional(),
  /** The model to use whenever Primary is a candidate (the Claude model selection), with its reason. */
  primaryModel: z.object({ model: z.string().min(1), reason: z.string() }).optional(),
  needs: z.array(capabilitySchema).default([]),
  estimatedInputTokens: z.number().min(0).default(0),
  localOnly: z.boolean().default(false),
  /** Connection ids the Route preview marks as down. */
  simulateDown: z.array(z.string()).optional(),
  /** The user chose "Answer anyway this once": a connection over its monthly cap is not skipped for this call. */
  overCapOnce: z.boolean().optional(),
});
export type RouteRequest = z.infer<typeof routeRequestSchema>;

/** Money already spent, as of the decision. */
export const spendSnapshotSchema = z.object({
  /** Month-to-date USD per connection id. */
  monthToDateUsd: z.record(z.string(), z.number().nonnegative()).default({}),
  /** Cost so far of the task this call belongs to, in USD. */
  taskCostUsd: z.number().nonnegative().default(0),
});
export type SpendSnapshot = z.infer<typeof spendSnapshotSchema>;
