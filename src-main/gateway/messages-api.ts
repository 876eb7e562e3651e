import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { appError, type AppError } from '../../src-shared/errors/app-error';
import type { AnswerSource, ReasoningBlock, ToolCall } from '../../src-shared/schemas/chat-message';
import type { ExecutionEvent } from '../../src-shared/schemas/execution-event';
import { emptySummary, reportedModel, summarizeEvent, type CallSummary } from '../engine/call-summary';
import { estimateInputTokens } from '../engine/limits';
import { buildCallSpec, keepLocal, progressHeaders, sendJson, type ChatCompletionsContext } from './chat-completions';
import { anthropicErrorBody, httpStatusFor, retryAfterHeaders } from './gateway-errors';
import { eventStreamHeaders, relayEvents } from './relay-events';
import { LOCAL_ONLY_HEADER } from './local-only';
import { parseMessagesRequest, type GatewayMessagesRequest } from './messages-request';

/** What answering a Messages call needs: the same as a chat completion, minus the JSON check. */
export type MessagesContext = Omit<ChatCompletionsContext, 'answerCheck'>;

const stopReasons = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'refusal',
  tool_calls: 'tool_use',
  other: 'end_turn',
} as const;

/** Answers a failed call before anything was sent, in Anthropic's error shape. */
export function sendAnthropicError(
  response: ServerResponse,
  headers: Record<string, string>,
  error: AppError,
  status = httpStatusFor(error),
): void {
  if (response.headersSent || response.destroyed) return;
  sendJson(response, status, { ...headers, ...retryAfterHeaders(error) }, anthropicErrorBody(error, status));
}

/** The x-switchboard-* headers, with the fields the gateway itself could not pass on among the dropped. */
function headersFor(summary: CallSummary, request: GatewayMessagesRequest): Record<string, string> {
  const headers = progressHeaders(summary);
  const dropped = [...new Set([...request.ignored, ...summary.dropped])];
  if (dropped.length > 0) headers['x-switchboard-dropped'] = dropped.join(', ');
  return headers;
}

function usageBody(summary: CallSummary) {
  return {
    input_tokens: summary.usage?.inputTokens ?? 0,
    output_tokens: summary.usage?.outputTokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

/** Tool arguments as the object Anthropic's tool_use.input is; text that is not a JSON object is kept under `arguments`. */
function toolInput(call: ToolCall): Record<string, unknown> {
  if (!call.arguments.trim()) return {};
  try {
    const value: unknown = JSON.parse(call.arguments);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // kept below
  }
  return { arguments: call.arguments };
}

/** Reasoning blocks as Anthropic content blocks; only Anthropic's own (signed or redacted) can go back to it. */
type ThinkingBlock = { type: 'thinking'; thinking: string; signature: string } | { type: 'redacted_thinking'; data: string };

function reasoningBlocks(reasoning: readonly ReasoningBlock[] | undefined): ThinkingBlock[] {
  return (reasoning ?? []).map((block): ThinkingBlock => {
    if (block.redacted !== undefined) return { type: 'redacted_thinking', data: block.redacted };
    return { type: 'thinking', thinking: block.text, signature: block.signature ?? '' };
  });
}

/**
 * Sources in Anthropic's own shape: the web search that found them (a server_tool_use block) and its
 * result block, as Anthropic's web search tool returns them. Clients may send both back; they are not
 * passed on again.
 */
function sourceBlocks(sources: readonly AnswerSource[] | undefined): Array<Record<string, unknown>> {
  if (!sources || sources.length === 0) return [];
  const id = `srvtoolu_${randomUUID().replaceAll('-', '')}`;
  return [
    { type: 'server_tool_use', id, name: 'web_search', input: {} },
    {
      type: 'web_search_tool_result',
      tool_use_id: id,
      content: sources.map((source) => ({
        type: 'web_search_result',
        url: source.url,
        title: source.title ?? source.url,
        page_age: source.date ?? null,
        encrypted_content: '',
      })),
    },
  ];
}

/**
 * POST /v1/messages: Anthropic's Messages API over the same routing as /v1/chat/completions (the
 * same virtual model names, call runner and log), answered plainly or as Anthropic's stream events.
 */
export async function handleMessages(
  context: MessagesContext,
  body: unknown,
  response: ServerResponse,
  headers: Record<string, string>,
  signal: AbortSignal,
  requestHeaders: Readonly<Record<string, string | string[] | undefined>> = {},
): Promise<void> {
  const request = parseMessagesRequest(body);
  const { localOnlyReason, ...spec } = buildCallSpec(request, context.settings(), signal, {
    tokenCounter: context.tokenCounter,
    localOnlyHeader: requestHeaders[LOCAL_ONLY_HEADER],
  });
  if (context.client) spec.client = context.client;
  if (request.ignored.length > 0)
    spec.notes = [`Not passed on by the gateway (no provider takes them here): ${request.ignored.join(', ')}`];
  const events = localOnlyReason === null ? context.runner.run(spec) : keepLocal(context.runner.run(spec), localOnlyReason);
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  if (request.stream) await streamMessage(events, request, id, response, headers);
  else await plainMessage(events, request, id, response, headers);
}

/** POST /v1/messages/count_tokens: the gateway's own estimate (exact where the model is known), before routing. */
export function countTokens(context: MessagesContext, body: unknown, response: ServerResponse, headers: Record<string, string>): void {
  const request = parseMessagesRequest({ max_tokens: 1, ...(typeof body === 'object' && body !== null ? body : {}) });
  const estimate = estimateInputTokens(
    { messages: request.messages, ...(request.system !== undefined ? { system: request.system } : {}) },
    undefined,
  );
  sendJson(response, 200, headers, { input_tokens: estimate });
}

async function plainMessage(
  events: AsyncIterable<ExecutionEvent>,
  request: GatewayMessagesRequest,
  id: string,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const progress = emptySummary();
  for await (const event of events) {
    summarizeEvent(progress, event);
    if (response.headersSent || response.destroyed) continue;
    if (event.type === 'error') sendAnthropicError(response, { ...headers, ...headersFor(progress, request) }, event.error);
    if (event.type !== 'finish') continue;
    const content = [
      ...reasoningBlocks(event.reasoning),
      ...sourceBlocks(event.sources),
      ...(event.text.length > 0 || !event.toolCalls ? [{ type: 'text', text: event.text }] : []),
      ...(event.toolCalls ?? []).map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call) })),
    ];
    sendJson(
      response,
      200,
      { ...headers, ...headersFor(progress, request) },
      {
        id,
        type: 'message',
        role: 'assistant',
        model: reportedModel(progress),
        content,
        stop_reason: stopReasons[event.finishReason],
        stop_sequence: null,
        usage: usageBody(progress),
      },
    );
  }
  sendAnthropicError(response, { ...headers, ...headersFor(progress, request) }, appError('internal', 'The call ended without an answer'));
}

async function streamMessage(
  events: AsyncIterable<ExecutionEvent>,
  request: GatewayMessagesRequest,
  id: string,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const progress = emptySummary();
  const write = (type: string, data: Record<string, unknown>): void => {
    if (!response.destroyed) response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  // Content blocks are numbered as they open; the open one is closed before the next starts.
  let nextIndex = 0;
  const blocks: { open: { index: number; kind: 'text' | 'other' } | null } = { open: null };
  const toolBlocks = new Map<number, number>();
  const close = (): void => {
    if (blocks.open) write('content_block_stop', { index: blocks.open.index });
    blocks.open = null;
  };
  const openBlock = (kind: 'text' | 'other', block: Record<string, unknown>): number => {
    close();
    const index = nextIndex++;
    blocks.open = { index, kind };
    write('content_block_start', { index, content_block: block });
    return index;
  };
  // Headers go out with the first token: failover before it stays invisible, and they name who streams.
  const start = (): void => {
    if (response.headersSent) return;
    response.writeHead(200, {
      ...headers,
      ...headersFor(progress, request),
      ...eventStreamHeaders,
    });
    write('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: reportedModel(progress),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    });
  };
  const fail = (error: AppError): void => {
    if (!response.headersSent) {
      sendAnthropicError(response, { ...headers, ...headersFor(progress, request) }, error);
      return;
    }
    // After tokens were shown a failure must never look like success: an error event and no
    // message_stop, which the Anthropic SDKs raise as an APIError during iteration.
    write('error', { error: anthropicErrorBody(error, httpStatusFor(error)).error });
    if (!response.destroyed) response.end();
  };

  await relayEvents(
    events,
    progress,
    response,
    (event) => {
      switch (event.type) {
        case 'text-delta': {
          start();
          const index = blocks.open?.kind === 'text' ? blocks.open.index : openBlock('text', { type: 'text', text: '' });
          write('content_block_delta', { index, delta: { type: 'text_delta', text: event.text } });
          break;
        }
        case 'tool-call-delta': {
          start();
          let index = toolBlocks.get(event.index);
          if (index === undefined) {
            const toolId = event.id ?? `toolu_${randomUUID().replaceAll('-', '')}`;
            index = openBlock('other', { type: 'tool_use', id: toolId, name: event.name ?? '', input: {} });
            toolBlocks.set(event.index, index);
          }
          if (event.argumentsDelta)
            write('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: event.argumentsDelta } });
          break;
        }
        case 'finish': {
          start();
          close();
          // Reasoning arrives whole with the answer; its blocks go last, and clients send them back as they are.
          for (const block of reasoningBlocks(event.reasoning)) {
            if (block.type === 'redacted_thinking') {
              openBlock('other', block);
            } else {
              const index = openBlock('other', { type: 'thinking', thinking: '', signature: '' });
              write('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: block.thinking } });
              write('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
            }
            close();
          }
          for (const block of sourceBlocks(event.sources)) {
            openBlock('other', block);
            close();
          }
          if (nextIndex === 0) {
            openBlock('text', { type: 'text', text: '' });
            close();
          }
          write('message_delta', {
            delta: { stop_reason: stopReasons[event.finishReason], stop_sequence: null },
            usage: { output_tokens: progress.usage?.outputTokens ?? 0, input_tokens: progress.usage?.inputTokens ?? 0 },
          });
          write('message_stop', {});
          if (!response.destroyed) response.end();
          break;
        }
        case 'error':
          fail(event.error);
          break;
        default:
          break;
      }
    },
    fail,
  );
}
