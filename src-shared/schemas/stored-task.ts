import { z } from 'zod';
import { appErrorSchema } from '../errors/app-error';
import { contentPartSchema } from './chat-message';
import { candidateRefSchema } from './route-plan';

export const taskStatuses = ['queued', 'running', 'paused', 'escalated', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export const taskStatusSchema = z.enum(taskStatuses);
/** Where a background task stands; `interrupted` means the app stopped while it ran. */
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/** Statuses after which a task does nothing more on its own. */
export const finishedTaskStatuses: readonly TaskStatus[] = ['done', 'failed', 'cancelled', 'interrupted'];

/** One entry of a task's trace: what happened and when; the task runner owns the other fields. */
export const taskTraceEventSchema = z.looseObject({
  at: z.number(),
  type: z.string().min(1),
});
export type TaskTraceEvent = z.infer<typeof taskTraceEventSchema>;

export const taskInputSchema = z.object({
  agent: z.string().min(1),
  instruction: z.string(),
  attachments: z.array(contentPartSchema).default([]),
  /** Named tier (id or name) the task asks for. */
  tier: z.string().optional(),
  /** Named route id the task asks for. */
  route: z.string().optional(),
  /** Request model override: this one task goes straight to this provider and model. */
  modelOverride: candidateRefSchema.optional(),
  localOnly: z.boolean().default(false),
});
export type TaskInput = z.input<typeof taskInputSchema>;

const count = z.number().int().min(0);

/** A stored background task; `trace` is filled by `get` only, lists leave it empty. */
export const storedTaskSchema = z.object({
  id: z.string(),
  agent: z.string(),
  instruction: z.string(),
  attachments: z.array(contentPartSchema),
  tier: z.string().nullable(),
  route: z.string().nullable(),
  /** The provider and model this task asked for by name, or null when routing decides. */
  modelOverride: candidateRefSchema.nullable(),
  localOnly: z.boolean(),
  status: taskStatusSchema,
  /** Why a paused task waits, in plain words ("Waiting for Ollama to come back"). */
  pausedReason: z.string().nullable(),
  answer: z.string(),
  /** How the last run ended, in one line ("Answered by Claude after DeepSeek timed out"); null before it ends. */
  summary: z.string().nullable(),
  /** Structured output, when the agent has an output schema. */
  output: z.unknown().nullable(),
  trace: z.array(taskTraceEventSchema),
  inputTokens: count,
  outputTokens: count,
  costUsd: z.number().min(0),
  error: appErrorSchema.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type StoredTask = z.infer<typeof storedTaskSchema>;

/** Fields a status change may set alongside the status; undefined leaves a field as it is. */
export const taskStatusChangeSchema = z.object({
  status: taskStatusSchema,
  pausedReason: z.string().nullable().optional(),
  error: appErrorSchema.nullable().optional(),
  output: z.unknown().optional(),
  /** How the run ended, in one line; null clears it (a new run). */
  summary: z.string().nullable().optional(),
});
export type TaskStatusChange = z.infer<typeof taskStatusChangeSchema>;

export const taskUsageSchema = z.object({
  inputTokens: count.default(0),
  outputTokens: count.default(0),
  costUsd: z.number().min(0).default(0),
});
export type TaskUsage = z.input<typeof taskUsageSchema>;
