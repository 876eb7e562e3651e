import { z } from 'zod';
import { appErrorSchema } from '../errors/app-error';

export const healthColorSchema = z.enum(['grey', 'green', 'yellow', 'red']);
export type HealthColor = z.infer<typeof healthColorSchema>;

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
});
export type ConnectionHealth = z.infer<typeof connectionHealthSchema>;
