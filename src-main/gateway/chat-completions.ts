import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { appError, type AppError } from '../../src-shared/errors/app-error';
import type { AnswerSource, ToolCall } from '../../src-shared/schemas/chat-message';
import type { ExecutionEvent } from '../../src-shared/schemas/execution-event';
import type { RouteRequest } from '../../src-shared/schemas/route-plan';
import type { Settings } from '../../src-shared/schemas/settings';
import type { CallRunner, CallSpec } from '../calls/call-runner';
import type { ExecutionRequest } from '../engine/execute';
import { emptySummary, reportedModel, summarizeEvent, type CallSummary } from '../engine/call-summary';
import type { TokenCounter } from '../engine/ports';
import { estimateInputTokens } from '../engine/limits';
import { requiredCapabilities } from '../engine/needs';
import type { AnswerCheck } from '../calls/answer-check';
import { parseChatRequest, type GatewayChatRequest } from './chat-request';
import { GatewayHttpError, httpStatusFor, openAIErrorBody, retryAfterHeaders } from './gateway-errors';
import { safeHeaderValue } from './request-limits';
import { eventStreamHeaders, relayEvents } from './relay-events';
import { LOCAL_ONLY_HEADER, localOnlyFailure, localOnlyReason } from './local-only';
import { primaryModelChoice, resolveVirtualModel } from './virtual-models';

/** What answering a chat completion needs from the server around it. */
export interface ChatCompletionsContext {
  runner: Pick<CallRunner, 'run'>;
  settings(): Settings;
  now(): number;
  /** The JSON check for a response_format, when it asks for JSON. */
  answerCheck(format: GatewayChatRequest['responseFormat']): AnswerCheck | undefined;
  tokenCounter?: TokenCounter;
  /** The client (token name) making this request, recorded with each of its calls. */
  client?: string;
}

const finishReasons = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  other: 'stop',
} as const;

/** The x-switchboard-* headers: who answered and how. */
/**
 * The longest a gateway call waits for a connection at its limit (or one that asked to wait) when
 * nothing else is left; longer, it answers 429 with Retry-After, which clients' SDKs retry by themselves.
 */
export const gatewayMaxWaitMs = 10_000;

export function progressHeaders(summary: CallSummary): Record<string, string> {
  const headers: Record<string, string> = {
    'x-switchboard-attempts': String(summary.attempts),
    'x-switchboard-fallbacks': String(summary.fallbacks),
  };
  if (summary.connectionId !== undefined) headers['x-switchboard-connection'] = summary.connectionId;
  if (summary.model !== undefined) headers['x-switchboard-model'] = safeHeaderValue(reportedModel(summary));
  if (summary.dropped.length > 0) headers['x-switchboard-dropped'] = summary.dropped.join(', ');
  return headers;
}

function usageBody(summary: CallSummary) {
  if (!summary.usage) return undefined;
  const { inputTokens, outputTokens } = summary.usage;
  return { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
}

/** The call spec for a request: its route (from the virtual model) and the prompt with its limits. */
export function buildCallSpec(
  chat: GatewayChatRequest,
  settings: Settings,
  signal: AbortSignal,
  options: {
    answerCheck?: AnswerCheck | undefined;
    tokenCounter?: TokenCounter | undefined;
    localOnlyHeader?: string | string[] | undefined;
  } = {},
): CallSpec & { localOnlyReason: string | null } {
  const resolved = resolveVirtualModel(chat.model, settings);
  if (!resolved) {
    throw new GatewayHttpError(
      appError(
        'model_not_found',
        `There is no model "${chat.model}" here. Use switchboard/primary, agent/<name>, tier/<id>, route/<id> or <connection>/<model>; GET /v1/models lists them.`,
      ),
      404,
      'model',
    );
  }
  const { agent } = resolved;
  const localOnly = localOnlyReason(resolved, settings, options.localOnlyHeader);
  // The caller's own system prompt wins; an agent's applies when the caller sends none.
  const system = chat.system ?? (agent?.systemPrompt.trim() ? agent.systemPrompt : undefined);
  const call: ExecutionRequest = {
    messages: chat.messages,
    signal,
    rejectEmpty: true,
    // Nothing has reached a non-streaming client yet, so a broken stream can go on elsewhere unseen.
    continueAfterInterruption: !chat.stream,
    maxRetryAfterMs: gatewayMaxWaitMs,
  };
  if (system !== undefined) call.system = system;
  if (chat.temperature !== undefined) call.temperature = chat.temperature;
  if (chat.maxOutputTokens !== undefined) call.maxOutputTokens = chat.maxOutputTokens;
  if (chat.responseFormat !== undefined) call.responseFormat = chat.responseFormat;
  if (chat.tools !== undefined) call.tools = chat.tools;
  if (chat.toolChoice !== undefined) call.toolChoice = chat.toolChoice;
  if (chat.parallelToolCalls !== undefined) call.parallelToolCalls = chat.parallelToolCalls;
  if (chat.parameters !== undefined) call.parameters = chat.parameters;
  if (agent?.latencyBudgetMs != null) call.firstTokenTimeoutMs = agent.latencyBudgetMs;

  const primaryModel = resolved.route.kind === 'chat' ? primaryModelChoice(settings, chat.messages) : undefined;
  // Counted exactly only where the model is known before routing; elsewhere estimated with a margin.
  const countedModel =
    resolved.route.override?.model ??
    (resolved.route.kind === 'chat'
      ? (primaryModel?.model ?? settings.connections.find((connection) => connection.id === settings.primaryConnectionId)?.defaultModel)
      : undefined);
  const estimateRequest = {
    messages: chat.messages,
    ...(system !== undefined ? { system } : {}),
    ...(countedModel ? { model: countedModel } : {}),
  };
  const route: RouteRequest = {
    ...resolved.route,
    needs: requiredCapabilities({
      messages: chat.messages,
      ...(chat.responseFormat ? { responseFormat: chat.responseFormat } : {}),
      usesTools: (chat.tools?.length ?? 0) > 0,
    }),
    estimatedInputTokens: estimateInputTokens(estimateRequest, countedModel ? options.tokenCounter : undefined),
    localOnly: localOnly !== null,
  };
  if (primaryModel) route.primaryModel = primaryModel;
  const spec: CallSpec & { localOnlyReason: string | null } = { source: 'gateway', route, call, localOnlyReason: localOnly };
  if (agent) spec.agent = agent.name;
  if (options.answerCheck) spec.validateAnswer = options.answerCheck;
  return spec;
}

/** A complete JSON answer with its length, so keep-alive clients know where it ends. */
export function sendJson(response: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Answers a failed call before anything was sent: OpenAI's error shape with our code. */
export function sendError(
  response: ServerResponse,
  headers: Record<string, string>,
  error: AppError,
  status = httpStatusFor(error),
  param?: string,
): void {
  if (response.headersSent || response.destroyed) return;
  sendJson(response, status, { ...headers, ...retryAfterHeaders(error) }, openAIErrorBody(error, status, param));
}

/**
 * POST /v1/chat/completions: validates the body, routes it like any call (source "gateway") and
 * answers as OpenAI would, plainly or as server-sent events. Closing the connection cancels the call.
 */
export async function handleChatCompletions(
  context: ChatCompletionsContext,
  body: unknown,
  response: ServerResponse,
  headers: Record<string, string>,
  signal: AbortSignal,
  requestHeaders: Readonly<Record<string, string | string[] | undefined>> = {},
): Promise<void> {
  const chat = parseChatRequest(body);
  const settings = context.settings();
  const { localOnlyReason: localReason, ...spec } = buildCallSpec(chat, settings, signal, {
    // Streamed or not, the answer is checked at its end; a streamed one has reached the client by
    // then, so it is not escalated but ends with an error event naming the failure.
    answerCheck: context.answerCheck(chat.responseFormat),
    tokenCounter: context.tokenCounter,
    localOnlyHeader: requestHeaders[LOCAL_ONLY_HEADER],
  });
  if (context.client) spec.client = context.client;
  const events = localReason === null ? context.runner.run(spec) : keepLocal(context.runner.run(spec), localReason);
  const identity = { id: `chatcmpl-${randomUUID().replaceAll('-', '')}`, created: Math.floor(context.now() / 1000) };
  if (chat.stream) await streamAnswer(events, chat, identity, response, headers);
  else await plainAnswer(events, identity, response, headers);
}

type Identity = { id: string; created: number };

function openAIToolCall(call: ToolCall) {
  return { id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } };
}

/** Sources in Perplexity's own fields (`citations` URLs, `search_results` details), which clients already read. */
function sourceFields(sources: readonly AnswerSource[] | undefined): Record<string, unknown> {
  if (!sources || sources.length === 0) return {};
  return {
    citations: sources.map((source) => source.url),
    search_results: sources.map((source) => ({
      title: source.title ?? source.url,
      url: source.url,
      ...(source.date ? { date: source.date } : {}),
      ...(source.snippet ? { snippet: source.snippet } : {}),
    })),
  };
}

/** One streamed tool-call piece in OpenAI's delta shape: id, type and name first, then argument text. */
function toolCallDelta(event: Extract<ExecutionEvent, { type: 'tool-call-delta' }>): string {
  const call: Record<string, unknown> = { index: event.index };
  if (event.id !== undefined) {
    call['id'] = event.id;
    call['type'] = 'function';
  }
  call['function'] = { ...(event.name !== undefined ? { name: event.name } : {}), arguments: event.argumentsDelta };
  return JSON.stringify({ tool_calls: [call] });
}

/** A local-only call's failures, told as local_unavailable rather than as a backend's error. */
export async function* keepLocal(events: AsyncIterable<ExecutionEvent>, reason: string): AsyncGenerator<ExecutionEvent> {
  for await (const event of events) {
    yield event.type === 'error' ? { ...event, error: localOnlyFailure(event.error, reason) } : event;
  }
}

async function plainAnswer(
  events: AsyncIterable<ExecutionEvent>,
  identity: Identity,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const progress = emptySummary();
  // The answer goes out on the finish event; the runner then still writes the call log, which the
  // client need not wait for.
  for await (const event of events) {
    summarizeEvent(progress, event);
    if (response.headersSent || response.destroyed) continue;
    if (event.type === 'error') sendError(response, { ...headers, ...progressHeaders(progress) }, event.error);
    if (event.type !== 'finish') continue;
    const usage = usageBody(progress);
    sendJson(
      response,
      200,
      { ...headers, ...progressHeaders(progress) },
      {
        id: identity.id,
        object: 'chat.completion',
        created: identity.created,
        model: reportedModel(progress),
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: event.text.length > 0 || !event.toolCalls ? event.text : null,
              refusal: null,
              annotations: [],
              ...(event.toolCalls ? { tool_calls: event.toolCalls.map(openAIToolCall) } : {}),
            },
            logprobs: null,
            finish_reason: finishReasons[event.finishReason],
          },
        ],
        ...(usage ? { usage } : {}),
        system_fingerprint: null,
        ...sourceFields(event.sources),
      },
    );
  }
  sendError(response, { ...headers, ...progressHeaders(progress) }, appError('internal', 'The call ended without an answer'));
}

async function streamAnswer(
  events: AsyncIterable<ExecutionEvent>,
  chat: GatewayChatRequest,
  identity: Identity,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const progress = emptySummary();
  // Built once the first token is ready, when the model that streams is known.
  let prefix = '';
  const usageField = chat.includeUsage ? ',"usage":null' : '';
  const chunk = (delta: string, finishReason: string | null): string =>
    `data: ${prefix},"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finishReason === null ? 'null' : JSON.stringify(finishReason)}}]${usageField}}\n\n`;
  const write = (text: string): void => {
    if (!response.destroyed) response.write(text);
  };
  // Headers go out with the first token: failover before it stays invisible, and the headers
  // can name the connection that actually streams.
  const start = (firstText: string): void => {
    prefix = `{"id":${JSON.stringify(identity.id)},"object":"chat.completion.chunk","created":${identity.created},"model":${JSON.stringify(reportedModel(progress))},"system_fingerprint":null`;
    response.writeHead(200, {
      ...headers,
      ...progressHeaders(progress),
      ...eventStreamHeaders,
    });
    write(
      chunk('{"role":"assistant","content":"","refusal":null}', null) +
        (firstText ? chunk(`{"content":${JSON.stringify(firstText)}}`, null) : ''),
    );
  };
  const fail = (error: AppError): void => {
    if (!response.headersSent) {
      sendError(response, { ...headers, ...progressHeaders(progress) }, error);
      return;
    }
    // After tokens were shown a failure must never look like success: an error event and no
    // [DONE], which the openai SDKs raise as an APIError during iteration.
    const body = openAIErrorBody(error, httpStatusFor(error));
    write(`data: ${JSON.stringify(body)}\n\n`);
    if (!response.destroyed) response.end();
  };

  await relayEvents(
    events,
    progress,
    response,
    (event) => {
      switch (event.type) {
        case 'text-delta':
          if (!response.headersSent) start(event.text);
          else write(chunk(`{"content":${JSON.stringify(event.text)}}`, null));
          break;
        case 'tool-call-delta':
          if (!response.headersSent) start('');
          write(chunk(toolCallDelta(event), null));
          break;
        case 'finish': {
          if (!response.headersSent) start('');
          const sources = sourceFields(event.sources);
          let tail = chunk('{}', finishReasons[event.finishReason]);
          if (Object.keys(sources).length > 0) tail = `${tail.slice(0, -3)},${JSON.stringify(sources).slice(1)}\n\n`;
          const usage = usageBody(progress);
          if (chat.includeUsage && usage) tail += `data: ${prefix},"choices":[],"usage":${JSON.stringify(usage)}}\n\n`;
          write(`${tail}data: [DONE]\n\n`);
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
