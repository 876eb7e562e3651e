// Questions sent, and answers edited, regenerated, retried, stopped and copied.
import type { ContentPart } from '../../../src-shared/schemas/chat-message';
import { api } from '../lib/api-client';
import type { AttachmentReads } from './chat-store-drafts';
import { isStreaming, streamingMessageId, type ThreadOperations } from './chat-store-threads';
import { emptyDraft, NEW_CHAT_DRAFT, type AnswersSlice, type GetChat, type SetChat } from './chat-store-types';
import { useLinkStore } from './link-store';

export function createAnswersSlice(set: SetChat, get: GetChat, threads: ThreadOperations, reads: AttachmentReads): AnswersSlice {
  const { applyAnswer, fail, loadNewest } = threads;
  return {
    error: null,

    async send(draftKey) {
      // Images attached just before Send go with this message.
      await reads.settled(draftKey);
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

    clearError: () => set({ error: null }),
  };
}
