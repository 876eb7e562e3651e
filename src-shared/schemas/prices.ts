import { z } from 'zod';

/** Which price list the app prices calls with, shown beside "Refresh prices". */
export const priceListInfoSchema = z.object({
  /** Where the list comes from (a public URL). */
  source: z.string(),
  /** The day the list was taken, YYYY-MM-DD. */
  retrieved: z.string(),
  /** "snapshot": shipped with the app; "refreshed": downloaded by the user. */
  kind: z.enum(['snapshot', 'refreshed']),
  /** How many chat models it prices. */
  models: z.number().int().nonnegative(),
});
export type PriceListInfo = z.infer<typeof priceListInfoSchema>;
