// The chat store, composed from its slices: conversations, threads (and streaming), drafts, answers, search.
import { create } from 'zustand';
import { createAnswersSlice } from './chat-store-answers';
import { createConversationsSlice } from './chat-store-conversations';
import { createAttachmentReads, createDraftsSlice } from './chat-store-drafts';
import { createSearchSlice } from './chat-store-search';
import { createThreadOperations, createThreadsSlice } from './chat-store-threads';
import type { ChatState } from './chat-store-types';

export { isStreaming, streamingMessageId } from './chat-store-threads';
export { emptyDraft, NEW_CHAT_DRAFT, PAGE_SIZE } from './chat-store-types';
export type { Attachment, ChatState, Draft, SearchState, Thread } from './chat-store-types';

export const useChatStore = create<ChatState>()((set, get) => {
  const threads = createThreadOperations(set, get);
  const reads = createAttachmentReads();
  return {
    ...createConversationsSlice(set, get, threads, reads),
    ...createThreadsSlice(set, get, threads),
    ...createDraftsSlice(set, get, reads),
    ...createAnswersSlice(set, get, threads, reads),
    ...createSearchSlice(set, get),
  };
});
