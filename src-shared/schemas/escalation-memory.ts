import { z } from 'zod';
import { candidateRefSchema } from './route-plan';

/** An agent's remembered preference for a stronger backend after an escalation (DESIGN.md point 7). */
export const escalationPreferenceSchema = z.object({
  agent: z.string(),
  from: candidateRefSchema,
  to: candidateRefSchema,
  /** Epoch milliseconds. */
  recordedAt: z.number(),
  /** Epoch milliseconds; the preference is ignored from then on. */
  expiresAt: z.number(),
});
export type EscalationPreference = z.infer<typeof escalationPreferenceSchema>;

/** Preferences keyed by agent name. */
export const escalationMemorySchema = z.record(z.string(), escalationPreferenceSchema);
export type EscalationMemory = z.infer<typeof escalationMemorySchema>;
