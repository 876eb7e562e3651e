import { messageText, type ChatMessage } from '../../../src-shared/schemas/chat-message';
import type { FinishReason, ModelRequest, ProviderStreamPart } from '../../engine/ports';
import { iterateWithin, raceAbort, type CallScope } from '../shared/call-scope';
import { HttpStatusError, MalformedResponseError } from '../shared/http-json';
import { jsonOnlyInstruction } from '../shared/json-instruction';
import { droppedReasoningName } from '../shared/dropped';
import { StreamEndedEarly } from '../shared/stream-ended-early';
import { droppedToolFields, OllamaToolCallReader, ollamaToolCalls, ollamaTools, toolNameFor } from './ollama-tools';

/** One message of Ollama's `/api/chat`: images travel as bare base64 beside the text. */
interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  images?: string[];
  tool_calls?: Array<Record<string, unknown>>;
  /** A tool result names its tool: Ollama has no call ids. */
  tool_name?: string;
}

export interface OllamaChatBody {
  body: Record<string, unknown>;
  /** Request fields Ollama has no place for, so they were not sent. */
  dropped: string[];
}

function ollamaMessage(message: ChatMessage, messages: readonly ChatMessage[]): OllamaMessage {
  const images = typeof message.content === 'string' ? [] : message.content.flatMap((part) => (part.type === 'image' ? [part.data] : []));
  const out: OllamaMessage = { role: message.role, content: messageText(message), ...(images.length > 0 ? { images } : {}) };
  const toolCalls = message.role === 'assistant' ? ollamaToolCalls(message) : undefined;
  if (toolCalls) out.tool_calls = toolCalls;
  if (message.role === 'tool') {
    const name = toolNameFor(message, messages);
    if (name) out.tool_name = name;
  }
  return out;
}

/** Ollama's options from the request: num_ctx, num_predict, temperature and the sampling parameters it takes. */
function ollamaOptions(request: ModelRequest, dropped: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const parameters = request.parameters ?? {};
  if (request.contextTokens !== undefined) options['num_ctx'] = request.contextTokens;
  if (request.maxOutputTokens !== undefined) options['num_predict'] = request.maxOutputTokens;
  if (request.temperature !== undefined) options['temperature'] = request.temperature;
  if (parameters.topP !== undefined) options['top_p'] = parameters.topP;
  if (parameters.seed !== undefined) options['seed'] = parameters.seed;
  if (parameters.stop !== undefined) options['stop'] = parameters.stop;
  if (parameters.presencePenalty !== undefined) options['presence_penalty'] = parameters.presencePenalty;
  if (parameters.frequencyPenalty !== undefined) options['frequency_penalty'] = parameters.frequencyPenalty;
  if (parameters.user !== undefined) dropped.push('user');
  return options;
}

/** The body of a streamed `/api/chat`, and the request fields it could not carry. */
export function buildOllamaChatBody(request: ModelRequest, keepAlive: string | undefined): OllamaChatBody {
  const format = request.responseFormat;
  const dropped: string[] = [];
  // Reasoning blocks are another provider's to verify; Ollama has no place for them.
  if (request.messages.some((message) => (message.reasoning?.length ?? 0) > 0)) dropped.push(droppedReasoningName);
  const system = [request.system, format?.type === 'json' ? jsonOnlyInstruction() : undefined].filter((part) => part?.trim()).join('\n\n');
  const messages: OllamaMessage[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of request.messages) messages.push(ollamaMessage(message, request.messages));
  const body: Record<string, unknown> = { model: request.model, messages, stream: true };
  const tools = ollamaTools(request);
  if (tools) body['tools'] = tools;
  dropped.push(...droppedToolFields(request));
  const options = ollamaOptions(request, dropped);
  if (Object.keys(options).length > 0) body['options'] = options;
  if (keepAlive !== undefined) body['keep_alive'] = keepAliveValue(keepAlive);
  // Ollama constrains the answer to a JSON schema (or any JSON) through `format`.
  if (format?.type === 'json_schema') body['format'] = format.schema;
  else if (format?.type === 'json') body['format'] = 'json';
  return { body, dropped };
}

/** keep_alive as Ollama reads it: a duration string, or a number of seconds (-1, 0). */
export function keepAliveValue(setting: string): string | number {
  return /^-?\d+$/.test(setting) ? Number(setting) : setting;
}

/** `{"error": "..."}`, as Ollama reports a failure in a body or mid-stream, in the shape the mapper reads. */
export function ollamaErrorBody(body: unknown): unknown {
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') {
    return { error: { message: (body as { error: string }).error } };
  }
  return body;
}

const finishReasons: Record<string, FinishReason> = { stop: 'stop', length: 'length' };

/** Splits a byte stream into lines of NDJSON. */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>, scope: CallScope): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of iterateWithin(body, scope)) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield line;
      newline = buffered.indexOf('\n');
    }
  }
  const rest = (buffered + decoder.decode()).trim();
  if (rest) yield rest;
}

/**
 * POSTs `body` as JSON; the answer's headers and its NDJSON lines. A refusal (status or no body) is
 * thrown as an HttpStatusError with Ollama's error text, for the adapter's mapper.
 */
export async function postNdjson(
  fetchImplementation: typeof fetch,
  url: string,
  body: Record<string, unknown>,
  scope: CallScope,
): Promise<{ headers: Headers; lines: AsyncGenerator<string> }> {
  const response = await raceAbort(
    fetchImplementation(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify(body),
      signal: scope.signal,
      redirect: 'error',
    }),
    scope.signal,
  );
  scope.touch();
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // A plain-text error body stays as it is.
    }
    throw new HttpStatusError(response.status, response.headers, ollamaErrorBody(parsed), url);
  }
  return { headers: response.headers, lines: ndjsonLines(response.body, scope) };
}

/**
 * Streams one `/api/chat` answer as ProviderStreamParts: the model first, text and tool calls as they come, then
 * usage (prompt_eval_count, eval_count) and the finish reason from the `done` line. Failures are
 * thrown raw for the adapter's mapper.
 */
export async function* streamOllamaChat(
  fetchImplementation: typeof fetch,
  url: string,
  body: Record<string, unknown>,
  scope: CallScope,
): AsyncGenerator<ProviderStreamPart> {
  let metadataSent = false;
  let done = false;
  const toolCalls = new OllamaToolCallReader();
  const response = await postNdjson(fetchImplementation, url, body, scope);
  for await (const line of response.lines) {
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new MalformedResponseError(url);
    }
    if (typeof chunk['error'] === 'string') throw new HttpStatusError(500, response.headers, ollamaErrorBody(chunk), url);
    if (!metadataSent && typeof chunk['model'] === 'string') {
      metadataSent = true;
      yield { type: 'response-metadata', modelVersion: chunk['model'] };
    }
    const message = chunk['message'] as { content?: unknown } | undefined;
    if (typeof message?.content === 'string' && message.content) yield { type: 'text-delta', text: message.content };
    for (const delta of toolCalls.read(message)) yield { type: 'tool-call-delta', delta };
    if (chunk['done'] === true) {
      done = true;
      const count = (value: unknown) => (typeof value === 'number' && value >= 0 ? value : 0);
      yield { type: 'usage', inputTokens: count(chunk['prompt_eval_count']), outputTokens: count(chunk['eval_count']) };
      const reason = finishReasons[String(chunk['done_reason'])] ?? 'other';
      // Ollama ends a turn that called tools with done_reason "stop"; the caller must run them.
      yield { type: 'finish', reason: toolCalls.count > 0 && reason === 'stop' ? 'tool_calls' : reason };
      break;
    }
  }
  if (!done) throw new StreamEndedEarly();
}
