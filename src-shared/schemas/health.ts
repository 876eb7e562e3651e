import { z } from 'zod';
import { appErrorSchema } from '../errors/app-error';

export const healthColorSchema = z.enum(['grey', 'green', 'yellow', 'red']);
export type HealthColor = z.infer<typeof healthColorSchema>;

/**
 * A connection routing must not call before `until` (epoch ms): the provider's Retry-After, or
 * a limit of our own. Independent of the dot's color: a rate-limited provider is still healthy.
 */
export const coolOffSchema = z.object({
  until: z.number(),
  /** Plain words, written to follow the connection's name: "asked to wait (rate limited)". */
  reason: z.string(),
});
export type CoolOff = z.infer<typeof coolOffSchema>;

/** What the UI shows for one connection's dot and tooltip. Times are epoch milliseconds. */
export const connectionHealthSchema = z.object({
  connectionId: z.string(),
  color: healthColorSchema,
  /** Plain words: "Responding", "Invalid API key", "3 failures in a row". */
  reason: z.string(),
  lastError: appErrorSchema.nullable(),
  /** When the current color began. */
  since: z.number().nullable(),
  lastSuccessAt: z.number().nullable(),
  lastFailureAt: z.number().nullable(),
  consecutiveFailures: z.number().int().min(0),
  /** When a red connection will next be probed. */
  nextProbeAt: z.number().nullable(),
  /** Current probe back-off for a red connection, in ms. */
  cooldownMs: z.number().nullable(),
  /**
   * Half-open (DESIGN.md "Health"): a red connection whose automatic probe passed is let back in
   * on trial, shown yellow; the next real call decides between green and red again.
   */
  onTrial: z.boolean().default(false),
  /** Set while routing skips the connection until a given time (Retry-After); see coolOffSchema. */
  coolOff: coolOffSchema.nullable().default(null),
});
export type ConnectionHealth = z.infer<typeof connectionHealthSchema>;
