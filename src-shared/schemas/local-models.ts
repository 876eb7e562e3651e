import { z } from 'zod';

/** A model a local server holds in memory now (Ollama `/api/ps`, LM Studio's "loaded" state). */
export const loadedModelSchema = z.object({
  name: z.string(),
  /** Bytes in memory; null when the server does not say. */
  sizeBytes: z.number().nonnegative().nullable(),
  /** When the server unloads it unless it is used again; null when it does not say. */
  expiresAt: z.string().nullable(),
});
export type LoadedModel = z.infer<typeof loadedModelSchema>;

/** One model on a local server's disk, as the model manager lists it. */
export const localModelEntrySchema = z.object({
  name: z.string(),
  sizeBytes: z.number().nonnegative().nullable(),
  family: z.string().nullable(),
  parameterSize: z.string().nullable(),
  quantization: z.string().nullable(),
  loaded: z.boolean(),
});
export type LocalModelEntry = z.infer<typeof localModelEntrySchema>;

/** What the model manager shows for one connection. */
export const localModelListSchema = z.object({
  connectionId: z.string(),
  models: z.array(localModelEntrySchema),
  /** Sum of the listed models' sizes. */
  diskBytes: z.number().nonnegative(),
  loaded: z.array(loadedModelSchema),
  /** Whether this server can pull and delete models from here (Ollama can; LM Studio cannot). */
  canManage: z.boolean(),
});
export type LocalModelList = z.infer<typeof localModelListSchema>;

/** A pull as it goes: each line of Ollama's streamed progress, then how it ended. */
export const pullProgressSchema = z.object({
  connectionId: z.string(),
  name: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** The server's own words: "pulling manifest", "pulling 6a0746a1ec1a", "verifying sha256 digest". */
  status: z.string(),
  completedBytes: z.number().nonnegative().nullable(),
  totalBytes: z.number().nonnegative().nullable(),
  /** Why a failed pull failed. */
  error: z.string().optional(),
});
export type PullProgress = z.infer<typeof pullProgressSchema>;

/** "llama3.2:3b", "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", "library/qwen2.5:7b-instruct-q4_0". */
export const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'Type a model name, such as llama3.2 or qwen2.5:7b')
  .max(300, 'A model name is at most 300 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:]*$/, 'A model name has letters, digits and . _ - / : only, such as llama3.2:3b');

export const localModelRequestSchema = z.object({ connectionId: z.string().min(1).max(100), name: modelNameSchema }).strict();
export type LocalModelRequest = z.infer<typeof localModelRequestSchema>;
