import type { BrowserWindow } from 'electron';
import type { EventChannel, EventContract } from '../../src-shared/contract/ipc-contract';

export type EventSender = <E extends EventChannel>(channel: E, payload: EventContract[E]) => void;

/** Typed main -> renderer events; dropped quietly while no window is open. */
export function createEventSender(getWindow: () => BrowserWindow | null): EventSender {
  return (channel, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  };
}

type StreamedTextChannel = 'app:chat.delta' | 'app:tasks.delta';

/**
 * The channels that carry streamed text, each with the stream an event continues; null for an event that
 * must go as it is (a loading marker, a reset).
 */
const streamOf: { [C in StreamedTextChannel]: (event: EventContract[C]) => string | null } = {
  'app:chat.delta': (event) => (event.loading === undefined ? `${event.conversationId}\u0000${event.messageId}` : null),
  'app:tasks.delta': (event) => (event.reset ? null : event.taskId),
};

function isStreamedText(channel: EventChannel): channel is StreamedTextChannel {
  return channel in streamOf;
}

/** How long streamed text waits for the tokens after it: about one frame. */
export const STREAMED_TEXT_WAIT_MS = 16;

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Streamed text goes to the window about once a frame instead of once per token: a provider streams
 * hundreds of tokens a second, and each IPC message wakes the window's main thread, which paints the
 * answer at most every 50 ms anyway. Consecutive pieces of one stream are joined; every other event
 * first sends what is waiting, so the window sees everything in the order main sent it.
 */
export function coalesceStreamedText(send: EventSender, timers: Timers = realTimers): EventSender {
  let pending: Array<{ channel: StreamedTextChannel; payload: EventContract[StreamedTextChannel]; stream: string | null }> = [];
  let timer: unknown = null;
  const flush = () => {
    if (timer !== null) timers.clear(timer);
    timer = null;
    const waiting = pending;
    pending = [];
    for (const entry of waiting) send(entry.channel, entry.payload);
  };
  return (channel, payload) => {
    if (!isStreamedText(channel)) {
      flush();
      send(channel, payload);
      return;
    }
    const event = payload as EventContract[StreamedTextChannel];
    const stream = (streamOf[channel] as (event: EventContract[StreamedTextChannel]) => string | null)(event);
    const last = pending.at(-1);
    if (stream !== null && last && last.channel === channel && last.stream === stream) {
      last.payload = { ...last.payload, text: last.payload.text + event.text };
    } else {
      pending.push({ channel, payload: event, stream });
    }
    timer ??= timers.set(flush, STREAMED_TEXT_WAIT_MS);
  };
}
