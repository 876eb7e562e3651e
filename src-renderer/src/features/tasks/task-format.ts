// Words for tasks: statuses, money, durations, and the route trace as a readable timeline.
import type { ErrorCode } from '../../../../src-shared/errors/app-error';
import { errorTraits } from '../../../../src-shared/errors/error-traits';
import { answerSourceSchema, type AnswerSource } from '../../../../src-shared/schemas/chat-message';
import type { ExecutionEvent } from '../../../../src-shared/schemas/execution-event';
import type { StoredTask, TaskStatus, TaskTraceEvent } from '../../../../src-shared/schemas/stored-task';
import { formatTimeOfDay } from '../../lib/date-time';
import { formatDuration } from '../../lib/duration';
import { formatUsd } from '../../lib/money';
import { sourceWord } from '../routing/source-words';

export const statusWords: Record<TaskStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  escalated: 'Escalated',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export { formatBytes } from '../../lib/image-attachments';

export function firstLine(text: string): string {
  return text.trim().split('\n', 1)[0] ?? '';
}

/** Short noun phrases that follow "Claude: ". */
export const errorPhrase = (code: ErrorCode) => errorTraits[code].phrase;

export type TimelineTone = 'info' | 'retry' | 'warn' | 'error' | 'ok' | 'quiet';

export interface TimelineEntry {
  key: string;
  at: number;
  tone: TimelineTone;
  text: string;
  /** Secondary words (the provider's own message, a caveat). */
  detail?: string;
  /** The first entry of a later run (after Run again, or after a pause). */
  startsRun?: boolean;
  /** An attempt starts here: the entries after it, up to the next, belong to it. */
  startsAttempt?: boolean;
  /** A local model load that has not finished yet (as of the last event): the timeline counts its seconds. */
  loading?: boolean;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * Turns a task's trace into sentences: "Tried Claude · claude-sonnet-4-6 (agent rule)",
 * "Claude: rate limited — retrying in 1.2 s", "Continued on DeepSeek because Claude is unavailable",
 * "Answered by DeepSeek · deepseek-chat in 2 attempts".
 */
export function describeTrace(trace: readonly TaskTraceEvent[], connectionName: (id: string) => string | undefined): TimelineEntry[] {
  const names = new Map<string, string>();
  const nameOf = (id: string) => names.get(id) ?? connectionName(id) ?? id;
  const entries: TimelineEntry[] = [];
  let seenAttempt = false;
  trace.forEach((raw, index) => {
    const event = raw as unknown as ExecutionEvent & { at: number };
    const base = { key: `${index}`, at: raw.at };
    switch (event.type) {
      case 'attempt-start': {
        names.set(event.connectionId, event.connectionName);
        const startsRun = seenAttempt && event.candidateIndex === 0 && event.attempt === 1;
        seenAttempt = true;
        const target = `${event.connectionName} · ${event.model}`;
        const text =
          event.attempt > 1 ? `Tried ${target} again (attempt ${event.attempt})` : `Tried ${target} (${sourceWord(event.source)})`;
        entries.push({ ...base, tone: 'info', text, startsAttempt: true, ...(startsRun ? { startsRun } : {}) });
        return;
      }
      case 'attempt-error': {
        const name = nameOf(event.connectionId);
        const what = errorPhrase(event.error.code);
        const text = event.willRetry
          ? `${name}: ${what} — retrying${event.retryInMs !== undefined ? ` in ${formatDuration(event.retryInMs)}` : ''}`
          : `${name}: ${what}`;
        entries.push({ ...base, tone: event.willRetry ? 'retry' : 'warn', text, detail: event.error.message });
        return;
      }
      case 'cool-off':
        names.set(event.connectionId, event.connectionName);
        entries.push({ ...base, tone: event.waiting ? 'retry' : 'quiet', text: event.message });
        return;
      case 'fallback': {
        names.set(event.to.connectionId, event.to.connectionName);
        names.set(event.from.connectionId, event.from.connectionName);
        const target = `${event.to.connectionName} · ${event.to.model}`;
        const text = event.escalation ? `Escalated to ${target} because ${event.reason}` : `Continued on ${target} because ${event.reason}`;
        entries.push({ ...base, tone: event.escalation ? 'warn' : 'retry', text });
        return;
      }
      case 'model-loading':
        names.set(event.connectionId, event.connectionName);
        entries.push({ ...base, tone: 'info', text: `Loading model ${event.model} on ${event.connectionName}`, loading: true });
        return;
      case 'model-loaded':
        entries.push({
          ...base,
          tone: 'quiet',
          text: `${nameOf(event.connectionId)} loaded ${event.model} in ${formatDuration(event.loadMs)}; the latency budget starts now`,
        });
        return;
      case 'stream-interrupted': {
        const name = nameOf(event.connectionId);
        const text = event.continuing
          ? `${name} stopped mid-answer; the answer starts over on the next provider`
          : `${name} stopped mid-answer; the answer is incomplete`;
        entries.push({ ...base, tone: 'warn', text, detail: event.error.message });
        return;
      }
      case 'usage': {
        const cost = event.costUsd !== undefined ? ` · ${formatUsd(event.costUsd)}` : '';
        entries.push({
          ...base,
          tone: 'quiet',
          text: `${nameOf(event.connectionId)} used ${event.inputTokens.toLocaleString()} input and ${event.outputTokens.toLocaleString()} output tokens${cost}`,
        });
        return;
      }
      case 'finish': {
        const name = nameOf(event.connectionId);
        const cut =
          event.finishReason === 'length'
            ? ' — cut at the output token limit'
            : event.finishReason === 'content_filter'
              ? ' — stopped by the content filter'
              : '';
        const details: string[] = [];
        if (event.escalatedFrom)
          details.push(`After escalating from ${event.escalatedFrom.connectionName} · ${event.escalatedFrom.model}.`);
        if (event.interrupted) details.push('An earlier provider stopped mid-answer; this answer was written from the start.');
        entries.push({
          ...base,
          tone: 'ok',
          text: `Answered by ${name} · ${event.modelVersion ?? event.model} in ${plural(event.attempts, 'attempt')}${cut}`,
          ...(details.length ? { detail: details.join(' ') } : {}),
        });
        return;
      }
      case 'error': {
        if (event.error.code === 'aborted') {
          entries.push({ ...base, tone: 'quiet', text: 'Cancelled' });
          return;
        }
        const text =
          event.error.code === 'no_candidates'
            ? `Nothing healthy to run on: ${event.error.message}`
            : `Stopped after ${plural(event.attempts, 'attempt')}: ${errorPhrase(event.error.code)}`;
        entries.push({ ...base, tone: 'error', text, ...(event.error.code === 'no_candidates' ? {} : { detail: event.error.message }) });
        return;
      }
      default:
        // response-metadata and anything newer: the finish line already names the model version.
        return;
    }
  });
  // Only a load the trace has not moved past is still going.
  entries.forEach((entry, index) => {
    if (entry.loading && index !== entries.length - 1) delete entry.loading;
  });
  return entries;
}

/** The provider the task is on right now: the last attempt in its trace. */
export function currentAttempt(trace: readonly TaskTraceEvent[]): { connectionName: string; model: string } | null {
  for (let index = trace.length - 1; index >= 0; index -= 1) {
    const event = trace[index] as unknown as ExecutionEvent;
    if (event.type === 'attempt-start') return { connectionName: event.connectionName, model: event.model };
  }
  return null;
}

/**
 * Why a paused task waits, in plain words: "Waiting for Claude or DeepSeek to recover". The runner appends
 * the last error in brackets; that error is shown on its own, so it is left out here.
 */
export function pausedWords(task: Pick<StoredTask, 'pausedReason' | 'error'>): string {
  let reason = (task.pausedReason ?? 'Waiting for a healthy provider').trim();
  const message = task.error?.message;
  if (message && reason.endsWith(`(${message})`)) reason = reason.slice(0, -message.length - 2).trim();
  return reason.replace(/\.$/, '');
}

/** One sentence under the status badge: what the task is doing or why it stopped. */
export function statusSentence(task: StoredTask, trace: readonly TaskTraceEvent[]): string {
  switch (task.status) {
    case 'queued':
      return 'Waiting to start: it begins as soon as a slot is free.';
    case 'running': {
      const current = currentAttempt(trace);
      return current ? `Running on ${current.connectionName} · ${current.model}.` : 'Starting…';
    }
    case 'escalated': {
      const current = currentAttempt(trace);
      return `The first answer was not good enough: trying again on a stronger provider${current ? ` (${current.connectionName} · ${current.model})` : ''}.`;
    }
    case 'paused':
      return `${pausedWords(task)}. It goes on by itself when a provider recovers; Test connection in Settings checks at once.`;
    case 'done':
      return task.startedAt && task.finishedAt
        ? `Finished at ${formatTimeOfDay(task.finishedAt)} after ${formatDuration(task.finishedAt - task.startedAt)}.`
        : 'Finished.';
    case 'failed':
      return task.error?.message ?? 'The task failed.';
    case 'cancelled':
      return 'Cancelled. Run again starts it over.';
    case 'interrupted':
      return 'Switchboard closed while this task was running. Run again starts it over.';
  }
}

const sourcesSchema = answerSourceSchema.array();

/** The sources the provider cited for the task's answer: those of the last finish in its trace. */
export function answerSources(trace: readonly TaskTraceEvent[]): AnswerSource[] {
  for (let index = trace.length - 1; index >= 0; index -= 1) {
    const event = trace[index]!;
    if (event.type !== 'finish') continue;
    const parsed = sourcesSchema.safeParse(event['sources']);
    return parsed.success ? parsed.data : [];
  }
  return [];
}
