import { z } from 'zod';
import { appErrorSchema, errorCodes } from '../errors/app-error';
import { answerSourceSchema, reasoningBlockSchema, toolCallSchema } from './chat-message';
import { candidateSourceSchema } from './route-plan';

export const finishReasonSchema = z.enum(['stop', 'length', 'content_filter', 'tool_calls', 'other']);

/** A candidate as named in events: enough to say "continued on X". */
export const executionTargetSchema = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  model: z.string(),
});
export type ExecutionTarget = z.infer<typeof executionTargetSchema>;

/** What executing a route plan reports, in order (noun-verb, serializable across IPC). */
export const executionEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('attempt-start'),
    connectionId: z.string(),
    connectionName: z.string(),
    model: z.string(),
    source: candidateSourceSchema,
    /** 1-based attempt on this candidate. */
    attempt: z.number().int().min(1),
    /** 0-based position among the candidates tried so far (the fallback position). */
    candidateIndex: z.number().int().min(0),
  }),
  z.object({ type: z.literal('text-delta'), text: z.string() }),
  /** A piece of a tool call: id and name first, then argument text in pieces (OpenAI's delta shape). */
  z.object({
    type: z.literal('tool-call-delta'),
    index: z.number().int().min(0),
    id: z.string().optional(),
    name: z.string().optional(),
    argumentsDelta: z.string(),
  }),
  /** Request fields the attempt's provider cannot take, so they were not sent. */
  z.object({ type: z.literal('parameters-dropped'), connectionId: z.string(), names: z.array(z.string()) }),
  /** A local server started loading the model; the latency budget waits until it is loaded. */
  z.object({
    type: z.literal('model-loading'),
    connectionId: z.string(),
    connectionName: z.string(),
    model: z.string(),
  }),
  z.object({
    type: z.literal('model-loaded'),
    connectionId: z.string(),
    model: z.string(),
    loadMs: z.number().nonnegative(),
  }),
  z.object({
    type: z.literal('response-metadata'),
    connectionId: z.string(),
    modelVersion: z.string().optional(),
  }),
  z.object({
    type: z.literal('attempt-error'),
    connectionId: z.string(),
    model: z.string(),
    attempt: z.number().int().min(1),
    error: appErrorSchema,
    willRetry: z.boolean(),
    retryInMs: z.number().nonnegative().optional(),
  }),
  z.object({
    type: z.literal('fallback'),
    from: executionTargetSchema,
    to: executionTargetSchema,
    /** Human words, e.g. "Claude is rate-limited". */
    reason: z.string(),
    code: z.enum(errorCodes),
    /** True when moving to a stronger model after an empty or malformed answer. */
    escalation: z.boolean(),
  }),
  z.object({
    /** A candidate cooling off (a Retry-After): set aside while others are tried, or waited for. */
    type: z.literal('cool-off'),
    connectionId: z.string(),
    connectionName: z.string(),
    model: z.string(),
    /** Epoch ms when it may be called again. */
    until: z.number(),
    /** Plain words for the trace: "OpenAI asked to wait (rate limited): skipped for another 30 s". */
    message: z.string(),
    /** True when nothing else is left and the call waits for it. */
    waiting: z.boolean(),
  }),
  z.object({
    type: z.literal('stream-interrupted'),
    connectionId: z.string(),
    model: z.string(),
    error: appErrorSchema,
    /** Whether work goes on with the next candidate ("continued on X because Y"). */
    continuing: z.boolean(),
  }),
  z.object({
    type: z.literal('usage'),
    connectionId: z.string(),
    model: z.string(),
    inputTokens: z.number().int().min(0),
    outputTokens: z.number().int().min(0),
    /** Of the input tokens, those read from / written to the provider's prompt cache. */
    cacheReadTokens: z.number().int().min(0).optional(),
    cacheWriteTokens: z.number().int().min(0).optional(),
    /** Absent when the model's price is unknown (shown as "—", never as $0). */
    costUsd: z.number().nonnegative().optional(),
  }),
  z.object({
    type: z.literal('finish'),
    connectionId: z.string(),
    model: z.string(),
    modelVersion: z.string().optional(),
    finishReason: finishReasonSchema,
    /** Attempts across all candidates, this one included. */
    attempts: z.number().int().min(1),
    /** An earlier candidate's stream broke after showing tokens. */
    interrupted: z.boolean(),
    /** The answer of the attempt that finished. */
    text: z.string(),
    /** The tool calls the model made (finishReason `tool_calls`). */
    toolCalls: z.array(toolCallSchema).optional(),
    /** Reasoning blocks to send back with this turn. */
    reasoning: z.array(reasoningBlockSchema).optional(),
    /** Sources the provider cites. */
    sources: z.array(answerSourceSchema).optional(),
    /** Set when this answer came from an escalation: record it in the escalation memory. */
    escalatedFrom: executionTargetSchema.optional(),
  }),
  z.object({
    type: z.literal('error'),
    error: appErrorSchema,
    attempts: z.number().int().min(0),
    interrupted: z.boolean(),
  }),
]);
export type ExecutionEvent = z.infer<typeof executionEventSchema>;
