import { z } from 'zod';

export const claudeTiers = ['haiku', 'sonnet', 'opus'] as const;
export const claudeTierSchema = z.enum(claudeTiers);
/** Claude model size, cheapest first. */
export type ClaudeTier = z.infer<typeof claudeTierSchema>;

export const defaultClaudeModels = {
  haiku: 'claude-haiku-4-5',
  sonnet: 'claude-sonnet-4-6',
  opus: 'claude-opus-4-6',
} as const;

export const claudeModelIdsSchema = z.object({
  haiku: z.string().trim().min(1).default(defaultClaudeModels.haiku),
  sonnet: z.string().trim().min(1).default(defaultClaudeModels.sonnet),
  opus: z.string().trim().min(1).default(defaultClaudeModels.opus),
});
/** The model id behind each Claude tier. */
export type ClaudeModelIds = z.infer<typeof claudeModelIdsSchema>;

export const claudeSelectionSettingsSchema = z.object({
  /** auto: pick from the request's complexity; force: always use forcedTier. */
  mode: z.enum(['auto', 'force']).default('auto'),
  forcedTier: claudeTierSchema.optional(),
  /** Let simple requests use Haiku. */
  haikuForShortReplies: z.boolean().default(true),
  /** Chat never uses Opus; background tasks may. */
  opusOnlyForTasks: z.boolean().default(true),
  models: claudeModelIdsSchema.default({ ...defaultClaudeModels }),
});
/** "Claude model selection" settings, shown when Primary is Anthropic. */
export type ClaudeSelectionSettings = z.infer<typeof claudeSelectionSettingsSchema>;
