// The chat store's shape, shared by its slices (chat-store-*.ts) and composed in chat-store.ts.
import type { StoreApi } from 'zustand';
import type { ModelLoadingState, RetryOption } from '../../../src-shared/schemas/chat-ipc';
import type {
  ConversationPin,
  ConversationSearchHit,
  ConversationSummary,
  StoredMessage,
} from '../../../src-shared/schemas/stored-conversation';
import type { ImageAttachment } from '../lib/image-attachments';

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

/** The conversation list: open, create, rename, delete with undo, export, pin a model. */
export interface ConversationsSlice {
  conversations: ConversationSummary[];
  listLoaded: boolean;
  listError: string | null;
  activeId: string | null;
  /** The conversation just deleted, while Undo is offered. */
  undo: { id: string; title: string } | null;
  init(): Promise<void>;
  select(id: string | null): Promise<void>;
  newChat(options?: { localOnly?: boolean }): Promise<string | null>;
  /** Returns the words to show next to the title field, or null when renamed. */
  rename(id: string, title: string): Promise<string | null>;
  /** Pins a connection and model to the conversation (null: back to the Primary); false when refused. */
  pin(id: string, pinned: ConversationPin | null): Promise<boolean>;
  remove(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  dismissUndo(): void;
  exportConversation(id: string): Promise<{ fileName: string; markdown: string } | null>;
}

/** Loaded messages per conversation, and the answers streaming into them. */
export interface ThreadsSlice {
  threads: Record<string, Thread>;
  messages: Record<number, StoredMessage>;
  /** For failed answers: the backend "Retry on X" offers. */
  retryOn: Record<number, RetryOption | null>;
  /** Text streamed so far per answer, kept apart so a delta re-renders one row only. */
  streamingText: Record<number, string>;
  /** Answers waiting for a local model to load, by message id. */
  loadingModel: Record<number, ModelLoadingState>;
  loadOlder(conversationId: string): Promise<void>;
}

/** What is typed and attached in the composer, per conversation. */
export interface DraftsSlice {
  /** Per conversation id; NEW_CHAT_DRAFT before the first message creates one. */
  drafts: Record<string, Draft>;
  setDraftText(draftKey: string, text: string): void;
  addAttachments(draftKey: string, attachments: Attachment[], errors: string[]): void;
  /**
   * Reads dropped, pasted or picked files into the draft. A send (or a new chat taking over the
   * draft) waits for reads still under way, so each image goes with the message it was attached to.
   */
  attachFiles(draftKey: string, files: readonly File[]): Promise<void>;
  removeAttachment(draftKey: string, attachmentId: string): void;
  /** Sends the draft's text and images to the vision agent as a task, when the Primary cannot see. */
  runAsVisionTask(draftKey: string): Promise<boolean>;
}

/** Questions sent and answers asked for again, stopped, copied. */
export interface AnswersSlice {
  /** The last failure, in words, for the chat pane's banner. */
  error: string | null;
  send(draftKey: string): Promise<boolean>;
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
  clearError(): void;
}

export interface SearchSlice {
  search: SearchState;
  searchFor(query: string): void;
}

export type ChatState = ConversationsSlice & ThreadsSlice & DraftsSlice & AnswersSlice & SearchSlice;
export type SetChat = StoreApi<ChatState>['setState'];
export type GetChat = StoreApi<ChatState>['getState'];

export const NEW_CHAT_DRAFT = '';
export const PAGE_SIZE = 100;
export const emptyDraft: Draft = { text: '', attachments: [], attachmentError: null };
export const emptyThread: Thread = { ids: [], hasOlder: false, totalCount: 0, loading: false, loadingOlder: false, error: null };
