// Messages: saved before they are sent, streamed into cheaply, paged by sequence number.
import type { ContentPart } from '../../src-shared/schemas/chat-message';
import {
  finishMessageInputSchema,
  messagePageQuerySchema,
  userMessageInputSchema,
  type FinishMessageInput,
  type MessagePage,
  type MessagePageQuery,
  type StoredMessage,
  type UserMessageInput,
} from '../../src-shared/schemas/stored-conversation';
import { AppErrorException, appError } from '../../src-shared/errors/app-error';
import type { Database } from './database';
import { messageColumns, splitContent, toMessage, type MessageRow } from './message-rows';
import { notFound, parseInput, writeJson, type Clock } from './storage-helpers';

export interface MessagesRepositoryOptions {
  now?: Clock;
}

export interface MessagesRepository {
  /** Saves what the user typed; call it before the request is sent so nothing typed is ever lost. */
  appendUserMessage(input: UserMessageInput): Promise<StoredMessage>;
  /** An empty assistant message in status `streaming`, to append the answer to as it arrives. */
  startAssistantMessage(conversationId: string): Promise<StoredMessage>;
  /** Appends streamed text in one UPDATE; meant to be called every ~250 ms while an answer streams. */
  appendText(id: number, text: string): Promise<void>;
  finishAssistantMessage(id: number, input: FinishMessageInput): Promise<StoredMessage>;
  /** An interrupted or cut answer streams again (Continue): its text is kept, its error cleared. Null if it is not one. */
  reopenAssistantMessage(id: number): Promise<StoredMessage | null>;
  /** Replaces a user message's content and drops every later message, for edit-and-resend. */
  editUserMessage(id: number, content: string | ContentPart[]): Promise<{ message: StoredMessage; removed: number }>;
  get(id: number): Promise<StoredMessage | null>;
  /** The newest `limit` messages (or those before `beforeSequence`), oldest first, with the total count. */
  listPage(query: MessagePageQuery): Promise<MessagePage>;
  /** Run at start-up: answers that were streaming when the app stopped keep their text, marked interrupted. */
  markStreamingAsInterrupted(): Promise<number[]>;
}

// Takes the next sequence from the (conversation_id, sequence) index and refuses deleted conversations.
const insertMessage = `INSERT INTO messages (conversation_id, sequence, role, content, parts, status, created_at, updated_at)
  SELECT c.id, (SELECT coalesce(max(sequence), 0) + 1 FROM messages WHERE conversation_id = c.id), ?, ?, ?, ?, ?, ?
  FROM conversations c WHERE c.id = ? AND c.deleted_at IS NULL
  RETURNING ${messageColumns}`;

export function createMessagesRepository(database: Database, options: MessagesRepositoryOptions = {}): MessagesRepository {
  const now = options.now ?? Date.now;

  const get = async (id: number): Promise<StoredMessage | null> => {
    const row = await database.get<MessageRow>(`SELECT ${messageColumns} FROM messages WHERE id = ?`, [id]);
    return row ? toMessage(row) : null;
  };

  const insert = async (conversationId: string, role: 'user' | 'assistant', text: string, parts: string | null, status: string) => {
    const at = now();
    const row = await database.get<MessageRow>(insertMessage, [role, text, parts, status, at, at, conversationId]);
    if (!row) throw notFound('The conversation');
    return toMessage(row);
  };

  return {
    async appendUserMessage(input) {
      const parsed = parseInput(userMessageInputSchema, input);
      const { text, parts } = splitContent(parsed.content);
      return insert(parsed.conversationId, 'user', text, parts, 'complete');
    },

    startAssistantMessage: (conversationId) => insert(conversationId, 'assistant', '', null, 'streaming'),

    async appendText(id, text) {
      if (text.length === 0) return;
      const result = await database.run(
        "UPDATE messages SET content = content || ?, updated_at = ? WHERE id = ? AND status = 'streaming'",
        [text, now(), id],
      );
      if (result.changes === 0) {
        throw new AppErrorException(appError('conflict', 'This answer is no longer streaming, so no more text can be added to it.'));
      }
    },

    async finishAssistantMessage(id, input) {
      const parsed = parseInput(finishMessageInputSchema, input);
      const row = await database.get<MessageRow>(
        `UPDATE messages SET status = ?, provenance = ?, error = ?, content = coalesce(?, content), updated_at = ?
         WHERE id = ? AND role = 'assistant' RETURNING ${messageColumns}`,
        [parsed.status, writeJson(parsed.provenance), writeJson(parsed.error), parsed.content, now(), id],
      );
      if (!row) throw notFound('The answer');
      return toMessage(row);
    },

    async reopenAssistantMessage(id) {
      const row = await database.get<MessageRow>(
        `UPDATE messages SET status = 'streaming', error = NULL, updated_at = ?
         WHERE id = ? AND role = 'assistant' AND status IN ('interrupted', 'cut') RETURNING ${messageColumns}`,
        [now(), id],
      );
      return row ? toMessage(row) : null;
    },

    async editUserMessage(id, content) {
      const parsedContent = parseInput(userMessageInputSchema.shape.content, content);
      const { text, parts } = splitContent(parsedContent);
      const [updated, removed] = await database.transaction([
        {
          sql: `UPDATE messages SET content = ?, parts = ?, updated_at = ? WHERE id = ? AND role = 'user' RETURNING ${messageColumns}`,
          params: [text, parts, now(), id],
          op: 'get',
        },
        {
          sql: `DELETE FROM messages
                WHERE conversation_id = (SELECT conversation_id FROM messages WHERE id = ? AND role = 'user')
                AND sequence > (SELECT sequence FROM messages WHERE id = ?)`,
          params: [id, id],
        },
      ]);
      if (!updated) throw notFound('The message');
      return { message: toMessage(updated as MessageRow), removed: (removed as { changes: number }).changes };
    },

    get,

    async listPage(query) {
      const parsed = parseInput(messagePageQuerySchema, query);
      // Both reads in one batch, so the count always matches the page even while an answer streams in.
      const [conversation, rows] = await database.transaction([
        { sql: 'SELECT message_count AS messageCount FROM conversations WHERE id = ?', params: [parsed.conversationId], op: 'get' },
        {
          sql: `SELECT ${messageColumns} FROM messages WHERE conversation_id = ? AND sequence < ? ORDER BY sequence DESC LIMIT ?`,
          params: [parsed.conversationId, parsed.beforeSequence ?? Number.MAX_SAFE_INTEGER, parsed.limit + 1],
          op: 'all',
        },
      ]);
      if (!conversation) throw notFound('The conversation');
      const newestFirst = rows as MessageRow[];
      const hasOlder = newestFirst.length > parsed.limit;
      const page = newestFirst.slice(0, parsed.limit).reverse().map(toMessage);
      return { messages: page, totalCount: (conversation as { messageCount: number }).messageCount, hasOlder };
    },

    async markStreamingAsInterrupted() {
      const rows = await database.all<{ id: number }>(
        "UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming' RETURNING id",
        [now()],
      );
      return rows.map((row) => row.id).sort((left, right) => left - right);
    },
  };
}
