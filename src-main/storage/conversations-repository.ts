// Conversations: the list, search, delete with undo, and Markdown export.
import {
  conversationInputSchema,
  conversationPinSchema,
  type ConversationInput,
  type ConversationPin,
  type ConversationSearchHit,
  type ConversationSummary,
} from '../../src-shared/schemas/stored-conversation';
import { conversationMarkdown } from './conversation-markdown';
import type { Database } from './database';
import { messageColumns, toMessage, type MessageRow } from './message-rows';
import { fromMarked, snippetAround } from './search-snippet';
import { containsPattern, newId, notFound, parseInput, searchWords, type Clock } from './storage-helpers';

/** How long a deleted conversation can be brought back before `purgeDeleted` removes it for good. */
export const DEFAULT_UNDO_WINDOW_MS = 30_000;

const PREVIEW_LENGTH = 160;

export interface ConversationsRepositoryOptions {
  now?: Clock;
  undoWindowMs?: number;
}

export interface ConversationListOptions {
  limit?: number;
  offset?: number;
  /** List the conversations waiting in the undo window instead of the live ones. */
  deleted?: boolean;
}

export interface ConversationsRepository {
  create(input?: ConversationInput): Promise<ConversationSummary>;
  get(id: string): Promise<ConversationSummary | null>;
  rename(id: string, title: string): Promise<void>;
  setLocalOnly(id: string, localOnly: boolean): Promise<void>;
  /** Pins a connection and model to the conversation, or (null) lets it follow the Primary again. */
  setPinned(id: string, pinned: ConversationPin | null): Promise<void>;
  /** Most recently active first, with the last message's start and the message count. */
  list(options?: ConversationListOptions): Promise<ConversationSummary[]>;
  /** One hit per conversation, title matches first; full-text when FTS5 is available, else LIKE. */
  search(text: string, limit?: number): Promise<ConversationSearchHit[]>;
  /** Hides the conversation; `restore` brings it back until the undo window has passed. */
  softDelete(id: string): Promise<void>;
  restore(id: string): Promise<void>;
  /** Removes conversations deleted longer ago than the undo window; returns how many. */
  purgeDeleted(): Promise<number>;
  exportMarkdown(id: string): Promise<string>;
}

interface SummaryRow {
  id: string;
  title: string;
  localOnly: number;
  pinnedConnectionId: string | null;
  pinnedModel: string | null;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  messageCount: number;
  preview: string | null;
  previewRole: 'user' | 'assistant' | null;
}

// The preview subqueries walk the (conversation_id, sequence) index backwards: one step for most rows.
const summarySelect = `SELECT c.id, c.title, c.local_only AS localOnly,
  c.pinned_connection_id AS pinnedConnectionId, c.pinned_model AS pinnedModel, c.created_at AS createdAt, c.updated_at AS updatedAt,
  c.deleted_at AS deletedAt, c.message_count AS messageCount,
  (SELECT substr(m.content, 1, ${PREVIEW_LENGTH}) FROM messages m WHERE m.conversation_id = c.id AND m.content != '' ORDER BY m.sequence DESC LIMIT 1) AS preview,
  (SELECT m.role FROM messages m WHERE m.conversation_id = c.id AND m.content != '' ORDER BY m.sequence DESC LIMIT 1) AS previewRole
  FROM conversations c`;

function toSummary(row: SummaryRow): ConversationSummary {
  return {
    id: row.id,
    title: row.title,
    localOnly: row.localOnly === 1,
    pinned: row.pinnedConnectionId && row.pinnedModel ? { connectionId: row.pinnedConnectionId, model: row.pinnedModel } : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
    messageCount: row.messageCount,
    preview: (row.preview ?? '').replace(/\s+/g, ' ').trim(),
    previewRole: row.previewRole,
  };
}

interface HitRow {
  conversationId: string;
  title: string;
  messageId: number | null;
  text: string;
}

export function createConversationsRepository(database: Database, options: ConversationsRepositoryOptions = {}): ConversationsRepository {
  const now = options.now ?? Date.now;
  const undoWindowMs = options.undoWindowMs ?? DEFAULT_UNDO_WINDOW_MS;

  const get = async (id: string): Promise<ConversationSummary | null> => {
    const row = await database.get<SummaryRow>(`${summarySelect} WHERE c.id = ?`, [id]);
    return row ? toSummary(row) : null;
  };

  const update = async (id: string, sql: string, params: Array<string | number | null>): Promise<void> => {
    const result = await database.run(sql, [...params, id]);
    if (result.changes === 0) throw notFound('The conversation');
  };

  const fullTextHits = async (words: string[], limit: number): Promise<ConversationSearchHit[]> => {
    // Every word must match, each as a prefix, so results narrow while the user types.
    const query = words.map((word) => `"${word}"*`).join(' ');
    const titleRows = await database.all<HitRow>(
      `SELECT s.conversation_id AS conversationId, c.title, NULL AS messageId, highlight(conversation_search, 0, char(1), char(2)) AS text
       FROM conversation_search s JOIN conversations c ON c.id = s.conversation_id
       WHERE conversation_search MATCH ? AND c.deleted_at IS NULL ORDER BY s.rank LIMIT ?`,
      [query, limit],
    );
    const messageRows = await database.all<HitRow>(
      `SELECT m.conversation_id AS conversationId, c.title, m.id AS messageId,
         snippet(message_search, 0, char(1), char(2), '…', 24) AS text
       FROM message_search s JOIN messages m ON m.id = s.rowid JOIN conversations c ON c.id = m.conversation_id
       WHERE message_search MATCH ? AND c.deleted_at IS NULL ORDER BY s.rank LIMIT ?`,
      [query, limit * 10],
    );
    return [...titleRows, ...messageRows].map((row) => ({
      conversationId: row.conversationId,
      title: row.title,
      messageId: row.messageId,
      ...fromMarked(row.text),
    }));
  };

  const likeHits = async (words: string[], limit: number): Promise<ConversationSearchHit[]> => {
    const patterns = words.map(containsPattern);
    const titleWhere = patterns.map(() => "c.title LIKE ? ESCAPE '\\'").join(' AND ');
    const contentWhere = patterns.map(() => "m.content LIKE ? ESCAPE '\\'").join(' AND ');
    const titleRows = await database.all<HitRow>(
      `SELECT c.id AS conversationId, c.title, NULL AS messageId, c.title AS text FROM conversations c
       WHERE c.deleted_at IS NULL AND ${titleWhere} ORDER BY c.updated_at DESC LIMIT ?`,
      [...patterns, limit],
    );
    const messageRows = await database.all<HitRow>(
      `SELECT m.conversation_id AS conversationId, c.title, m.id AS messageId, m.content AS text
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.deleted_at IS NULL AND ${contentWhere} ORDER BY m.id DESC LIMIT ?`,
      [...patterns, limit * 10],
    );
    return [...titleRows, ...messageRows].map((row) => ({
      conversationId: row.conversationId,
      title: row.title,
      messageId: row.messageId,
      ...snippetAround(row.text, words),
    }));
  };

  return {
    async create(input = {}) {
      const parsed = parseInput(conversationInputSchema, input);
      const id = newId();
      const at = now();
      await database.run('INSERT INTO conversations (id, title, local_only, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [
        id,
        parsed.title,
        parsed.localOnly,
        at,
        at,
      ]);
      return {
        id,
        title: parsed.title,
        localOnly: parsed.localOnly,
        pinned: null,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
        messageCount: 0,
        preview: '',
        previewRole: null,
      };
    },

    get,

    async rename(id, title) {
      const parsed = parseInput(conversationInputSchema.shape.title, title);
      await update(id, 'UPDATE conversations SET title = ? WHERE id = ?', [parsed]);
    },

    async setLocalOnly(id, localOnly) {
      await update(id, 'UPDATE conversations SET local_only = ? WHERE id = ?', [localOnly ? 1 : 0]);
    },

    async setPinned(id, pinned) {
      const parsed = pinned === null ? null : parseInput(conversationPinSchema, pinned);
      // Not an activity: pinning a model does not move the conversation up the list.
      await update(id, 'UPDATE conversations SET pinned_connection_id = ?, pinned_model = ? WHERE id = ?', [
        parsed?.connectionId ?? null,
        parsed?.model ?? null,
      ]);
    },

    async list(listOptions = {}) {
      const limit = Math.min(Math.max(listOptions.limit ?? 200, 1), 1000);
      const offset = Math.max(listOptions.offset ?? 0, 0);
      const where = listOptions.deleted ? 'c.deleted_at IS NOT NULL' : 'c.deleted_at IS NULL';
      const rows = await database.all<SummaryRow>(`${summarySelect} WHERE ${where} ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?`, [
        limit,
        offset,
      ]);
      return rows.map(toSummary);
    },

    async search(text, limit = 20) {
      const words = searchWords(text);
      if (words.length === 0) return [];
      const hits = database.features.fullTextSearch ? await fullTextHits(words, limit) : await likeHits(words, limit);
      const seen = new Set<string>();
      const results: ConversationSearchHit[] = [];
      for (const hit of hits) {
        if (seen.has(hit.conversationId)) continue;
        seen.add(hit.conversationId);
        results.push(hit);
        if (results.length >= limit) break;
      }
      return results;
    },

    async softDelete(id) {
      await update(id, 'UPDATE conversations SET deleted_at = ? WHERE deleted_at IS NULL AND id = ?', [now()]);
    },

    async restore(id) {
      // Past the undo window the conversation may already be purged; do not let a late undo resurrect a
      // conversation that a purge is about to remove either.
      await update(id, 'UPDATE conversations SET deleted_at = NULL WHERE deleted_at IS NOT NULL AND deleted_at > ? AND id = ?', [
        now() - undoWindowMs,
      ]);
    },

    async purgeDeleted() {
      const result = await database.run('DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?', [
        now() - undoWindowMs,
      ]);
      return result.changes;
    },

    async exportMarkdown(id) {
      const conversation = await get(id);
      if (!conversation) throw notFound('The conversation');
      const rows = await database.all<MessageRow>(`SELECT ${messageColumns} FROM messages WHERE conversation_id = ? ORDER BY sequence`, [
        id,
      ]);
      return conversationMarkdown(conversation.title, rows.map(toMessage));
    },
  };
}
