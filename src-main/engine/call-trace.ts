import type { ExecutionEvent } from '../../src-shared/schemas/execution-event';
import type { TaskTraceEvent } from '../../src-shared/schemas/stored-task';

/**
 * One line of a call's stored trace (a task's timeline, an answer's "Why this provider?"): the event and
 * when it happened, without the streamed text, which the answer itself keeps.
 */
export function traceEntry(event: ExecutionEvent, at: number): TaskTraceEvent | null {
  if (event.type === 'text-delta') return null;
  if (event.type === 'finish') {
    const { text: _text, ...rest } = event;
    return { at, ...rest };
  }
  return { at, ...event };
}
