import type { AppError } from '../../src-shared/errors/app-error';
import { describeFailure } from '../../src-shared/errors/error-traits';
import type { ExecutionEvent } from '../../src-shared/schemas/execution-event';

type FinishEvent = Extract<ExecutionEvent, { type: 'finish' }>;

/** Who answered a call and how, read from its execution events (chat, tasks, the gateway and the log ask this). */
export interface CallSummary {
  /** Attempts started so far, across all candidates. */
  attempts: number;
  /** Moves to another candidate (escalations included). */
  fallbacks: number;
  /** The candidate of the latest attempt: the one that answered once the call is over. */
  connectionId: string | undefined;
  connectionName: string | undefined;
  /** The model asked for. */
  model: string | undefined;
  /** 1-based attempt on the current candidate, and its 0-based fallback position. */
  attempt: number;
  candidateIndex: number;
  /** The model version the provider reported for the latest attempt. */
  modelVersion: string | undefined;
  /** Tokens and cost of the latest attempt. */
  usage: { inputTokens: number; outputTokens: number; costUsd?: number } | undefined;
  /** Text the latest attempt streamed so far. */
  text: string;
  /** Text shown across all attempts (a broken stream's tokens included). */
  shownText: boolean;
  /** "Answered by X because Y", after a fallback. */
  fallbackNote: string | undefined;
  /** Why each move to another candidate happened, in order: "DeepSeek timed out". */
  handoffs: string[];
  /** What the latest attempt's provider could not take, so it was not sent. */
  dropped: string[];
  /** Set when the call finished with an answer. */
  finish: FinishEvent | undefined;
  /** Set when the call ended without one. */
  error: AppError | undefined;
}

export function emptySummary(): CallSummary {
  return {
    attempts: 0,
    fallbacks: 0,
    connectionId: undefined,
    connectionName: undefined,
    model: undefined,
    attempt: 0,
    candidateIndex: 0,
    modelVersion: undefined,
    usage: undefined,
    text: '',
    shownText: false,
    fallbackNote: undefined,
    handoffs: [],
    dropped: [],
    finish: undefined,
    error: undefined,
  };
}

/** Folds one event into the summary (in place: the gateway does this for every token). */
export function summarizeEvent(summary: CallSummary, event: ExecutionEvent): CallSummary {
  switch (event.type) {
    case 'attempt-start':
      summary.attempts += 1;
      summary.connectionId = event.connectionId;
      summary.connectionName = event.connectionName;
      summary.model = event.model;
      summary.attempt = event.attempt;
      summary.candidateIndex = event.candidateIndex;
      summary.modelVersion = undefined;
      summary.usage = undefined;
      summary.text = '';
      summary.dropped = [];
      break;
    case 'tool-call-delta':
      summary.shownText = true;
      break;
    case 'parameters-dropped':
      summary.dropped = [...new Set([...summary.dropped, ...event.names])];
      break;
    case 'text-delta':
      summary.text += event.text;
      summary.shownText = true;
      break;
    case 'response-metadata':
      if (event.modelVersion !== undefined) summary.modelVersion = event.modelVersion;
      break;
    case 'usage':
      summary.usage = {
        inputTokens: event.inputTokens,
        outputTokens: event.outputTokens,
        ...(event.costUsd !== undefined ? { costUsd: event.costUsd } : {}),
      };
      break;
    case 'fallback':
      summary.fallbacks += 1;
      summary.fallbackNote = `Answered by ${event.to.connectionName} because ${event.reason}`;
      summary.handoffs = [...summary.handoffs, event.reason];
      break;
    case 'finish':
      if (event.modelVersion !== undefined) summary.modelVersion = event.modelVersion;
      summary.attempts = event.attempts;
      summary.finish = event;
      break;
    case 'error':
      summary.error = event.error;
      break;
    default:
      break;
  }
  return summary;
}

/** The summary of a whole call's events. */
export function summarize(events: Iterable<ExecutionEvent>): CallSummary {
  const summary = emptySummary();
  for (const event of events) summarizeEvent(summary, event);
  return summary;
}

/**
 * How a call ended, in one line: "Answered by Claude after DeepSeek gave an empty answer",
 * "No answer: DeepSeek timed out, then Claude is unavailable". Undefined while it has not ended.
 */
export function outcomeLine(summary: CallSummary): string | undefined {
  const after = summary.handoffs.length > 0 ? ` after ${summary.handoffs.join(', then ')}` : '';
  if (summary.finish) {
    const retried = summary.attempt > 1 ? ` (on its ${ordinal(summary.attempt)} try)` : '';
    return `Answered by ${summary.connectionName ?? summary.finish.connectionId}${retried}${after}`;
  }
  const error = summary.error;
  if (!error) return undefined;
  if (error.code === 'aborted') return 'Cancelled before an answer';
  const last = summary.connectionName ? describeFailure(summary.connectionName, error.code) : error.message.replace(/\.$/, '');
  return `No answer: ${[...summary.handoffs, last].join(', then ')}`;
}

const ordinals = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];
const ordinal = (count: number) => ordinals[count - 1] ?? `${count}th`;

/** The model name to report: the version the provider gave, else the one asked for. */
export function reportedModel(summary: CallSummary): string {
  return summary.modelVersion ?? summary.model ?? 'unknown';
}
