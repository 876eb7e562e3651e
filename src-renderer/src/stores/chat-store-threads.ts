// Loaded messages per conversation and the answers streaming into them.
import type { Result } from '../../../src-shared/errors/app-error';
import type { ChatDeltaEvent, ChatMessageView, ChatSendResult } from '../../../src-shared/schemas/chat-ipc';
import type { StoredMessage } from '../../../src-shared/schemas/stored-conversation';
import { api } from '../lib/api-client';
import { emptyThread, PAGE_SIZE, type ChatState, type GetChat, type SetChat, type Thread, type ThreadsSlice } from './chat-store-types';

/** Streamed text is shown at most this often: 20 times a second reads as smooth, and leaves frames free. */
const STREAM_PAINT_MS = 50;

/** A finished message never goes back to an older, still-streaming copy of itself (events and replies race). */
function isFresher(existing: StoredMessage | undefined, incoming: StoredMessage): boolean {
  if (!existing) return true;
  if (incoming.updatedAt !== existing.updatedAt) return incoming.updatedAt > existing.updatedAt;
  return !(existing.status !== 'streaming' && incoming.status === 'streaming');
}

/** Inserts `id` keeping ids in sequence order; new messages almost always go at the end. */
function insertId(ids: number[], messages: Record<number, StoredMessage>, message: StoredMessage): number[] {
  if (ids.includes(message.id)) return ids;
  let index = ids.length;
  while (index > 0 && (messages[ids[index - 1] as number]?.sequence ?? 0) > message.sequence) index -= 1;
  return [...ids.slice(0, index), message.id, ...ids.slice(index)];
}

export function isStreaming(state: Pick<ChatState, 'threads' | 'messages'>, conversationId: string | null): boolean {
  return streamingMessageId(state, conversationId) !== null;
}

/** The answer still arriving in a conversation: always one of its last messages. */
export function streamingMessageId(state: Pick<ChatState, 'threads' | 'messages'>, conversationId: string | null): number | null {
  const ids = conversationId ? state.threads[conversationId]?.ids : undefined;
  if (!ids) return null;
  for (let index = ids.length - 1; index >= Math.max(0, ids.length - 3); index -= 1) {
    const id = ids[index] as number;
    if (state.messages[id]?.status === 'streaming') return id;
  }
  return null;
}

/** What the other slices do to threads: the store's own operations, not actions a component calls. */
export interface ThreadOperations {
  /** Shows a failure in the chat pane's banner. */
  fail(what: string, result: Extract<Result<unknown>, { ok: false }>): void;
  updateThread(conversationId: string, change: (thread: Thread) => Thread): void;
  onDelta(event: ChatDeltaEvent): void;
  onMessage(view: ChatMessageView): void;
  loadNewest(conversationId: string): Promise<void>;
  /** Shows what main answered for send/edit/regenerate/retry. */
  applyAnswer(conversationId: string, result: Result<ChatSendResult>, what: string, dropFromSequence?: number): boolean;
}

export function createThreadOperations(set: SetChat, get: GetChat): ThreadOperations {
  // Deltas arrive hundreds of times a second; they are applied at most once per STREAM_PAINT_MS, in
  // an animation frame. Each application re-renders, lays out and paints the answer, so pacing it
  // keeps frames free for scrolling and typing while the text still arrives smoothly to the eye.
  const pendingDeltas = new Map<number, string>();
  /** The flush waiting to run, or null; a timer or frame callback of an earlier one does nothing. */
  let scheduled: object | null = null;
  let lastFlushAt = -Infinity;
  const flushDeltas = () => {
    scheduled = null;
    if (pendingDeltas.size === 0) return;
    lastFlushAt = performance.now();
    const { streamingText, messages } = get();
    const next = { ...streamingText };
    for (const [id, text] of pendingDeltas) {
      const stored = messages[id];
      const base = next[id] ?? (stored?.status === 'streaming' ? stored.content : '');
      next[id] = base + text;
    }
    pendingDeltas.clear();
    set({ streamingText: next });
  };
  const scheduleFlush = () => {
    if (scheduled) return;
    const flush = {};
    scheduled = flush;
    const runIfCurrent = () => {
      if (scheduled === flush) flushDeltas();
    };
    const wait = Math.max(0, lastFlushAt + STREAM_PAINT_MS - performance.now());
    const inFrame = () => requestAnimationFrame(runIfCurrent);
    if (wait > 0) setTimeout(inFrame, wait);
    else inFrame();
    // A hidden window gets no animation frames; the timer makes sure the text still lands. It belongs to
    // this flush only: once the frame has flushed, it must not flush the next one early, outside a frame.
    setTimeout(runIfCurrent, wait + 100);
  };

  const fail: ThreadOperations['fail'] = (what, result) => {
    set({ error: `${what}: ${result.error.message}` });
  };

  /** Puts messages into the store and, when their conversation is loaded, into its thread. */
  const upsertMessages = (incoming: StoredMessage[], options: { dropFromSequence?: { conversationId: string; sequence: number } } = {}) => {
    const state = get();
    const messages = { ...state.messages };
    const threads = { ...state.threads };
    const streamingText = { ...state.streamingText };
    const drop = options.dropFromSequence;
    if (drop && threads[drop.conversationId]) {
      const thread = threads[drop.conversationId] as Thread;
      const kept = thread.ids.filter((id) => (messages[id]?.sequence ?? 0) < drop.sequence);
      for (const id of thread.ids) if (!kept.includes(id)) delete messages[id];
      threads[drop.conversationId] = { ...thread, ids: kept, totalCount: thread.totalCount - (thread.ids.length - kept.length) };
    }
    for (const message of incoming) {
      if (isFresher(messages[message.id], message)) messages[message.id] = message;
      if (message.status !== 'streaming') delete streamingText[message.id];
      if (message.status !== 'streaming' && state.loadingModel[message.id]) {
        const { [message.id]: _finished, ...rest } = get().loadingModel;
        set({ loadingModel: rest });
      }
      const thread = threads[message.conversationId];
      if (thread && !thread.ids.includes(message.id)) {
        threads[message.conversationId] = { ...thread, ids: insertId(thread.ids, messages, message), totalCount: thread.totalCount + 1 };
      }
    }
    set({ messages, threads, streamingText });
  };

  const updateThread = (conversationId: string, change: (thread: Thread) => Thread) => {
    const threads = get().threads;
    set({ threads: { ...threads, [conversationId]: change(threads[conversationId] ?? emptyThread) } });
  };

  return {
    fail,
    updateThread,
    onDelta({ messageId, text, loading }) {
      if (loading !== undefined) {
        const loadingModel = { ...get().loadingModel };
        if (loading) loadingModel[messageId] = loading;
        else delete loadingModel[messageId];
        set({ loadingModel });
      }
      if (!text) return;
      pendingDeltas.set(messageId, (pendingDeltas.get(messageId) ?? '') + text);
      scheduleFlush();
    },
    onMessage(view) {
      flushDeltas();
      if (!get().threads[view.message.conversationId]) return;
      upsertMessages([view.message]);
      set({ retryOn: { ...get().retryOn, [view.message.id]: view.retryOn } });
    },
    async loadNewest(conversationId) {
      updateThread(conversationId, (thread) => ({ ...thread, loading: true, error: null }));
      const result = await api.chat.messages({ conversationId, limit: PAGE_SIZE });
      if (!result.ok) {
        updateThread(conversationId, (thread) => ({ ...thread, loading: false, error: result.error.message }));
        return;
      }
      const { messages: page, hasOlder, totalCount } = result.value;
      const state = get();
      const messages = { ...state.messages };
      for (const message of page) if (isFresher(messages[message.id], message)) messages[message.id] = message;
      const ids = page.map((message) => message.id);
      set({
        messages,
        retryOn: { ...state.retryOn, ...result.value.retryOn },
        threads: { ...state.threads, [conversationId]: { ids, hasOlder, totalCount, loading: false, loadingOlder: false, error: null } },
      });
    },
    applyAnswer(conversationId, result, what, dropFromSequence) {
      if (!result.ok) {
        fail(what, result);
        return false;
      }
      flushDeltas();
      upsertMessages(
        [result.value.userMessage, result.value.assistantMessage],
        dropFromSequence === undefined ? {} : { dropFromSequence: { conversationId, sequence: dropFromSequence } },
      );
      set({ error: null });
      return true;
    },
  };
}

export function createThreadsSlice(set: SetChat, get: GetChat, operations: ThreadOperations): ThreadsSlice {
  return {
    threads: {},
    messages: {},
    retryOn: {},
    streamingText: {},
    loadingModel: {},

    async loadOlder(conversationId) {
      const thread = get().threads[conversationId];
      const first = thread?.ids[0];
      const firstMessage = first === undefined ? undefined : get().messages[first];
      if (!thread || !thread.hasOlder || thread.loadingOlder || !firstMessage) return;
      operations.updateThread(conversationId, (current) => ({ ...current, loadingOlder: true }));
      const result = await api.chat.messages({ conversationId, beforeSequence: firstMessage.sequence, limit: PAGE_SIZE });
      if (!result.ok) {
        operations.updateThread(conversationId, (current) => ({ ...current, loadingOlder: false }));
        return operations.fail('Older messages could not be loaded', result);
      }
      const messages = { ...get().messages };
      for (const message of result.value.messages) messages[message.id] = message;
      set({ retryOn: { ...get().retryOn, ...result.value.retryOn } });
      const current = get().threads[conversationId] ?? emptyThread;
      const older = result.value.messages.map((message) => message.id).filter((id) => !current.ids.includes(id));
      set({
        messages,
        threads: {
          ...get().threads,
          [conversationId]: {
            ...current,
            ids: [...older, ...current.ids],
            hasOlder: result.value.hasOlder,
            totalCount: result.value.totalCount,
            loadingOlder: false,
          },
        },
      });
    },
  };
}
