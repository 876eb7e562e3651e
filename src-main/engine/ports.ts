import type { AppError } from '../../src-shared/errors/app-error';
import type {
  AnswerSource,
  ChatMessage,
  ReasoningBlock,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../src-shared/schemas/chat-message';
import type { Capability, LocalModelDetails, ModelFacts, ProviderKind } from '../../src-shared/schemas/connection';

/** One call to one model on one connection, already resolved by the router. */
export interface ModelRequest {
  model: string;
  system?: string;
  messages: ChatMessage[];
  /** Sent to the provider as its max output tokens. */
  maxOutputTokens?: number;
  temperature?: number;
  responseFormat?: ResponseFormat;
  /** Tools the model may call, and whether it must. */
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** False asks for at most one tool call per turn. */
  parallelToolCalls?: boolean;
  /** Sampling and bookkeeping parameters passed on where the provider takes them. */
  parameters?: PassThroughParameters;
  /** The context the server should run the model with (Ollama's num_ctx); absent: the server decides. */
  contextTokens?: number;
}

/** OpenAI-style parameters a caller may set; an adapter names the ones its provider cannot take. */
export interface PassThroughParameters {
  topP?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  user?: string;
}

/** A piece of a tool call as it streams: id and name first, then the argument text in pieces. */
export interface ToolCallDelta {
  /** Which call of the turn (0-based), as OpenAI numbers them. */
  index: number;
  id?: string;
  name?: string;
  argumentsDelta: string;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'other';

/** What a provider stream yields, in order: metadata and text deltas, then usage and finish. */
export type ProviderStreamPart =
  | { type: 'response-metadata'; modelVersion?: string; responseId?: string }
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call-delta'; delta: ToolCallDelta }
  /** A complete reasoning block (text, signature) to hand back in the next turn. */
  | { type: 'reasoning'; block: ReasoningBlock }
  | { type: 'sources'; sources: AnswerSource[] }
  /** Request fields this provider cannot take and so were not sent (`top_p`, `seed`, reasoning blocks). */
  | { type: 'dropped'; names: string[] }
  | {
      type: 'usage';
      /** All input tokens, cached ones included. */
      inputTokens: number;
      outputTokens: number;
      /** Of the input tokens, those read from / written to the provider's prompt cache, when it says. */
      cacheReadTokens?: number;
      cacheWriteTokens?: number;
    }
  | { type: 'finish'; reason: FinishReason }
  /** A local server is loading the model into memory before it can answer. */
  | { type: 'model-loading' }
  /** The load is done; the answer starts now. */
  | { type: 'model-loaded'; loadMs: number };

export interface DiscoveredModel {
  id: string;
  displayName?: string;
  /** Facts the provider itself reports (Ollama, some OpenAI-compatible servers). */
  contextWindow?: number;
  /** Capabilities the server reports for the model; absent ones are unknown. */
  capabilities?: Partial<Record<Capability, boolean>>;
  /** Family, size and quantization from a local server. */
  local?: LocalModelDetails;
  /** Whether a local server holds the model in memory right now (LM Studio says so in its list). */
  loaded?: boolean;
}

export interface CallOptions {
  signal: AbortSignal;
}

/**
 * One provider connection, behind one interface. Every failure is thrown as an
 * AppErrorException whose AppError was mapped in the provider's own folder.
 */
export interface ProviderAdapter {
  readonly kind: ProviderKind;
  readonly connectionId: string;
  /** Lists models; token-free. */
  listModels(options: CallOptions): Promise<DiscoveredModel[]>;
  /** Cheapest call that proves the key and endpoint work; token-free. */
  probe(options: CallOptions): Promise<void>;
  /** Streams one completion. Must honour the signal promptly. */
  stream(request: ModelRequest, options: CallOptions): AsyncIterable<ProviderStreamPart>;
}

/** Time, sleep and randomness come in from outside so the engine stays deterministic in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

export type { AppError, ModelFacts };

/** Counts tokens for one piece of text; the main process plugs in a real tokenizer. */
export interface TokenCounter {
  countTokens(text: string, model?: string): number;
}

/** How one attempt ended, as far as the connection's health is concerned. */
export type AttemptOutcome =
  | { type: 'success'; latencyMs: number; firstTokenMs?: number }
  /** The provider failed: counts against its health. */
  | { type: 'failure'; error: AppError }
  /** Failed for a reason that says nothing about the provider (bad request, cancelled, ...). */
  | { type: 'neutral'; error: AppError };

/** Structured, secret-free log lines; the main process decides where they go. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}
