import { z } from 'zod';

/** A message main wants the user to see once (settings moved aside, keychain missing, ...). */
export const noticeSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  title: z.string(),
  detail: z.string(),
  at: z.number(),
});
export type Notice = z.infer<typeof noticeSchema>;
