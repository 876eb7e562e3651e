import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { AnswerSource } from '../../../src-shared/schemas/chat-message';
import type { DiscoveredModel, FinishReason, ProviderStreamPart, ToolCallDelta } from '../../engine/ports';
import { iterateWithin, raceAbort, type CallScope } from '../shared/call-scope';
import { MalformedResponseError } from '../shared/http-json';
import { StreamEndedEarly } from '../shared/stream-ended-early';
import { streamChatDirect, type DirectChatEndpoint } from './openai-direct-stream';

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
};

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Sources a server adds to its chunks outside the OpenAI shape: Perplexity's `search_results`
 * (title, url, date) or, from older servers, its bare `citations` URLs. Perplexity repeats the
 * whole list on later chunks, so the last list read wins.
 */
export function sourcesOf(chunk: unknown): AnswerSource[] | undefined {
  const body = record(chunk);
  const results = body?.['search_results'];
  if (Array.isArray(results) && results.length > 0) {
    return results.flatMap((item): AnswerSource[] => {
      const entry = record(item);
      const url = entry?.['url'];
      if (typeof url !== 'string') return [];
      const source: AnswerSource = { url };
      if (typeof entry?.['title'] === 'string') source.title = entry['title'];
      if (typeof entry?.['date'] === 'string') source.date = entry['date'];
      if (typeof entry?.['snippet'] === 'string') source.snippet = entry['snippet'];
      return [source];
    });
  }
  const citations = body?.['citations'];
  if (Array.isArray(citations) && citations.length > 0) {
    return citations.filter((url): url is string => typeof url === 'string').map((url) => ({ url }));
  }
  return undefined;
}

/**
 * Streams one chat completion as ProviderStreamParts. Shared by OpenAI, Azure and every
 * OpenAI-compatible profile; failures are thrown raw for the caller's mapper.
 */
export async function* streamChatCompletion(
  client: OpenAI,
  params: ChatCompletionCreateParamsStreaming,
  scope: CallScope,
  direct?: DirectChatEndpoint,
): AsyncGenerator<ProviderStreamPart> {
  yield* readChatChunks(direct ? streamChatDirect(direct, params, scope) : await viaSdk(client, params, scope));
}

/** The SDK's stream, raced against the scope's signal on every chunk. */
async function viaSdk(
  client: OpenAI,
  params: ChatCompletionCreateParamsStreaming,
  scope: CallScope,
): Promise<AsyncIterable<ChatCompletionChunk>> {
  const stream = await raceAbort(client.chat.completions.create(params, { signal: scope.signal }), scope.signal);
  scope.touch();
  return iterateWithin<ChatCompletionChunk>(stream, scope);
}

/** Chat completion chunks as ProviderStreamParts. */
async function* readChatChunks(chunks: AsyncIterable<ChatCompletionChunk>): AsyncGenerator<ProviderStreamPart> {
  let metadataSent = false;
  let finish: FinishReason | undefined;
  let usage: { inputTokens: number; outputTokens: number; cacheReadTokens?: number } | undefined;
  let sources: AnswerSource[] | undefined;

  for await (const chunk of chunks) {
    // Azure opens with a prompt-filter chunk that has no model yet.
    if (!metadataSent && chunk.model) {
      metadataSent = true;
      yield { type: 'response-metadata', modelVersion: chunk.model, responseId: chunk.id };
    }
    if (chunk.usage) {
      const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
      usage = {
        inputTokens: chunk.usage.prompt_tokens ?? 0,
        outputTokens: chunk.usage.completion_tokens ?? 0,
        ...(cached > 0 ? { cacheReadTokens: cached } : {}),
      };
    }
    sources = sourcesOf(chunk) ?? sources;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    if (choice.delta?.content) yield { type: 'text-delta', text: choice.delta.content };
    for (const call of choice.delta?.tool_calls ?? []) {
      const delta: ToolCallDelta = { index: call.index ?? 0, argumentsDelta: call.function?.arguments ?? '' };
      if (call.id) delta.id = call.id;
      if (call.function?.name) delta.name = call.function.name;
      yield { type: 'tool-call-delta', delta };
    }
    if (choice.delta?.refusal) {
      yield { type: 'text-delta', text: choice.delta.refusal };
      finish = 'content_filter';
    }
    if (choice.finish_reason) finish = finish ?? finishReasons[choice.finish_reason] ?? 'other';
  }

  // Servers end with a finish reason, or with the usage chunk that follows it; neither means cut off.
  if (finish === undefined && usage === undefined) throw new StreamEndedEarly();
  if (sources) yield { type: 'sources', sources };
  if (usage) yield { type: 'usage', ...usage };
  yield { type: 'finish', reason: finish ?? 'stop' };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Reads `{data: [...]}` (OpenAI), a bare array (Together) or `{models: [...]}` into DiscoveredModels. */
export function parseModelList(body: unknown, url = '/models'): DiscoveredModel[] {
  const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  const items = Array.isArray(body) ? body : Array.isArray(object?.['data']) ? object['data'] : object?.['models'];
  if (!Array.isArray(items)) throw new MalformedResponseError(url);
  const models: DiscoveredModel[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    const id = typeof entry['id'] === 'string' ? entry['id'] : typeof entry['name'] === 'string' ? entry['name'] : undefined;
    if (!id) continue;
    const model: DiscoveredModel = { id };
    const displayName = entry['display_name'] ?? (entry['id'] !== undefined ? entry['name'] : undefined);
    if (typeof displayName === 'string' && displayName !== id) model.displayName = displayName;
    const contextWindow =
      positiveInteger(entry['context_length']) ??
      positiveInteger(entry['context_window']) ??
      positiveInteger(entry['max_context_length']) ??
      positiveInteger(entry['max_model_len']);
    if (contextWindow) model.contextWindow = contextWindow;
    models.push(model);
  }
  return models;
}

/** GET {baseURL}/models through the SDK, so auth, headers and errors match chat calls. */
export async function listModelsVia(client: OpenAI, scope: CallScope): Promise<DiscoveredModel[]> {
  const body = await raceAbort(client.get<unknown>('/models', { signal: scope.signal }), scope.signal);
  return parseModelList(body);
}
