// What every streamed gateway answer does at its edges, whichever wire format it speaks.
import type { ServerResponse } from 'node:http';
import { appError, toAppError, type AppError } from '../../src-shared/errors/app-error';
import type { ExecutionEvent } from '../../src-shared/schemas/execution-event';
import { summarizeEvent, type CallSummary } from '../engine/call-summary';

/** Server-sent events' response headers, beside the call's own. */
export const eventStreamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

/**
 * Hands each of a call's events to `write` after adding it to `progress`. Every event is read, even
 * after the client went away (the runner sees the abort and logs the call); a thrown error is failed
 * like an error event; a call that ends with the response still open is an internal error.
 */
export async function relayEvents(
  events: AsyncIterable<ExecutionEvent>,
  progress: CallSummary,
  response: ServerResponse,
  write: (event: ExecutionEvent) => void,
  fail: (error: AppError) => void,
): Promise<void> {
  try {
    for await (const event of events) {
      summarizeEvent(progress, event);
      if (!response.destroyed) write(event);
    }
  } catch (error) {
    fail(toAppError(error));
  }
  if (!response.writableEnded && !response.destroyed) fail(appError('internal', 'The call ended without an answer'));
}
