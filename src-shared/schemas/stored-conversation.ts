import { z } from 'zod';
import { appErrorSchema } from '../errors/app-error';
import { answerSourceSchema, chatRoleSchema, contentPartSchema } from './chat-message';
import { claudeTierSchema } from './claude-selection';
import { providerKindSchema } from './connection';
import { candidateSourceSchema } from './route-plan';
import { taskTraceEventSchema } from './stored-task';

export const messageStatuses = ['complete', 'streaming', 'interrupted', 'cut', 'error'] as const;
export const messageStatusSchema = z.enum(messageStatuses);
/** complete; streaming (answer still arriving); interrupted (stream or app stopped); cut (max output reached); error. */
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/** The statuses an assistant message can finish with. */
export const finishedMessageStatusSchema = z.enum(['complete', 'interrupted', 'cut', 'error']);
export type FinishedMessageStatus = z.infer<typeof finishedMessageStatusSchema>;

const count = z.number().int().min(0);
const milliseconds = z.number().min(0);

/** How routing chose the backend that answered, kept with the answer for its "Why this provider?". */
export const answerRouteSchema = z.object({
  /** Why the answering backend was on the list ("Primary", "agent rule builder"), in routing's words. */
  reason: z.string().max(500),
  source: candidateSourceSchema,
  /** Backends left out before the call, each with its reason ("Claude is turned off"). */
  skipped: z
    .array(z.object({ connectionName: z.string(), model: z.string(), message: z.string().max(500) }))
    .max(20)
    .default([]),
  /** What happened during the call (attempts, errors, fallbacks, finish), each with its time. */
  trace: z.array(taskTraceEventSchema).max(60).default([]),
});
export type AnswerRoute = z.infer<typeof answerRouteSchema>;

/** Which provider and model answered, and what it cost: the answer's "Why this provider?". */
export const messageProvenanceSchema = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  providerKind: providerKindSchema,
  modelRequested: z.string(),
  /** The model version the provider reported, when it did. */
  modelVersion: z.string().optional(),
  claudeTier: claudeTierSchema.optional(),
  claudeTierReason: z.string().optional(),
  timeToFirstTokenMs: milliseconds.optional(),
  /** Time a local server spent loading the model before it could answer (counted in the first token's time). */
  modelLoadMs: milliseconds.optional(),
  totalMs: milliseconds.optional(),
  inputTokens: count.optional(),
  outputTokens: count.optional(),
  costUsd: z.number().min(0).optional(),
  /** Attempts across all candidates, this answer's included. */
  attempts: z.number().int().min(1).optional(),
  /** e.g. "Continued on OpenAI because Claude is rate-limited". */
  fallbackNote: z.string().optional(),
  /** Sources the provider cited for this answer (Perplexity citations, web-search results), numbered in order. */
  sources: z.array(answerSourceSchema).max(100).optional(),
  /** How routing chose this backend; absent on answers stored before it was kept. */
  route: answerRouteSchema.optional(),
});
export type MessageProvenance = z.infer<typeof messageProvenanceSchema>;

/** One stored chat message. `content` is its text; `parts` keeps images (base64) when it has any. */
export const storedMessageSchema = z.object({
  id: z.number().int().positive(),
  conversationId: z.string(),
  /** Increases by one per message within a conversation: the page cursor. */
  sequence: z.number().int().positive(),
  role: chatRoleSchema,
  content: z.string(),
  parts: z.array(contentPartSchema).nullable(),
  status: messageStatusSchema,
  provenance: messageProvenanceSchema.nullable(),
  error: appErrorSchema.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type StoredMessage = z.infer<typeof storedMessageSchema>;

/** What the user typed (text, or parts when images are attached). */
export const userMessageInputSchema = z.object({
  conversationId: z.string().min(1),
  content: z.union([z.string(), z.array(contentPartSchema).min(1)]),
});
export type UserMessageInput = z.infer<typeof userMessageInputSchema>;

export const finishMessageInputSchema = z.object({
  status: finishedMessageStatusSchema,
  provenance: messageProvenanceSchema.nullable().optional(),
  error: appErrorSchema.nullable().optional(),
  /** Replaces the streamed text when given (e.g. the final text of a fallback attempt). */
  content: z.string().optional(),
});
export type FinishMessageInput = z.infer<typeof finishMessageInputSchema>;

/** One page of a conversation, oldest first; `beforeSequence` of the first message fetches older ones. */
export const messagePageSchema = z.object({
  messages: z.array(storedMessageSchema),
  totalCount: count,
  hasOlder: z.boolean(),
});
export type MessagePage = z.infer<typeof messagePageSchema>;

export const messagePageQuerySchema = z.object({
  conversationId: z.string().min(1),
  /** Return messages older than this sequence; omitted for the newest page. */
  beforeSequence: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type MessagePageQuery = z.input<typeof messagePageQuerySchema>;

/** A row of the conversation list. */
/** A connection and one of its models, pinned to a conversation. */
export const conversationPinSchema = z.object({ connectionId: z.string().min(1), model: z.string().trim().min(1).max(200) }).strict();
export type ConversationPin = z.infer<typeof conversationPinSchema>;

export const conversationSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  /** Work in this conversation must never leave the machine. */
  localOnly: z.boolean(),
  /** The model the user pinned to this conversation in the chat's model picker; null: it follows the Primary. */
  pinned: conversationPinSchema.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Set while the conversation sits in the undo window after a delete. */
  deletedAt: z.number().nullable(),
  messageCount: count,
  /** The start of the last message with text, for the list. */
  preview: z.string(),
  previewRole: chatRoleSchema.nullable(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const conversationInputSchema = z.object({
  title: z.string().trim().min(1).max(200).default('New conversation'),
  localOnly: z.boolean().default(false),
});
export type ConversationInput = z.input<typeof conversationInputSchema>;

/** A search result: one per conversation, with the best matching snippet. */
export const conversationSearchHitSchema = z.object({
  conversationId: z.string(),
  title: z.string(),
  /** The matching message, or null when the title matched. */
  messageId: z.number().int().nullable(),
  snippet: z.string(),
  /** [start, end) character ranges of the snippet to highlight. */
  highlights: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
});
export type ConversationSearchHit = z.infer<typeof conversationSearchHitSchema>;
