/**
 * A loopback HTTP server that speaks the OpenAI, Gemini (OpenAI-compatible), Azure OpenAI, Anthropic and
 * Ollama wire formats well enough for the real SDK clients, with injectable faults. Shared by integration
 * tests, end-to-end tests and benchmarks, so the exported API only ever grows.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FakeOllama, type FakeOllamaControls } from './fake-ollama';

export type FaultName =
  | 'refused' // nothing listens on the port (close the listener; re-listen on the SAME port when cleared)
  | 'reset' // accept then destroy the socket with no response (ECONNRESET)
  | 'unauthorized' // 401
  | 'insufficient-quota' // OpenAI: 429 insufficient_quota; Anthropic: 402 billing_error; status 402 forces a 402 in OpenAI format (DeepSeek)
  | 'forbidden' // 403
  | 'model-not-found' // 404
  | 'context-too-long' // 400, context related
  | 'bad-request' // 400 malformed request that is NOT context related
  | 'rate-limited' // 429 with Retry-After (and retry-after-ms in OpenAI formats)
  | 'server-error' // 500
  | 'unavailable' // 503
  | 'overloaded' // 529
  | 'hang' // accept the request, never answer
  | 'slow-first-token' // headers sent, first content chunk only after delayMs (default 2000)
  | 'slow-between-chunks' // delayMs (default 500) between chunks
  | 'drop-mid-stream' // afterChunks (default 2) content chunks, then the socket is destroyed without the terminator
  | 'malformed-chunk' // a chunk that is not valid JSON mid-stream (non-stream: invalid JSON body)
  | 'empty-answer'; // a well-formed successful answer with empty text

export interface FaultOptions {
  /** Apply to the next N matching requests, then clear by itself; default until cleared. Ignored by 'refused'. */
  times?: number;
  /** Which requests it hits; default 'chat' (completions/messages/api/chat); 'models' = list endpoints. */
  on?: 'chat' | 'models' | 'all';
  retryAfterSeconds?: number;
  /** slow-*: the delay; drop-mid-stream: the pause between the last chunk and the drop (default 50). */
  delayMs?: number;
  afterChunks?: number;
  /** Override the HTTP status of a status fault. */
  status?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON, or null. */
  body: unknown;
  /** Date.now() when the request arrived. */
  at: number;
}

/**
 * A provider's documented answer replayed as-is: the JSON body for a plain request, and the
 * stream's frames (each a complete SSE event or NDJSON line) for a streamed one.
 */
export interface RecordedReply {
  json: unknown;
  stream: string[];
  /** Default text/event-stream. */
  contentType?: string;
}

/** Picks the recorded reply for a chat request, or null for the usual generated answer. */
export type RecordedReplyPicker = (request: RecordedRequest) => RecordedReply | null;

export interface FakeProviderServer {
  /** "http://127.0.0.1:<port>", no trailing slash. */
  readonly url: string;
  readonly port: number;
  setFault(name: FaultName | null, options?: FaultOptions): Promise<void>;
  /** The assistant text; streamed split into chunks of chunkSize characters. */
  setReply(reply: string | ((request: RecordedRequest) => string)): void;
  setModels(ids: string[]): void;
  /** Replays recorded answers (tool calls, citations) instead of generating text; null stops. Faults still apply. */
  setRecordedReply(picker: RecordedReplyPicker | null): void;
  /** When set, a request whose key (x-api-key, api-key or Authorization: Bearer) differs gets a 401. */
  setExpectedKey(key: string | null): void;
  /** Extra headers on every chat response (rate-limit headers such as x-ratelimit-remaining-requests); null stops. */
  setChatResponseHeaders(headers: Record<string, string> | ((request: RecordedRequest) => Record<string, string>) | null): void;
  readonly counters: { total: number; chat: number; models: number };
  readonly requests: RecordedRequest[];
  lastChatRequest(): RecordedRequest | undefined;
  /** Ollama's model endpoints (show, ps, pull, delete) and its load delay. */
  readonly ollama: FakeOllamaControls;
  /** Faults, counters, requests, reply, models and expected key back to the start options. */
  reset(): Promise<void>;
  /** Closes the server and every open socket (hanging ones too). */
  close(): Promise<void>;
}

export interface FakeProviderServerOptions {
  /** Default "Hello from the fake provider." (mentions an attached image when no reply is configured). */
  reply?: string;
  models?: string[];
  /** Default 8 characters. */
  chunkSize?: number;
  /** Default 0 (a random free port). */
  port?: number;
  /** Used in error messages. */
  name?: string;
}

/** The wire dialect a route speaks. */
export type FakeWireFormat = 'openai' | 'gemini' | 'azure' | 'anthropic' | 'ollama';

export const DEFAULT_FAKE_REPLY = 'Hello from the fake provider.';
export const DEFAULT_FAKE_MODELS: readonly string[] = [
  'gpt-4o',
  'gpt-4o-mini',
  'claude-sonnet-4-5',
  'claude-haiku-4-5',
  'gemini-2.5-flash',
  'llama3.2:3b',
];

/** The model name a response reports for a requested model: a dated version, as the real providers do. */
export function reportedModel(format: FakeWireFormat, requestedModel: string): string {
  if (format === 'ollama') return requestedModel; // Ollama echoes the request's model
  if (format === 'anthropic') return /-\d{8}$/.test(requestedModel) ? requestedModel : `${requestedModel}-20250929`;
  return /-\d{4}-\d{2}-\d{2}$/.test(requestedModel) ? requestedModel : `${requestedModel}-2024-08-06`;
}

export async function startFakeProviderServer(options: FakeProviderServerOptions = {}): Promise<FakeProviderServer> {
  const server = new FakeProviderServerImplementation(options);
  await server.start(options.port ?? 0);
  return server;
}

// ---------------------------------------------------------------------------------------------------------
// Routes and request facts

type RouteKind = 'chat' | 'models' | 'version' | 'ollama-manage' | 'unknown';
interface Route {
  kind: RouteKind;
  format: FakeWireFormat;
  deployment?: string;
}

function resolveRoute(method: string, path: string, headers: Record<string, string>): Route {
  const anthropicClient = 'anthropic-version' in headers || 'x-api-key' in headers;
  if (method === 'POST') {
    if (path === '/v1/messages') return { kind: 'chat', format: 'anthropic' };
    if (path === '/v1/chat/completions') return { kind: 'chat', format: 'openai' };
    if (path === '/v1beta/openai/chat/completions') return { kind: 'chat', format: 'gemini' };
    if (path === '/openai/v1/chat/completions') return { kind: 'chat', format: 'azure' };
    const deployment = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(path)?.[1];
    if (deployment !== undefined) return { kind: 'chat', format: 'azure', deployment: decodeURIComponent(deployment) };
    if (path === '/api/chat') return { kind: 'chat', format: 'ollama' };
    if (path === '/api/show' || path === '/api/pull') return { kind: 'ollama-manage', format: 'ollama' };
  } else if (method === 'DELETE' && path === '/api/delete') {
    return { kind: 'ollama-manage', format: 'ollama' };
  } else if (method === 'GET') {
    if (path === '/v1/models') return { kind: 'models', format: anthropicClient ? 'anthropic' : 'openai' };
    if (path === '/v1beta/openai/models') return { kind: 'models', format: 'gemini' };
    if (path === '/openai/models' || path === '/openai/v1/models') return { kind: 'models', format: 'azure' };
    if (path === '/api/tags') return { kind: 'models', format: 'ollama' };
    if (path === '/api/version') return { kind: 'version', format: 'ollama' };
    if (path === '/api/ps') return { kind: 'ollama-manage', format: 'ollama' };
  }
  return { kind: 'unknown', format: anthropicClient ? 'anthropic' : 'openai' };
}

interface PromptFacts {
  model: string | undefined;
  text: string;
  hasImage: boolean;
  maxTokens: number | undefined;
  stream: boolean;
  includeUsage: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectContent(content: unknown, texts: string[], facts: { hasImage: boolean }): void {
  if (typeof content === 'string') {
    texts.push(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (typeof part['text'] === 'string') texts.push(part['text']);
    if (part['type'] === 'image_url' || part['type'] === 'image' || part['type'] === 'input_image') facts.hasImage = true;
    if (part['type'] === 'tool_result') collectContent(part['content'], texts, facts);
  }
}

function readPrompt(format: FakeWireFormat, body: Record<string, unknown>, route: Route): PromptFacts {
  const texts: string[] = [];
  const imageFlag = { hasImage: false };
  if (format === 'anthropic') collectContent(body['system'], texts, imageFlag);
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  for (const message of messages) {
    if (!isRecord(message)) continue;
    collectContent(message['content'], texts, imageFlag);
    if (Array.isArray(message['images']) && message['images'].length > 0) imageFlag.hasImage = true;
  }
  const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  const options = isRecord(body['options']) ? body['options'] : {};
  const streamOptions = isRecord(body['stream_options']) ? body['stream_options'] : {};
  const maxTokens =
    format === 'anthropic'
      ? number(body['max_tokens'])
      : format === 'ollama'
        ? number(options['num_predict'])
        : (number(body['max_completion_tokens']) ?? number(body['max_tokens']));
  return {
    model: typeof body['model'] === 'string' ? body['model'] : route.deployment,
    text: texts.join('\n'),
    hasImage: imageFlag.hasImage,
    maxTokens: maxTokens !== undefined && maxTokens >= 0 ? maxTokens : undefined,
    stream: format === 'ollama' ? body['stream'] !== false : body['stream'] === true,
    includeUsage: streamOptions['include_usage'] === true,
  };
}

/** A 400 the real provider would send for this body, or null when the body is acceptable. */
function validateChatBody(format: FakeWireFormat, body: unknown, route: Route): ErrorDetail | null {
  if (!isRecord(body)) {
    if (format === 'anthropic') return { message: 'There was an error parsing the body of your request.' };
    if (format === 'ollama') return { message: 'invalid character in request body' };
    return {
      message:
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      param: null,
      code: null,
    };
  }
  const missing = (field: string): ErrorDetail =>
    format === 'anthropic'
      ? { message: `${field}: Field required` }
      : format === 'ollama'
        ? { message: `${field} is required` }
        : { message: `Missing required parameter: '${field}'.`, param: field, code: 'missing_required_parameter' };
  if (typeof body['model'] !== 'string' && route.deployment === undefined) return missing('model');
  if (format === 'ollama') return null;
  if (!Array.isArray(body['messages'])) return missing('messages');
  if (format === 'anthropic' && typeof body['max_tokens'] !== 'number') return missing('max_tokens');
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Answers

interface Answer {
  model: string;
  text: string;
  truncated: boolean;
  inputTokens: number;
  outputTokens: number;
}

function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** Cuts to the first `maxWords` whitespace-separated words, the fake's stand-in for an output token limit. */
function cutToWords(text: string, maxWords: number | undefined): { text: string; truncated: boolean } {
  if (maxWords === undefined) return { text, truncated: false };
  const pattern = /\S+/g;
  let count = 0;
  let end = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (count === maxWords) return { text: text.slice(0, end), truncated: true };
    count += 1;
    end = match.index + match[0].length;
  }
  return { text, truncated: false };
}

function splitIntoChunks(text: string, size: number): string[] {
  const characters = Array.from(text);
  const chunks: string[] = [];
  for (let index = 0; index < characters.length; index += size) {
    chunks.push(characters.slice(index, index + size).join(''));
  }
  return chunks;
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

const unixSeconds = (): number => Math.floor(Date.now() / 1000);
const sse = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;
const anthropicEvent = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The pieces of a streamed answer; the fault logic that orders and breaks them is shared by every format. */
interface StreamScript {
  contentType: string;
  head: string[];
  chunks: string[];
  tail: string[];
  malformed: string;
}

function openAIUsage(answer: Answer): Record<string, unknown> {
  return {
    prompt_tokens: answer.inputTokens,
    completion_tokens: answer.outputTokens,
    total_tokens: answer.inputTokens + answer.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const AZURE_FILTER_RESULTS = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

function openAICompletion(format: FakeWireFormat, answer: Answer): unknown {
  return {
    id: `chatcmpl-${randomId(29)}`,
    object: 'chat.completion',
    created: unixSeconds(),
    model: answer.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: answer.truncated ? 'length' : 'stop',
        ...(format === 'azure' ? { content_filter_results: AZURE_FILTER_RESULTS } : {}),
      },
    ],
    usage: openAIUsage(answer),
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
    ...(format === 'azure' ? { prompt_filter_results: [{ prompt_index: 0, content_filter_results: AZURE_FILTER_RESULTS }] } : {}),
  };
}

function openAIStream(format: FakeWireFormat, answer: Answer, chunks: string[], includeUsage: boolean): StreamScript {
  const id = `chatcmpl-${randomId(29)}`;
  const base = {
    id,
    object: 'chat.completion.chunk',
    created: unixSeconds(),
    model: answer.model,
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
  };
  const usageField = includeUsage ? { usage: null } : {};
  const choice = (delta: Record<string, unknown>, finishReason: string | null): unknown => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...usageField,
  });
  // Azure opens every stream with a chunk that has no choices, only the prompt filter results.
  const azurePreamble = sse({
    id: '',
    object: '',
    created: 0,
    model: '',
    choices: [],
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: AZURE_FILTER_RESULTS }],
  });
  return {
    contentType: 'text/event-stream; charset=utf-8',
    head: [...(format === 'azure' ? [azurePreamble] : []), sse(choice({ role: 'assistant', content: '', refusal: null }, null))],
    chunks: chunks.map((chunk) => sse(choice({ content: chunk }, null))),
    tail: [
      sse(choice({}, answer.truncated ? 'length' : 'stop')),
      ...(includeUsage ? [sse({ ...base, choices: [], usage: openAIUsage(answer) })] : []),
      'data: [DONE]\n\n',
    ],
    malformed: `data: {"id":"${id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\n\n`,
  };
}

function anthropicUsage(answer: Answer, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: answer.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function anthropicMessage(answer: Answer): unknown {
  return {
    id: `msg_01${randomId(22)}`,
    type: 'message',
    role: 'assistant',
    model: answer.model,
    content: [{ type: 'text', text: answer.text }],
    stop_reason: answer.truncated ? 'max_tokens' : 'end_turn',
    stop_sequence: null,
    usage: anthropicUsage(answer, answer.outputTokens),
  };
}

function anthropicStream(answer: Answer, chunks: string[]): StreamScript {
  const message = {
    id: `msg_01${randomId(22)}`,
    type: 'message',
    role: 'assistant',
    model: answer.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: anthropicUsage(answer, Math.min(1, answer.outputTokens)),
  };
  return {
    contentType: 'text/event-stream; charset=utf-8',
    head: [
      anthropicEvent('message_start', { type: 'message_start', message }),
      anthropicEvent('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
      anthropicEvent('ping', { type: 'ping' }),
    ],
    chunks: chunks.map((text) =>
      anthropicEvent('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      }),
    ),
    tail: [
      anthropicEvent('content_block_stop', { type: 'content_block_stop', index: 0 }),
      anthropicEvent('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: answer.truncated ? 'max_tokens' : 'end_turn', stop_sequence: null },
        usage: { output_tokens: answer.outputTokens },
      }),
      anthropicEvent('message_stop', { type: 'message_stop' }),
    ],
    malformed: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\n\n',
  };
}

function ollamaFinal(answer: Answer): Record<string, unknown> {
  return {
    done_reason: answer.truncated ? 'length' : 'stop',
    done: true,
    total_duration: 1_200_000_000,
    load_duration: 20_000_000,
    prompt_eval_count: answer.inputTokens,
    prompt_eval_duration: 80_000_000,
    eval_count: answer.outputTokens,
    eval_duration: 1_000_000_000,
  };
}

function ollamaLoaded(model: string): unknown {
  return { model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done_reason: 'load', done: true };
}

function ollamaChat(answer: Answer): unknown {
  return {
    model: answer.model,
    created_at: new Date().toISOString(),
    message: { role: 'assistant', content: answer.text },
    ...ollamaFinal(answer),
  };
}

function ollamaStream(answer: Answer, chunks: string[]): StreamScript {
  const line = (content: string, extra: Record<string, unknown>): string =>
    `${JSON.stringify({ model: answer.model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, ...extra })}\n`;
  return {
    contentType: 'application/x-ndjson',
    head: [],
    chunks: chunks.map((chunk) => line(chunk, { done: false })),
    tail: [line('', ollamaFinal(answer))],
    malformed: `{"model":"${answer.model}","message":{"role":"assistant","content":"\n`,
  };
}

function displayName(id: string): string {
  return id
    .split(/[-:]/)
    .map((word) => (word.length > 0 ? word[0]!.toUpperCase() + word.slice(1) : word))
    .join(' ');
}

function modelList(format: Exclude<FakeWireFormat, 'ollama'>, ids: string[]): unknown {
  const created = 1_715_367_049;
  switch (format) {
    case 'anthropic':
      return {
        data: ids.map((id) => ({
          type: 'model',
          id,
          display_name: displayName(id),
          created_at: '2025-09-29T00:00:00Z',
        })),
        has_more: false,
        first_id: ids[0] ?? null,
        last_id: ids.at(-1) ?? null,
      };
    case 'gemini':
      // Gemini's OpenAI-compatible endpoint names models with a "models/" prefix.
      return {
        object: 'list',
        data: ids.map((id) => ({
          id: id.startsWith('models/') ? id : `models/${id}`,
          object: 'model',
          owned_by: 'google',
        })),
      };
    case 'azure':
      return {
        object: 'list',
        data: ids.map((id) => ({
          id,
          object: 'model',
          status: 'succeeded',
          created_at: created,
          capabilities: {
            fine_tune: false,
            inference: true,
            completion: false,
            chat_completion: true,
            embeddings: false,
          },
          lifecycle_status: 'generally-available',
          deprecation: { inference: created + 31_536_000 },
        })),
      };
    case 'openai':
      return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: 'system' })) };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Errors, each in its provider's own shape

type StatusFault = Extract<
  FaultName,
  | 'unauthorized'
  | 'insufficient-quota'
  | 'forbidden'
  | 'model-not-found'
  | 'context-too-long'
  | 'bad-request'
  | 'rate-limited'
  | 'server-error'
  | 'unavailable'
  | 'overloaded'
>;
type Problem = StatusFault | 'unknown-route';

const STATUS_FAULTS: ReadonlySet<FaultName> = new Set<StatusFault>([
  'unauthorized',
  'insufficient-quota',
  'forbidden',
  'model-not-found',
  'context-too-long',
  'bad-request',
  'rate-limited',
  'server-error',
  'unavailable',
  'overloaded',
]);

function isStatusFault(name: FaultName): name is StatusFault {
  return STATUS_FAULTS.has(name);
}

interface ErrorDetail {
  message: string;
  param?: string | null;
  code?: string | null;
}

interface ErrorContext {
  model: string;
  key: string | null;
  retryAfterSeconds: number | undefined;
  status: number | undefined;
  apiVersion: string;
  requestLine: string;
  detail?: ErrorDetail;
}

interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

function maskKey(key: string | null): string {
  if (key === null || key.length === 0) return '<empty>';
  return key.length <= 8 ? `${key.slice(0, 2)}****` : `${key.slice(0, 3)}****${key.slice(-4)}`;
}

interface OpenAIErrorFields {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

function openAIErrorFields(problem: Problem, context: ErrorContext): OpenAIErrorFields {
  const seconds = context.retryAfterSeconds ?? 1;
  const fields = (status: number, message: string, type: string, param: string | null, code: string | null) => ({
    status,
    message,
    type,
    param,
    code,
  });
  switch (problem) {
    case 'unauthorized':
      return fields(
        401,
        `Incorrect API key provided: ${maskKey(context.key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error',
        null,
        'invalid_api_key',
      );
    case 'insufficient-quota':
      // DeepSeek answers an empty balance with a 402 in this shape.
      if (context.status === 402) return fields(402, 'Insufficient Balance', 'unknown_error', null, 'invalid_request_error');
      return fields(
        429,
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        'insufficient_quota',
        null,
        'insufficient_quota',
      );
    case 'forbidden':
      return fields(403, 'Country, region, or territory not supported', 'request_forbidden', null, 'unsupported_country_region_territory');
    case 'model-not-found':
      return fields(
        404,
        `The model \`${context.model}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        null,
        'model_not_found',
      );
    case 'context-too-long':
      return fields(
        400,
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 250000 tokens. Please reduce the length of the messages.",
        'invalid_request_error',
        'messages',
        'context_length_exceeded',
      );
    case 'bad-request':
      return fields(
        400,
        context.detail?.message ??
          "Invalid type for 'messages[0].content': expected one of a string or array of objects, but got an integer instead.",
        'invalid_request_error',
        context.detail ? (context.detail.param ?? null) : 'messages[0].content',
        context.detail ? (context.detail.code ?? null) : 'invalid_type',
      );
    case 'rate-limited':
      return fields(
        429,
        `Rate limit reached for ${context.model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${seconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        'requests',
        null,
        'rate_limit_exceeded',
      );
    case 'server-error':
      return fields(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null, null);
    case 'unavailable':
      return fields(503, 'The service is temporarily unavailable. Please try again later.', 'server_error', null, 'service_unavailable');
    case 'overloaded':
      return fields(529, 'Overloaded', 'overloaded_error', null, null);
    case 'unknown-route':
      return fields(404, `Invalid URL (${context.requestLine})`, 'invalid_request_error', null, null);
  }
}

function anthropicErrorFields(problem: Problem, context: ErrorContext): { status: number; type: string; message: string } {
  switch (problem) {
    case 'unauthorized':
      return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
    case 'insufficient-quota':
      return {
        status: 402,
        type: 'billing_error',
        message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      };
    case 'forbidden':
      return {
        status: 403,
        type: 'permission_error',
        message: 'Your API key does not have permission to use the specified resource.',
      };
    case 'model-not-found':
      return { status: 404, type: 'not_found_error', message: `model: ${context.model}` };
    case 'context-too-long':
      return {
        status: 400,
        type: 'invalid_request_error',
        message: 'prompt is too long: 250000 tokens > 200000 maximum',
      };
    case 'bad-request':
      return {
        status: 400,
        type: 'invalid_request_error',
        message: context.detail?.message ?? 'messages.0.content: Input should be a valid list',
      };
    case 'rate-limited':
      return {
        status: 429,
        type: 'rate_limit_error',
        message:
          'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
      };
    case 'server-error':
      return { status: 500, type: 'api_error', message: 'Internal server error' };
    case 'unavailable':
      return { status: 503, type: 'api_error', message: 'Service unavailable' };
    case 'overloaded':
      return { status: 529, type: 'overloaded_error', message: 'Overloaded' };
    case 'unknown-route':
      return { status: 404, type: 'not_found_error', message: 'Not Found' };
  }
}

function ollamaErrorFields(problem: Problem, context: ErrorContext): { status: number; message: string } {
  switch (problem) {
    case 'unauthorized':
      return { status: 401, message: 'unauthorized' };
    case 'insufficient-quota':
      return { status: 429, message: 'you have reached your usage limit' };
    case 'forbidden':
      return { status: 403, message: 'forbidden' };
    case 'model-not-found':
      return { status: 404, message: `model "${context.model}" not found, try pulling it first` };
    case 'context-too-long':
      return { status: 400, message: 'the input length exceeds the context length' };
    case 'bad-request':
      return { status: 400, message: context.detail?.message ?? 'invalid message format' };
    case 'rate-limited':
      return { status: 429, message: 'too many requests' };
    case 'server-error':
      return { status: 500, message: 'llama runner process has terminated: exit status 2' };
    case 'unavailable':
      return { status: 503, message: 'server busy, please try again.  maximum pending requests exceeded' };
    case 'overloaded':
      return { status: 529, message: 'overloaded' };
    case 'unknown-route':
      return { status: 404, message: '404 page not found' };
  }
}

function errorReply(format: FakeWireFormat, problem: Problem, context: ErrorContext, requestIdHeaders: Record<string, string>): ErrorReply {
  const headers: Record<string, string> = { ...requestIdHeaders };
  const seconds = problem === 'rate-limited' ? (context.retryAfterSeconds ?? 1) : context.retryAfterSeconds;
  if (seconds !== undefined) {
    headers['retry-after'] = String(seconds);
    if (format === 'openai' || format === 'gemini' || format === 'azure') headers['retry-after-ms'] = String(seconds * 1000);
  }
  if (format === 'anthropic') {
    const fields = anthropicErrorFields(problem, context);
    return {
      status: context.status ?? fields.status,
      headers,
      body: {
        type: 'error',
        error: { type: fields.type, message: fields.message },
        request_id: requestIdHeaders['request-id'],
      },
    };
  }
  if (format === 'ollama') {
    const fields = ollamaErrorFields(problem, context);
    return { status: context.status ?? fields.status, headers, body: { error: fields.message } };
  }
  const fields = openAIErrorFields(problem, context);
  const status = context.status ?? fields.status;
  if (format === 'azure') {
    // Azure's gateway answers these itself, in its own {code, message} shape.
    const azure: Partial<Record<Problem, { code: string; message: string }>> = {
      unauthorized: {
        code: '401',
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      },
      'model-not-found': {
        code: 'DeploymentNotFound',
        message:
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      },
      'rate-limited': {
        code: '429',
        message: `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${context.apiVersion} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${seconds ?? 1} second. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
      },
    };
    const special = azure[problem];
    if (special) return { status, headers, body: { error: special } };
  }
  return {
    status,
    headers,
    body: { error: { message: fields.message, type: fields.type, param: fields.param, code: fields.code } },
  };
}

function requestIdHeaders(format: FakeWireFormat): Record<string, string> {
  switch (format) {
    case 'anthropic':
      return { 'request-id': `req_011C${randomId(20)}`, 'anthropic-organization-id': 'fake-organization' };
    case 'azure':
      return { 'x-request-id': randomUUID(), 'apim-request-id': randomUUID(), 'x-ms-region': 'East US' };
    case 'ollama':
      return {};
    case 'openai':
    case 'gemini':
      return {
        'x-request-id': `req_${randomBytes(16).toString('hex')}`,
        'openai-version': '2020-10-01',
        'openai-processing-ms': '42',
      };
  }
}

function presentedKey(headers: Record<string, string>): string | null {
  const direct = headers['x-api-key'] ?? headers['api-key'];
  if (direct !== undefined) return direct;
  const authorization = headers['authorization'];
  if (authorization !== undefined && /^bearer /i.test(authorization)) return authorization.slice(7).trim();
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// The server

interface ActiveFault {
  name: FaultName;
  options: FaultOptions;
  remaining: number | undefined;
}

interface PendingSleep {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

const DEFAULT_DROP_PAUSE_MS = 50;
const SOCKET_SETTLE_MS = 20;

class FakeProviderServerImplementation implements FakeProviderServer {
  readonly counters = { total: 0, chat: 0, models: 0 };
  readonly requests: RecordedRequest[] = [];
  #port = 0;
  #server: Server;
  #sockets = new Set<Socket>();
  #sleeps = new Set<PendingSleep>();
  #chatRequests = new WeakSet<RecordedRequest>();
  #fault: ActiveFault | null = null;
  #reply: string | ((request: RecordedRequest) => string) | null;
  #models: string[];
  #expectedKey: string | null = null;
  #chatResponseHeaders: Record<string, string> | ((request: RecordedRequest) => Record<string, string>) | null = null;
  #recorded: RecordedReplyPicker | null = null;
  #closed = false;
  readonly #ollama: FakeOllama;
  readonly #name: string;
  readonly #chunkSize: number;
  readonly #startOptions: FakeProviderServerOptions;

  constructor(options: FakeProviderServerOptions) {
    this.#startOptions = options;
    this.#name = options.name ?? 'fake-provider';
    this.#chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 8));
    this.#reply = options.reply ?? null;
    this.#models = [...(options.models ?? DEFAULT_FAKE_MODELS)];
    this.#ollama = new FakeOllama({
      models: () => this.#models,
      setModels: (ids) => this.setModels(ids),
      sleep: (milliseconds) => this.#sleep(milliseconds),
    });
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch(() => {
        if (!response.headersSent && !response.destroyed) {
          response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"fake server failure"}');
        } else {
          response.destroy();
        }
      });
    });
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  get ollama(): FakeOllamaControls {
    return this.#ollama;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(port: number): Promise<void> {
    await this.#listen(port);
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error(`${this.#name}: the server has no TCP address`);
    this.#port = address.port;
  }

  async setFault(name: FaultName | null, options: FaultOptions = {}): Promise<void> {
    const wasRefused = this.#fault?.name === 'refused';
    const times = options.times;
    this.#fault = name === null || (times !== undefined && times <= 0) ? null : { name, options: { ...options }, remaining: times };
    const isRefused = this.#fault?.name === 'refused';
    if (this.#closed) return;
    if (isRefused && !wasRefused) await this.#stopListening();
    if (!isRefused && wasRefused) await this.#listen(this.#port);
  }

  setReply(reply: string | ((request: RecordedRequest) => string)): void {
    this.#reply = reply;
  }

  setModels(ids: string[]): void {
    this.#models = [...ids];
  }

  setRecordedReply(picker: RecordedReplyPicker | null): void {
    this.#recorded = picker;
  }

  setExpectedKey(key: string | null): void {
    this.#expectedKey = key;
  }

  setChatResponseHeaders(headers: Record<string, string> | ((request: RecordedRequest) => Record<string, string>) | null): void {
    this.#chatResponseHeaders = headers;
  }

  lastChatRequest(): RecordedRequest | undefined {
    return this.requests.findLast((request) => this.#chatRequests.has(request));
  }

  async reset(): Promise<void> {
    await this.setFault(null);
    this.counters.total = 0;
    this.counters.chat = 0;
    this.counters.models = 0;
    this.requests.length = 0;
    this.#reply = this.#startOptions.reply ?? null;
    this.#models = [...(this.#startOptions.models ?? DEFAULT_FAKE_MODELS)];
    this.#expectedKey = null;
    this.#chatResponseHeaders = null;
    this.#ollama.reset();
    this.#recorded = null;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#fault = null;
    for (const sleep of this.#sleeps) {
      clearTimeout(sleep.timer);
      sleep.resolve();
    }
    this.#sleeps.clear();
    await this.#stopListening();
    for (const socket of this.#sockets) socket.destroy();
  }

  #listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        this.#server.off('listening', onListening);
        reject(new Error(`${this.#name}: could not listen on 127.0.0.1:${port}: ${error.message}`, { cause: error }));
      };
      const onListening = (): void => {
        this.#server.off('error', onError);
        resolve();
      };
      this.#server.once('error', onError);
      this.#server.once('listening', onListening);
      this.#server.listen(port, '127.0.0.1');
    });
  }

  async #stopListening(): Promise<void> {
    if (!this.#server.listening) return;
    const hadSockets = this.#sockets.size > 0;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      // Keep-alive and hanging sockets would otherwise keep serving (or keep close() waiting).
      this.#server.closeAllConnections();
      for (const socket of this.#sockets) socket.destroy();
    });
    // Give in-process clients an I/O turn to see those sockets close, so their next request opens a new
    // connection (and is refused) instead of failing on a pooled socket that is already gone.
    if (hadSockets) await new Promise((resolve) => setTimeout(resolve, SOCKET_SETTLE_MS));
  }

  /** A delay that close() cuts short, and that never keeps the process alive on its own. */
  #sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const pending: PendingSleep = {
        timer: setTimeout(() => {
          this.#sleeps.delete(pending);
          resolve();
        }, milliseconds),
        resolve,
      };
      pending.timer.unref();
      this.#sleeps.add(pending);
    });
  }

  #takeFault(kind: RouteKind): ActiveFault | null {
    const fault = this.#fault;
    if (fault === null) return null;
    const on = fault.options.on ?? 'chat';
    if (on !== 'all' && on !== kind) return null;
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.#fault = null;
    }
    return fault;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const rawBody = await readBody(request);
    let body: unknown = null;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        body = null;
      }
    }
    const recorded: RecordedRequest = { method, path, query: Object.fromEntries(url.searchParams), headers, body, at };
    this.requests.push(recorded);
    const route = resolveRoute(method, path, headers);
    this.counters.total += 1;
    if (route.kind === 'chat') {
      this.counters.chat += 1;
      this.#chatRequests.add(recorded);
      const extra = typeof this.#chatResponseHeaders === 'function' ? this.#chatResponseHeaders(recorded) : this.#chatResponseHeaders;
      // Set before any writeHead, which merges them into whatever status it sends.
      for (const [name, value] of Object.entries(extra ?? {})) response.setHeader(name, value);
    }
    if (route.kind === 'models') this.counters.models += 1;

    let closedByClient = false;
    response.on('close', () => {
      closedByClient = true;
    });
    const alive = (): boolean => !closedByClient && !response.writableEnded && !this.#closed;

    const fault = this.#takeFault(route.kind);
    const errorContext: ErrorContext = {
      model: isRecord(body) && typeof body['model'] === 'string' ? body['model'] : (route.deployment ?? ''),
      key: presentedKey(headers),
      retryAfterSeconds: fault?.options.retryAfterSeconds,
      status: fault?.options.status,
      apiVersion: recorded.query['api-version'] ?? '2024-10-21',
      requestLine: `${method} ${path}`,
    };
    const idHeaders = requestIdHeaders(route.format);
    const sendError = (problem: Problem, context: ErrorContext): void => {
      const reply = errorReply(route.format, problem, context, idHeaders);
      sendJson(response, reply.status, reply.headers, reply.body);
    };

    if (fault?.name === 'reset' || fault?.name === 'refused') {
      request.socket.resetAndDestroy();
      return;
    }
    if (fault?.name === 'hang') return;
    if (fault && isStatusFault(fault.name)) {
      sendError(fault.name, errorContext);
      return;
    }
    if (this.#expectedKey !== null && errorContext.key !== this.#expectedKey) {
      sendError('unauthorized', { ...errorContext, retryAfterSeconds: undefined, status: undefined });
      return;
    }

    const streamFault = fault;
    const answerJson = async (payload: unknown, headersToSend: Record<string, string>): Promise<void> =>
      this.#sendJsonWithFault(response, headersToSend, payload, streamFault, alive);

    switch (route.kind) {
      case 'version':
        await answerJson({ version: '0.12.6' }, idHeaders);
        return;
      case 'models': {
        const ids = streamFault?.name === 'empty-answer' ? [] : this.#models;
        const list = route.format === 'ollama' ? { models: ids.map((id) => this.#ollama.tagEntry(id)) } : modelList(route.format, ids);
        await answerJson(list, idHeaders);
        return;
      }
      case 'ollama-manage':
        if (!(await this.#ollama.handle(method, path, body, response, alive))) sendError('unknown-route', errorContext);
        return;
      case 'unknown':
        sendError('unknown-route', { ...errorContext, retryAfterSeconds: undefined, status: undefined });
        return;
      case 'chat':
        break;
    }

    const invalid = validateChatBody(route.format, body, route);
    if (invalid !== null || !isRecord(body)) {
      sendError('bad-request', {
        ...errorContext,
        retryAfterSeconds: undefined,
        status: undefined,
        detail: invalid ?? undefined,
      });
      return;
    }
    const prompt = readPrompt(route.format, body, route);
    const recordedReply = this.#recorded?.(recorded) ?? null;
    if (recordedReply !== null) {
      if (!prompt.stream) await answerJson(recordedReply.json, idHeaders);
      else {
        const script: StreamScript = {
          contentType: recordedReply.contentType ?? 'text/event-stream; charset=utf-8',
          head: [],
          chunks: recordedReply.stream,
          tail: [],
          malformed: 'data: {"choices":[{"delta":{"content":"\n\n',
        };
        await this.#sendStream(response, idHeaders, script, streamFault, alive);
      }
      return;
    }
    if (route.format === 'ollama') {
      await this.#ollama.load(prompt.model ?? '');
      if (!alive()) return;
      // An empty conversation only loads the model, as Ollama does.
      if (Array.isArray(body['messages']) && body['messages'].length === 0) {
        await answerJson(ollamaLoaded(prompt.model ?? ''), idHeaders);
        return;
      }
    }
    const fullText = streamFault?.name === 'empty-answer' ? '' : this.#replyText(recorded, prompt);
    const cut = cutToWords(fullText, prompt.maxTokens);
    const answer: Answer = {
      model: reportedModel(route.format, prompt.model ?? ''),
      text: cut.text,
      truncated: cut.truncated,
      inputTokens: Math.ceil(prompt.text.length / 4),
      outputTokens: countWords(cut.text),
    };

    if (!prompt.stream) {
      const payload =
        route.format === 'anthropic'
          ? anthropicMessage(answer)
          : route.format === 'ollama'
            ? ollamaChat(answer)
            : openAICompletion(route.format, answer);
      await answerJson(payload, idHeaders);
      return;
    }
    const chunks = splitIntoChunks(answer.text, this.#chunkSize);
    const script =
      route.format === 'anthropic'
        ? anthropicStream(answer, chunks)
        : route.format === 'ollama'
          ? ollamaStream(answer, chunks)
          : openAIStream(route.format, answer, chunks, prompt.includeUsage);
    await this.#sendStream(response, idHeaders, script, streamFault, alive);
  }

  #replyText(request: RecordedRequest, prompt: PromptFacts): string {
    const reply = this.#reply;
    if (reply === null) return prompt.hasImage ? `I see an image. ${DEFAULT_FAKE_REPLY}` : DEFAULT_FAKE_REPLY;
    return typeof reply === 'function' ? reply(request) : reply;
  }

  async #dropConnection(response: ServerResponse, options: FaultOptions): Promise<void> {
    // Pause so the client has consumed what was sent; a close arriving with the data could discard it.
    await this.#sleep(options.delayMs ?? DEFAULT_DROP_PAUSE_MS);
    response.socket?.destroy();
  }

  async #sendJsonWithFault(
    response: ServerResponse,
    headers: Record<string, string>,
    payload: unknown,
    fault: ActiveFault | null,
    alive: () => boolean,
  ): Promise<void> {
    const text = JSON.stringify(payload);
    switch (fault?.name) {
      case 'slow-first-token':
      case 'slow-between-chunks':
        await this.#sleep(fault.options.delayMs ?? (fault.name === 'slow-first-token' ? 2000 : 500));
        if (!alive()) return;
        break;
      case 'malformed-chunk':
        sendRaw(response, 200, headers, 'application/json', text.slice(0, Math.floor(text.length / 2)));
        return;
      case 'drop-mid-stream': {
        const bytes = Buffer.from(text, 'utf8');
        response.writeHead(200, {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(bytes.length),
        });
        response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        await this.#dropConnection(response, fault.options);
        return;
      }
      default:
        break;
    }
    sendJson(response, 200, headers, payload);
  }

  async #sendStream(
    response: ServerResponse,
    headers: Record<string, string>,
    script: StreamScript,
    fault: ActiveFault | null,
    alive: () => boolean,
  ): Promise<void> {
    response.writeHead(200, { ...headers, 'content-type': script.contentType, 'cache-control': 'no-cache' });
    response.flushHeaders();
    for (const part of script.head) response.write(part);

    const name = fault?.name;
    const options = fault?.options ?? {};
    const breakAt = Math.max(0, Math.min(options.afterChunks ?? 2, script.chunks.length));
    const pause = async (milliseconds: number): Promise<boolean> => {
      await this.#sleep(milliseconds);
      return alive();
    };

    for (let index = 0; index <= script.chunks.length; index += 1) {
      if (index === breakAt && name === 'drop-mid-stream') {
        await this.#dropConnection(response, options);
        return;
      }
      if (index === breakAt && name === 'malformed-chunk') response.write(script.malformed);
      const chunk = script.chunks[index];
      const firstWait = index === 0 && name === 'slow-first-token';
      const betweenWait = index > 0 && chunk !== undefined && name === 'slow-between-chunks';
      if (firstWait && !(await pause(options.delayMs ?? 2000))) return;
      if (betweenWait && !(await pause(options.delayMs ?? 500))) return;
      if (chunk === undefined) break;
      if (!alive()) return;
      response.write(chunk);
    }
    if (!alive()) return;
    for (const part of script.tail) response.write(part);
    response.end();
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts)));
    request.on('error', reject);
  });
}

function sendRaw(response: ServerResponse, status: number, headers: Record<string, string>, contentType: string, text: string): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    ...headers,
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

function sendJson(response: ServerResponse, status: number, headers: Record<string, string>, payload: unknown): void {
  sendRaw(response, status, headers, 'application/json', JSON.stringify(payload));
}
