import { z } from 'zod';
import { contentPartSchema } from './chat-message';
import { conversationPinSchema, type StoredMessage } from './stored-conversation';

/** What the composer sends: text, or parts when images are attached. */
export const chatContentSchema = z.union([z.string().max(1_000_000), z.array(contentPartSchema).min(1).max(20)]);

export const chatSendInputSchema = z.object({ conversationId: z.string().min(1), content: chatContentSchema }).strict();
export const chatEditInputSchema = z
  .object({ conversationId: z.string().min(1), messageId: z.number().int().positive(), content: chatContentSchema })
  .strict();
export const chatMessageRefSchema = z.object({ conversationId: z.string().min(1), messageId: z.number().int().positive() }).strict();
export const chatRetryInputSchema = chatMessageRefSchema.extend({ connectionId: z.string().min(1) }).strict();
export const conversationRefSchema = z.object({ id: z.string().min(1) }).strict();
export const conversationRenameSchema = z
  .object({ id: z.string().min(1), title: z.string().trim().min(1, 'Give the conversation a title').max(200) })
  .strict();
export const conversationPinInputSchema = z.object({ id: z.string().min(1), pinned: conversationPinSchema.nullable() }).strict();
export const conversationCreateSchema = z.object({ localOnly: z.boolean().optional() }).strict();
export const conversationSearchSchema = z.object({ query: z.string().max(500) }).strict();

/** A backend the user can retry a failed answer on, with one click. */
export interface RetryOption {
  connectionId: string;
  connectionName: string;
}

/** A message plus what the UI can offer about it. */
export interface ChatMessageView {
  message: StoredMessage;
  /** When the answer failed: the next healthy backend for "Retry on X". */
  retryOn: RetryOption | null;
}

export interface ChatSendResult {
  userMessage: StoredMessage;
  assistantMessage: StoredMessage;
}

/** A local model being loaded before it can answer; `startedAt` in epoch milliseconds. */
export interface ModelLoadingState {
  connectionName: string;
  model: string;
  startedAt: number;
}

/** Streamed text for a message being answered, batched. */
export interface ChatDeltaEvent {
  conversationId: string;
  messageId: number;
  text: string;
  /** Set while a local model loads for this answer; null once it has loaded. */
  loading?: ModelLoadingState | null;
}
