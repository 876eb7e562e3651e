import { appError, toAppError, type AppError } from '../../src-shared/errors/app-error';
import type {
  AnswerSource,
  ChatMessage,
  ReasoningBlock,
  ResponseFormat,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../../src-shared/schemas/chat-message';
import type { ModelFacts } from '../../src-shared/schemas/connection';
import type { ExecutionEvent } from '../../src-shared/schemas/execution-event';
import type { RouteCandidate } from '../../src-shared/schemas/route-plan';
import { raceStep } from './backoff';
import { costUsd } from './limits';
import type { Clock, FinishReason, ModelRequest, PassThroughParameters, ProviderAdapter, ProviderStreamPart } from './ports';

/** The call as the executor runs it: the prompt plus its time limits and options. */
export interface ExecutionRequest {
  system?: string;
  messages: ChatMessage[];
  temperature?: number;
  responseFormat?: ResponseFormat;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  parameters?: PassThroughParameters;
  /** The caller's cap on output tokens; the smaller of this and the candidate's limit is sent. */
  maxOutputTokens?: number;
  /** Time to first token per attempt (the agent's latency budget); overrun fails over. */
  firstTokenTimeoutMs?: number | null;
  /** Longest silence allowed between stream parts. */
  idleTimeoutMs?: number | null;
  /** The whole call, every retry and fallback included. */
  totalTimeoutMs?: number | null;
  /** Cancels the call at any moment. */
  signal?: AbortSignal;
  /** Treat an answer with no text as a failure (empty_answer) and move on. */
  rejectEmpty?: boolean;
  /** After a stream broke mid-answer, go on with the next candidate instead of stopping. */
  continueAfterInterruption?: boolean;
  /** A Retry-After longer than this moves on to the next candidate instead of waiting. */
  maxRetryAfterMs?: number;
}

/** Why an attempt stopped, beyond the error itself: decides health and whether to go on. */
export type FailureCause = 'provider' | 'latency-budget' | 'idle' | 'deadline' | 'aborted' | 'missing-adapter';

/** How one attempt ended. */
export type AttemptResult =
  | {
      ok: true;
      text: string;
      toolCalls: ToolCall[];
      reasoning: ReasoningBlock[];
      sources: AnswerSource[];
      finishReason: FinishReason;
      modelVersion?: string;
      latencyMs: number;
      firstTokenMs?: number;
    }
  | { ok: false; error: AppError; cause: FailureCause; textShown: boolean };

/** What one attempt needs from outside. */
export interface AttemptPorts {
  clock: Clock;
  adapter: ProviderAdapter | undefined;
  facts: ModelFacts | undefined;
}

function seconds(ms: number): string {
  const value = ms / 1000;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} s`;
}

function smallest(...values: (number | undefined)[]): number | undefined {
  let result: number | undefined;
  for (const value of values) if (value !== undefined && (result === undefined || value < result)) result = value;
  return result;
}

/** The provider request for one candidate. */
export function modelRequestFor(candidate: RouteCandidate, request: ExecutionRequest, facts?: ModelFacts): ModelRequest {
  const modelRequest: ModelRequest = { model: candidate.model, messages: request.messages };
  if (facts?.runContextTokens !== undefined) modelRequest.contextTokens = facts.runContextTokens;
  if (request.system !== undefined) modelRequest.system = request.system;
  if (request.temperature !== undefined) modelRequest.temperature = request.temperature;
  if (request.responseFormat !== undefined) modelRequest.responseFormat = request.responseFormat;
  if (request.tools !== undefined && request.tools.length > 0) modelRequest.tools = request.tools;
  if (request.toolChoice !== undefined) modelRequest.toolChoice = request.toolChoice;
  if (request.parallelToolCalls !== undefined) modelRequest.parallelToolCalls = request.parallelToolCalls;
  if (request.parameters !== undefined) modelRequest.parameters = request.parameters;
  const maxOutputTokens = smallest(request.maxOutputTokens, candidate.maxOutputTokens);
  if (maxOutputTokens !== undefined) modelRequest.maxOutputTokens = maxOutputTokens;
  return modelRequest;
}

function timeoutError(cause: FailureCause, candidate: RouteCandidate, request: ExecutionRequest): AppError {
  const provider = candidate.connectionId;
  if (cause === 'latency-budget') {
    // A latency budget overrun fails over at once: retrying a slow provider spends the budget twice.
    return appError(
      'timeout',
      `${candidate.connectionName} sent nothing within the ${seconds(request.firstTokenTimeoutMs ?? 0)} latency budget`,
      {
        retryable: false,
        provider,
      },
    );
  }
  if (cause === 'idle') {
    return appError('timeout', `${candidate.connectionName} stopped sending for ${seconds(request.idleTimeoutMs ?? 0)}`, { provider });
  }
  return appError('timeout', `Gave up after ${seconds(request.totalTimeoutMs ?? 0)}, the time limit for this call`, {
    retryable: false,
    fallbackable: false,
  });
}

/**
 * Runs one attempt on one candidate, yielding its text, metadata and usage as they arrive and
 * returning how it ended. Each wait for the next stream part races the applicable time limit;
 * when a limit or the caller's cancel wins, the attempt's own signal aborts the adapter.
 */
export async function* runAttempt(
  candidate: RouteCandidate,
  request: ExecutionRequest,
  ports: AttemptPorts,
  deadline: number,
): AsyncGenerator<ExecutionEvent, AttemptResult> {
  const { clock, adapter } = ports;
  const startedAt = clock.now();
  // The latency budget counts from here, or from the end of a local model's load.
  let budgetFrom = startedAt;
  let loading = false;
  if (!adapter) {
    const error = appError('provider_unavailable', `${candidate.connectionName} is not connected`, {
      provider: candidate.connectionId,
      retryable: false,
    });
    return { ok: false, error, cause: 'missing-adapter', textShown: false };
  }
  const controller = new AbortController();
  const callerSignal = request.signal;
  const cancel = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', cancel, { once: true });

  let iterator: AsyncIterator<ProviderStreamPart> | undefined;
  let text = '';
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningBlock[] = [];
  const sources: AnswerSource[] = [];
  let firstTokenAt: number | undefined;
  let finishReason: FinishReason = 'other';
  let modelVersion: string | undefined;
  let streamEnded = false;
  const stop = (): void => {
    controller.abort();
    // Not awaited: an adapter that ignores its signal must not hold the call hostage.
    const closing = iterator?.return?.();
    if (closing) closing.then(undefined, () => undefined);
  };
  const failed = (error: AppError, cause: FailureCause): AttemptResult => ({
    ok: false,
    error,
    cause,
    textShown: text.length > 0 || toolCalls.length > 0,
  });

  try {
    iterator = adapter.stream(modelRequestFor(candidate, request, ports.facts), { signal: controller.signal })[Symbol.asyncIterator]();
    for (;;) {
      const now = clock.now();
      let waitMs: number | null = null;
      let cause: FailureCause = 'idle';
      if (loading) {
        // Loading is not failing: only the call's overall limit applies while a model loads.
      } else if (firstTokenAt === undefined && request.firstTokenTimeoutMs != null) {
        waitMs = budgetFrom + request.firstTokenTimeoutMs - now;
        cause = 'latency-budget';
      } else if (request.idleTimeoutMs != null) {
        waitMs = request.idleTimeoutMs;
      }
      if (deadline !== Infinity && (waitMs === null || deadline - now <= waitMs)) {
        waitMs = deadline - now;
        cause = 'deadline';
      }
      const step =
        waitMs !== null && waitMs <= 0 ? ({ kind: 'timeout' } as const) : await raceStep(iterator.next(), waitMs, clock, callerSignal);
      if (step.kind === 'aborted' || (step.kind === 'thrown' && callerSignal?.aborted)) {
        return failed(appError('aborted', 'Cancelled'), 'aborted');
      }
      if (step.kind === 'timeout') {
        return failed(timeoutError(cause, candidate, request), cause);
      }
      if (step.kind === 'thrown') return failed(toAppError(step.error), 'provider');
      if (step.value.done) {
        streamEnded = true;
        break;
      }
      const part = step.value.value;
      switch (part.type) {
        case 'text-delta':
          if (part.text.length === 0) break;
          firstTokenAt ??= clock.now();
          text += part.text;
          yield { type: 'text-delta', text: part.text };
          break;
        case 'tool-call-delta': {
          firstTokenAt ??= clock.now();
          const { index, id, name, argumentsDelta } = part.delta;
          const call = (toolCalls[index] ??= { id: '', name: '', arguments: '' });
          if (id) call.id = id;
          if (name) call.name = name;
          call.arguments += argumentsDelta;
          yield {
            type: 'tool-call-delta',
            index,
            ...(id ? { id } : {}),
            ...(name ? { name } : {}),
            argumentsDelta,
          };
          break;
        }
        case 'reasoning':
          reasoning.push(part.block);
          break;
        case 'sources':
          sources.push(...part.sources);
          break;
        case 'dropped':
          if (part.names.length > 0) yield { type: 'parameters-dropped', connectionId: candidate.connectionId, names: part.names };
          break;
        case 'response-metadata':
          if (part.modelVersion !== undefined) {
            modelVersion = part.modelVersion;
            yield { type: 'response-metadata', connectionId: candidate.connectionId, modelVersion };
          }
          break;
        case 'usage': {
          const cost = costUsd(part, ports.facts);
          yield {
            type: 'usage',
            connectionId: candidate.connectionId,
            model: candidate.model,
            inputTokens: part.inputTokens,
            outputTokens: part.outputTokens,
            ...(part.cacheReadTokens ? { cacheReadTokens: part.cacheReadTokens } : {}),
            ...(part.cacheWriteTokens ? { cacheWriteTokens: part.cacheWriteTokens } : {}),
            ...(cost === null ? {} : { costUsd: cost }),
          };
          break;
        }
        case 'finish':
          finishReason = part.reason;
          break;
        case 'model-loading':
          loading = true;
          yield {
            type: 'model-loading',
            connectionId: candidate.connectionId,
            connectionName: candidate.connectionName,
            model: candidate.model,
          };
          break;
        case 'model-loaded':
          loading = false;
          budgetFrom = clock.now();
          yield { type: 'model-loaded', connectionId: candidate.connectionId, model: candidate.model, loadMs: part.loadMs };
          break;
      }
    }
  } catch (error) {
    // stream() itself threw before yielding an iterator.
    return failed(toAppError(error), callerSignal?.aborted ? 'aborted' : 'provider');
  } finally {
    callerSignal?.removeEventListener('abort', cancel);
    // Also reached when our consumer stops iterating mid-stream: the provider call must end too.
    if (!streamEnded) stop();
  }
  const result: AttemptResult = {
    ok: true,
    text,
    // A sparse index (a provider skipping one) must not leave holes.
    toolCalls: toolCalls.filter(Boolean),
    reasoning,
    sources,
    finishReason,
    latencyMs: clock.now() - startedAt,
  };
  if (modelVersion !== undefined) result.modelVersion = modelVersion;
  if (firstTokenAt !== undefined) result.firstTokenMs = firstTokenAt - startedAt;
  return result;
}
