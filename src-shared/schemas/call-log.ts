import { z } from 'zod';
import { errorCodes } from '../errors/app-error';
import { providerKindSchema } from './connection';
import { callKindSchema } from './route-plan';

export const callOutcomes = ['success', 'error', 'interrupted', 'cut', 'escalated'] as const;
export const callOutcomeSchema = z.enum(callOutcomes);
/** How one call attempt ended; `escalated` means its answer was rejected for a stronger model. */
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

/** One routing remark kept with a call: a skipped candidate, a fallback, a retry, an escalation. */
export const callReasonSchema = z.object({
  kind: z.enum(['skipped', 'fallback', 'retry', 'escalation', 'note']),
  message: z.string(),
  connectionId: z.string().optional(),
  model: z.string().optional(),
  code: z.string().optional(),
});
export type CallReason = z.infer<typeof callReasonSchema>;

const count = z.number().int().min(0);
const milliseconds = z.number().min(0);

/** What the caller records for one call attempt. Prompt and response are redacted, then capped. */
export const callLogInputSchema = z.object({
  at: z.number(),
  source: callKindSchema,
  agent: z.string().optional(),
  conversationId: z.string().optional(),
  taskId: z.string().optional(),
  /** The gateway client (named token) that made a gateway call. */
  client: z.string().optional(),
  connectionId: z.string(),
  connectionName: z.string(),
  providerKind: providerKindSchema,
  requestedModel: z.string(),
  /** The model version the provider reported. */
  modelVersion: z.string().optional(),
  /** 1-based attempt on this candidate. */
  attempt: z.number().int().min(1),
  /** 0-based position in the candidate list. */
  fallbackPosition: count,
  reasons: z.array(callReasonSchema).default([]),
  outcome: callOutcomeSchema,
  errorCode: z.enum(errorCodes).optional(),
  errorMessage: z.string().optional(),
  latencyMs: milliseconds.optional(),
  timeToFirstTokenMs: milliseconds.optional(),
  inputTokens: count.optional(),
  outputTokens: count.optional(),
  costUsd: z.number().min(0).optional(),
  prompt: z.string().default(''),
  response: z.string().default(''),
});
export type CallLogInput = z.input<typeof callLogInputSchema>;

/** A row of the Activity list: everything but the long texts, which come with previews. */
export const callLogRowSchema = z.object({
  id: z.number().int().positive(),
  at: z.number(),
  source: callKindSchema,
  agent: z.string().nullable(),
  conversationId: z.string().nullable(),
  taskId: z.string().nullable(),
  client: z.string().nullable(),
  connectionId: z.string(),
  connectionName: z.string(),
  providerKind: z.string(),
  requestedModel: z.string(),
  modelVersion: z.string().nullable(),
  attempt: z.number().int(),
  fallbackPosition: z.number().int(),
  outcome: callOutcomeSchema,
  errorCode: z.string().nullable(),
  latencyMs: z.number().nullable(),
  timeToFirstTokenMs: z.number().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  costUsd: z.number().nullable(),
  promptPreview: z.string(),
  responsePreview: z.string(),
});
export type CallLogRow = z.infer<typeof callLogRowSchema>;

/** One call with its full (capped) texts. */
export const callLogDetailSchema = callLogRowSchema.extend({
  reasons: z.array(callReasonSchema),
  errorMessage: z.string().nullable(),
  prompt: z.string(),
  response: z.string(),
  promptTruncated: z.boolean(),
  responseTruncated: z.boolean(),
});
export type CallLogDetail = z.infer<typeof callLogDetailSchema>;

/** Filters shared by the Activity list and its charts; every field narrows, none required. */
export const callLogFilterSchema = z.object({
  /** Inclusive start, ms since the epoch. */
  from: z.number().optional(),
  /** Exclusive end, ms since the epoch. */
  to: z.number().optional(),
  sources: z.array(callKindSchema).optional(),
  connectionIds: z.array(z.string()).optional(),
  /** Gateway clients (token names). */
  clients: z.array(z.string()).optional(),
  /** Matches the requested model or the reported model version. */
  models: z.array(z.string()).optional(),
  outcomes: z.array(callOutcomeSchema).optional(),
  /** Words found in the prompt, response, error message, connection, model or gateway client names. */
  text: z.string().trim().max(200).optional(),
});
export type CallLogFilter = z.infer<typeof callLogFilterSchema>;

export const callLogPageQuerySchema = callLogFilterSchema.extend({
  /** Rows older than this id (the `nextCursor` of the previous page). */
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type CallLogPageQuery = z.input<typeof callLogPageQuerySchema>;

export const callLogPageSchema = z.object({
  rows: z.array(callLogRowSchema),
  /** Pass as `beforeId` for the next (older) page; null at the end. */
  nextCursor: z.number().int().nullable(),
});
export type CallLogPage = z.infer<typeof callLogPageSchema>;

export const aggregateGroupings = ['provider', 'connection', 'model', 'modelVersion', 'none'] as const;

export const callAggregateQuerySchema = callLogFilterSchema.extend({
  bucket: z.enum(['hour', 'day']),
  /** provider kind, connection id, requested model, reported model version (else requested), or none. */
  groupBy: z.enum(aggregateGroupings),
  /** Minutes east of UTC where day buckets start (e.g. 120 for UTC+2); 0 for UTC days. */
  utcOffsetMinutes: z
    .number()
    .int()
    .min(-14 * 60)
    .max(14 * 60)
    .default(0),
});
export type CallAggregateQuery = z.input<typeof callAggregateQuerySchema>;

/** Figures for one time bucket and one group; percentiles are nearest-rank, null when no value. */
export const callAggregateSchema = z.object({
  /** Start of the bucket, ms since the epoch. */
  bucketStart: z.number(),
  /** The group's value (provider kind, connection id, model); '' for groupBy none. */
  key: z.string(),
  calls: count,
  errors: count,
  interrupted: count,
  escalations: count,
  /** errors / calls. */
  errorRate: z.number().min(0).max(1),
  latencyP50Ms: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
  timeToFirstTokenP50Ms: z.number().nullable(),
  timeToFirstTokenP95Ms: z.number().nullable(),
  inputTokens: count,
  outputTokens: count,
  costUsd: z.number().min(0),
  /** Calls with tokens but no known price: `costUsd` is then a lower bound ("at least"). */
  unpricedCalls: count.default(0),
  /** Answers whose structured output did not parse or match its schema. */
  schemaFailures: count.default(0),
  /** Answers with no text. */
  emptyAnswers: count.default(0),
});
export type CallAggregate = z.infer<typeof callAggregateSchema>;

export const connectionSpendSchema = z.object({
  connectionId: z.string(),
  costUsd: z.number().min(0),
  calls: count,
  /** Calls with tokens but no known price: the spend is at least `costUsd`. */
  unpricedCalls: count.default(0),
});
/** Month-to-date spend of one connection, for budgets. */
export type ConnectionSpend = z.infer<typeof connectionSpendSchema>;

export const callLogRetentionSchema = z.object({
  /** Drop calls older than this many days. */
  maxAgeDays: z.number().int().min(1).default(90),
  /** Keep at most this many calls. */
  maxRows: z.number().int().min(1).default(200_000),
  /** Keep the stored prompt and response texts under this many bytes, oldest dropped first. */
  maxTextBytes: z
    .number()
    .int()
    .min(1)
    .default(256 * 1024 * 1024),
});
export type CallLogRetention = z.input<typeof callLogRetentionSchema>;

export const callLogExportFormats = ['csv', 'jsonl'] as const;

/** The Activity filter plus the file format to export the matching calls in. */
export const callLogExportQuerySchema = callLogFilterSchema.extend({ format: z.enum(callLogExportFormats) });
export type CallLogExportQuery = z.infer<typeof callLogExportQuerySchema>;

/** One exported call: the row's figures plus its stored texts (empty when the log keeps none). Never a key. */
export interface CallLogExportRow {
  id: number;
  at: number;
  source: string;
  agent: string | null;
  /** The gateway client (token name) that made a gateway call; null for chat and tasks. */
  client: string | null;
  connectionId: string;
  connectionName: string;
  providerKind: string;
  requestedModel: string;
  modelVersion: string | null;
  attempt: number;
  fallbackPosition: number;
  outcome: CallOutcome;
  errorCode: string | null;
  errorMessage: string | null;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  prompt: string;
  response: string;
}

/** One gateway client's calls in a period, for the per-client figures in Settings. */
export interface ClientUsage {
  client: string;
  calls: number;
  costUsd: number;
  unpricedCalls: number;
  /** The newest call's time. */
  lastAt: number;
}

/** An export ready to save: the file's name and contents, and how many calls it holds. */
export interface CallLogExportFile {
  fileName: string;
  text: string;
  rows: number;
}
