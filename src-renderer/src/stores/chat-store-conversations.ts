// The conversation list: open, create, rename, pin a model, delete with undo, export.
import { api } from '../lib/api-client';
import type { AttachmentReads } from './chat-store-drafts';
import type { ThreadOperations } from './chat-store-threads';
import { emptyThread, NEW_CHAT_DRAFT, type ConversationsSlice, type GetChat, type SetChat } from './chat-store-types';

const UNDO_MS = 8_000;

export function createConversationsSlice(
  set: SetChat,
  get: GetChat,
  threads: ThreadOperations,
  reads: AttachmentReads,
): ConversationsSlice {
  const { fail, loadNewest } = threads;
  let subscribed = false;
  let undoTimer: ReturnType<typeof setTimeout> | null = null;

  return {
    conversations: [],
    listLoaded: false,
    listError: null,
    activeId: null,
    undo: null,

    async init() {
      if (!subscribed) {
        subscribed = true;
        api.on('app:chat.delta', threads.onDelta);
        api.on('app:chat.message', threads.onMessage);
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
      await reads.settled(NEW_CHAT_DRAFT);
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

    async pin(id, pinned) {
      const result = await api.chat.pin({ id, pinned });
      if (!result.ok) {
        fail('The model could not be pinned', result);
        return false;
      }
      const summary = result.value;
      set({ conversations: get().conversations.map((item) => (item.id === id ? summary : item)), error: null });
      return true;
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
  };
}
