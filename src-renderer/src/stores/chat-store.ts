import { readImages, type ImageAttachment } from '../lib/image-attachments';
import { create } from 'zustand';
import type { Result } from '../../../src-shared/errors/app-error';
import type { ChatMessageView, ChatSendResult, ModelLoadingState, RetryOption } from '../../../src-shared/schemas/chat-ipc';
import type { ContentPart } from '../../../src-shared/schemas/chat-message';
import type { ConversationSearchHit, ConversationSummary, StoredMessage } from '../../../src-shared/schemas/stored-conversation';
import { useLinkStore } from './link-store';
import { api } from '../lib/api-client';
import { useAppStore } from './app-store';
import { useTasksStore } from './tasks-store';

/** An image waiting in the composer, already read as base64. */
export type Attachment = ImageAttachment;

export interface Draft {
  text: string;
  attachments: Attachment[];
  /** Why an attachment was refused (too large, not an image). */
  attachmentError: string | null;
}

/** The loaded part of one conversation: message ids oldest first (bodies live in `messages`). */
export interface Thread {
  ids: number[];
  hasOlder: boolean;
  totalCount: number;
  loading: boolean;
  loadingOlder: boolean;
  error: string | null;
}

export interface SearchState {
  query: string;
  results: ConversationSearchHit[];
  searching: boolean;
  error: string | null;
}

export interface ChatState {
  conversations: ConversationSummary[];
  listLoaded: boolean;
  listError: string | null;
  activeId: string | null;
  threads: Record<string, Thread>;
  messages: Record<number, StoredMessage>;
  /** For failed answers: the backend "Retry on X" offers. */
  retryOn: Record<number, RetryOption | null>;
  /** Text streamed so far per answer, kept apart so a delta re-renders one row only. */
  streamingText: Record<number, string>;
  /** Answers waiting for a local model to load, by message id. */
  loadingModel: Record<number, ModelLoadingState>;
  /** Per conversation id; NEW_CHAT_DRAFT before the first message creates one. */
  drafts: Record<string, Draft>;
  search: SearchState;
  /** The conversation just deleted, while Undo is offered. */
  undo: { id: string; title: string } | null;
  /** The last failure, in words, for the chat pane's banner. */
  error: string | null;
  init(): Promise<void>;
  select(id: string | null): Promise<void>;
  newChat(options?: { localOnly?: boolean }): Promise<string | null>;
  /** Returns the words to show next to the title field, or null when renamed. */
  rename(id: string, title: string): Promise<string | null>;
  remove(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  dismissUndo(): void;
  exportConversation(id: string): Promise<{ fileName: string; markdown: string } | null>;
  loadOlder(conversationId: string): Promise<void>;
  setDraftText(draftKey: string, text: string): void;
  addAttachments(draftKey: string, attachments: Attachment[], errors: string[]): void;
  /**
   * Reads dropped, pasted or picked files into the draft. A send (or a new chat taking over the
   * draft) waits for reads still under way, so each image goes with the message it was attached to.
   */
  attachFiles(draftKey: string, files: readonly File[]): Promise<void>;
  removeAttachment(draftKey: string, attachmentId: string): void;
  send(draftKey: string): Promise<boolean>;
  /** Sends the draft's text and images to the vision agent as a task, when the Primary cannot see. */
  runAsVisionTask(draftKey: string): Promise<boolean>;
  edit(conversationId: string, messageId: number, text: string): Promise<boolean>;
  regenerate(conversationId: string, messageId: number): Promise<void>;
  retry(conversationId: string, messageId: number, connectionId: string): Promise<void>;
  /** Sends the question again on Primary although it is over its monthly cap, for this one answer. */
  answerAnyway(conversationId: string, messageId: number): Promise<void>;
  /** Goes on with an answer that stopped part way; its new text is added to what it has. */
  continueAnswer(conversationId: string, messageId: number): Promise<void>;
  stop(conversationId: string): Promise<void>;
  copy(text: string): Promise<boolean>;
  /** Asks before a link from model output opens in the browser (link-store). */
  openLink(url: string): void;
  searchFor(query: string): void;
  clearError(): void;
}

export const NEW_CHAT_DRAFT = '';
export const PAGE_SIZE = 100;
const UNDO_MS = 8_000;
const SEARCH_DEBOUNCE_MS = 150;
export const emptyDraft: Draft = { text: '', attachments: [], attachmentError: null };
const emptyThread: Thread = { ids: [], hasOlder: false, totalCount: 0, loading: false, loadingOlder: false, error: null };

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

/** Streamed text is shown at most this often: 20 times a second reads as smooth, and leaves frames free. */
const STREAM_PAINT_MS = 50;

let subscribed = false;
let undoTimer: ReturnType<typeof setTimeout> | null = null;
let searchTimer: ReturnType<typeof setTimeout> | null = null;
let searchSequence = 0;

export const useChatStore = create<ChatState>()((set, get) => {
  // Deltas arrive hundreds of times a second; they are applied at most once per STREAM_PAINT_MS, in
  // an animation frame. Each application re-renders, lays out and paints the answer, so pacing it
  // keeps frames free for scrolling and typing while the text still arrives smoothly to the eye.
  const pendingDeltas = new Map<number, string>();
  let flushScheduled = false;
  let lastFlushAt = -Infinity;
  const flushDeltas = () => {
    flushScheduled = false;
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
    if (flushScheduled) return;
    flushScheduled = true;
    const wait = Math.max(0, lastFlushAt + STREAM_PAINT_MS - performance.now());
    const inFrame = () => requestAnimationFrame(() => flushScheduled && flushDeltas());
    if (wait > 0) setTimeout(inFrame, wait);
    else inFrame();
    // A hidden window gets no animation frames; the timer makes sure the text still lands.
    setTimeout(() => flushScheduled && flushDeltas(), wait + 100);
  };

  const fail = (what: string, result: Extract<Result<unknown>, { ok: false }>) => {
    set({ error: `${what}: ${result.error.message}` });
  };

  const updateThread = (conversationId: string, change: (thread: Thread) => Thread) => {
    const threads = get().threads;
    set({ threads: { ...threads, [conversationId]: change(threads[conversationId] ?? emptyThread) } });
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

  const onMessage = (view: ChatMessageView) => {
    flushDeltas();
    if (!get().threads[view.message.conversationId]) return;
    upsertMessages([view.message]);
    set({ retryOn: { ...get().retryOn, [view.message.id]: view.retryOn } });
  };

  const loadNewest = async (conversationId: string) => {
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
  };

  /** Shows what main answered for send/edit/regenerate/retry. */
  const applyAnswer = (conversationId: string, result: Result<ChatSendResult>, what: string, dropFromSequence?: number): boolean => {
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
  };

  // Reads of attached images still under way, per draft.
  const reading = new Map<string, Set<Promise<void>>>();
  const readsSettled = async (draftKey: string) => {
    for (let pending = reading.get(draftKey); pending && pending.size > 0; pending = reading.get(draftKey)) {
      await Promise.all(pending);
    }
  };

  const setDraft = (draftKey: string, change: (draft: Draft) => Draft) => {
    const drafts = get().drafts;
    set({ drafts: { ...drafts, [draftKey]: change(drafts[draftKey] ?? emptyDraft) } });
  };

  return {
    conversations: [],
    listLoaded: false,
    listError: null,
    activeId: null,
    threads: {},
    messages: {},
    retryOn: {},
    streamingText: {},
    loadingModel: {},
    drafts: {},
    search: { query: '', results: [], searching: false, error: null },
    undo: null,
    error: null,

    async init() {
      if (!subscribed) {
        subscribed = true;
        api.on('app:chat.delta', ({ messageId, text, loading }) => {
          if (loading !== undefined) {
            const loadingModel = { ...get().loadingModel };
            if (loading) loadingModel[messageId] = loading;
            else delete loadingModel[messageId];
            set({ loadingModel });
          }
          if (!text) return;
          pendingDeltas.set(messageId, (pendingDeltas.get(messageId) ?? '') + text);
          scheduleFlush();
        });
        api.on('app:chat.message', onMessage);
        api.on('app:chat.conversations', (conversations) => set({ conversations, listLoaded: true }));
      }
      const result = await api.chat.list();
      if (!result.ok) return set({ listLoaded: true, listError: `Your conversations could not be loaded: ${result.error.message}` });
      set({ conversations: result.value, listLoaded: true, listError: null });
      const { activeId } = get();
      if (activeId === null && result.value[0]) await get().select(result.value[0].id);
    },

    async select(id) {
      set({ activeId: id });
      if (id === null) return;
      const thread = get().threads[id];
      if (!thread || thread.error) await loadNewest(id);
    },

    async newChat(options = {}) {
      const created = api.chat.create(options.localOnly ? { localOnly: true } : {});
      // An image still being read belongs to the draft this chat takes over, not to the next one.
      await readsSettled(NEW_CHAT_DRAFT);
      const result = await created;
      if (!result.ok) {
        fail('A new chat could not be started', result);
        return null;
      }
      const summary = result.value;
      const conversations = get().conversations;
      // What was typed or attached while no conversation was open (or while this one was being
      // created) belongs to the new conversation, not to a draft nobody can see any more.
      const { [NEW_CHAT_DRAFT]: pending, ...drafts } = get().drafts;
      const carried = pending && (pending.text || pending.attachments.length) ? { [summary.id]: pending } : {};
      set({
        conversations: conversations.some((item) => item.id === summary.id) ? conversations : [summary, ...conversations],
        threads: { ...get().threads, [summary.id]: { ...emptyThread } },
        activeId: summary.id,
        drafts: { ...drafts, ...carried },
        error: null,
      });
      return summary.id;
    },

    async rename(id, title) {
      const result = await api.chat.rename({ id, title });
      if (!result.ok) return result.error.message;
      set({ conversations: get().conversations.map((item) => (item.id === id ? { ...item, title: title.trim() } : item)) });
      return null;
    },

    async remove(id) {
      const summary = get().conversations.find((item) => item.id === id);
      const result = await api.chat.remove({ id });
      if (!result.ok) return fail('The conversation could not be deleted', result);
      const remaining = get().conversations.filter((item) => item.id !== id);
      set({ conversations: remaining, undo: { id, title: summary?.title ?? 'Conversation' } });
      if (get().activeId === id) await get().select(remaining[0]?.id ?? null);
      if (undoTimer) clearTimeout(undoTimer);
      undoTimer = setTimeout(() => get().dismissUndo(), UNDO_MS);
    },

    async undoRemove() {
      const undo = get().undo;
      if (!undo) return;
      get().dismissUndo();
      const result = await api.chat.restore({ id: undo.id });
      if (!result.ok) return fail(`"${undo.title}" could not be brought back`, result);
      const list = await api.chat.list();
      if (list.ok) set({ conversations: list.value });
      await get().select(undo.id);
    },

    dismissUndo() {
      if (undoTimer) clearTimeout(undoTimer);
      undoTimer = null;
      set({ undo: null });
    },

    async exportConversation(id) {
      const result = await api.chat.export({ id });
      if (!result.ok) {
        fail('The conversation could not be exported', result);
        return null;
      }
      return result.value;
    },

    async loadOlder(conversationId) {
      const thread = get().threads[conversationId];
      const first = thread?.ids[0];
      const firstMessage = first === undefined ? undefined : get().messages[first];
      if (!thread || !thread.hasOlder || thread.loadingOlder || !firstMessage) return;
      updateThread(conversationId, (current) => ({ ...current, loadingOlder: true }));
      const result = await api.chat.messages({ conversationId, beforeSequence: firstMessage.sequence, limit: PAGE_SIZE });
      if (!result.ok) {
        updateThread(conversationId, (current) => ({ ...current, loadingOlder: false }));
        return fail('Older messages could not be loaded', result);
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

    setDraftText: (draftKey, text) => setDraft(draftKey, (draft) => ({ ...draft, text })),
    addAttachments: (draftKey, attachments, errors) =>
      setDraft(draftKey, (draft) => ({
        ...draft,
        attachments: [...draft.attachments, ...attachments],
        attachmentError: errors.length > 0 ? errors.join(' ') : null,
      })),
    attachFiles(draftKey, files) {
      if (files.length === 0) return Promise.resolve();
      const pending = reading.get(draftKey) ?? new Set<Promise<void>>();
      reading.set(draftKey, pending);
      const alreadyAttached = get().drafts[draftKey]?.attachments.length ?? 0;
      const read: Promise<void> = readImages(files, alreadyAttached)
        .then(({ attachments, errors }) => get().addAttachments(draftKey, attachments, errors))
        .finally(() => {
          pending.delete(read);
          if (pending.size === 0 && reading.get(draftKey) === pending) reading.delete(draftKey);
        });
      pending.add(read);
      return read;
    },
    removeAttachment: (draftKey, attachmentId) =>
      setDraft(draftKey, (draft) => ({
        ...draft,
        attachments: draft.attachments.filter((item) => item.id !== attachmentId),
        attachmentError: null,
      })),

    async runAsVisionTask(draftKey) {
      const draft = get().drafts[draftKey] ?? emptyDraft;
      if (draft.attachments.length === 0) return false;
      const result = await api.tasks.create({
        agent: 'vision_agent',
        instruction: draft.text.trim() || 'Describe what this image shows.',
        attachments: draft.attachments.map(({ mediaType, data }) => ({ type: 'image' as const, mediaType, data })),
      });
      if (!result.ok) {
        setDraft(draftKey, (current) => ({ ...current, attachmentError: result.error.message }));
        return false;
      }
      setDraft(draftKey, () => emptyDraft);
      await useTasksStore.getState().select(result.value.id);
      useAppStore.getState().show('tasks');
      return true;
    },
    async send(draftKey) {
      // Images attached just before Send go with this message.
      await readsSettled(draftKey);
      let draft = get().drafts[draftKey] ?? emptyDraft;
      if (draft.text.trim().length === 0 && draft.attachments.length === 0) return false;
      let conversationId: string | null = draftKey === NEW_CHAT_DRAFT ? null : draftKey;
      if (conversationId === null) {
        conversationId = await get().newChat();
        if (!conversationId) return false;
        // The new chat took the draft over, with anything attached while it was being created.
        draft = get().drafts[conversationId] ?? draft;
      }
      const text = draft.text.trim();
      if (isStreaming(get(), conversationId)) return false;
      const content: string | ContentPart[] =
        draft.attachments.length === 0
          ? text
          : [
              ...(text.length > 0 ? [{ type: 'text' as const, text }] : []),
              ...draft.attachments.map((item) => ({ type: 'image' as const, mediaType: item.mediaType, data: item.data })),
            ];
      // The draft leaves the composer at once; it comes back if main refuses it before saving anything.
      const drafts = { ...get().drafts };
      delete drafts[draftKey];
      delete drafts[conversationId];
      set({ drafts });
      const result = await api.chat.send({ conversationId, content });
      const sent = applyAnswer(conversationId, result, 'The message could not be sent');
      if (!sent) {
        // Main saves the question before answering: if it is not in the stored thread, give the draft back.
        await loadNewest(conversationId);
        const state = get();
        const lastUser = [...(state.threads[conversationId]?.ids ?? [])]
          .reverse()
          .map((id) => state.messages[id])
          .find((message) => message?.role === 'user');
        if (!lastUser || lastUser.content !== text) set({ drafts: { ...state.drafts, [conversationId]: draft } });
      }
      return sent;
    },

    async edit(conversationId, messageId, text) {
      const original = get().messages[messageId];
      if (!original) return false;
      const images = (original.parts ?? []).filter((part) => part.type === 'image');
      const trimmed = text.trim();
      const content: string | ContentPart[] =
        images.length === 0 ? trimmed : [...(trimmed ? [{ type: 'text' as const, text: trimmed }] : []), ...images];
      const result = await api.chat.edit({ conversationId, messageId, content });
      if (applyAnswer(conversationId, result, 'The edited message could not be sent', original.sequence)) return true;
      await loadNewest(conversationId);
      return false;
    },

    async regenerate(conversationId, messageId) {
      const sequence = get().messages[messageId]?.sequence;
      const result = await api.chat.regenerate({ conversationId, messageId });
      if (!applyAnswer(conversationId, result, 'The answer could not be regenerated', sequence)) await loadNewest(conversationId);
    },

    async retry(conversationId, messageId, connectionId) {
      const sequence = get().messages[messageId]?.sequence;
      const result = await api.chat.retry({ conversationId, messageId, connectionId });
      if (!applyAnswer(conversationId, result, 'The retry could not start', sequence)) await loadNewest(conversationId);
    },

    async answerAnyway(conversationId, messageId) {
      const sequence = get().messages[messageId]?.sequence;
      const result = await api.chat.answerAnyway({ conversationId, messageId });
      if (!applyAnswer(conversationId, result, 'The answer could not start', sequence)) await loadNewest(conversationId);
    },

    async continueAnswer(conversationId, messageId) {
      const result = await api.chat.continue({ conversationId, messageId });
      if (!applyAnswer(conversationId, result, 'The answer could not be continued')) await loadNewest(conversationId);
    },

    async stop(conversationId) {
      const messageId = streamingMessageId(get(), conversationId);
      if (messageId === null) return;
      const result = await api.chat.stop({ conversationId, messageId });
      if (!result.ok) fail('The answer could not be stopped', result);
    },

    async copy(text) {
      const result = await api.clipboard.write({ text });
      if (!result.ok) fail('Could not copy', result);
      return result.ok;
    },

    openLink(url) {
      useLinkStore.getState().ask(url);
    },

    searchFor(query) {
      set({ search: { ...get().search, query, searching: query.trim().length > 0, error: null } });
      if (searchTimer) clearTimeout(searchTimer);
      if (query.trim().length === 0) return set({ search: { query, results: [], searching: false, error: null } });
      const ticket = ++searchSequence;
      searchTimer = setTimeout(() => {
        void api.chat.search({ query: query.trim() }).then((result) => {
          if (ticket !== searchSequence) return;
          set({
            search: result.ok
              ? { query, results: result.value, searching: false, error: null }
              : { query, results: [], searching: false, error: `Search failed: ${result.error.message}` },
          });
        });
      }, SEARCH_DEBOUNCE_MS);
    },

    clearError: () => set({ error: null }),
  };
});
