// Versioned schema (PRAGMA user_version). Append new migrations; never edit one that has shipped.
// Times are milliseconds since the epoch (UTC); JSON columns hold data already validated by zod schemas.
import { summarizeStatements, summaryTables } from './call-log-summary';

export interface SchemaFeatures {
  /** FTS5 is compiled into this SQLite: search uses full-text indexes, else LIKE. */
  fullTextSearch: boolean;
}

export interface Migration {
  version: number;
  /** One SQL statement per entry: the migration runs them as one atomic batch. */
  statements(features: SchemaFeatures): string[];
}

const coreTables = [
  `CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    local_only INTEGER NOT NULL DEFAULT 0 CHECK (local_only IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER,
    message_count INTEGER NOT NULL DEFAULT 0
  )`,
  'CREATE INDEX conversations_by_activity ON conversations (deleted_at, updated_at DESC)',
  // An INTEGER PRIMARY KEY keeps rowids stable across VACUUM, which the external-content search index needs;
  // AUTOINCREMENT keeps ids of dropped messages (edit-and-resend) from being handed out again.
  `CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    sequence INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL DEFAULT '',
    parts TEXT,
    status TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'interrupted', 'cut', 'error')),
    provenance TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (conversation_id, sequence)
  )`,
  "CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming'",
  // Counting 10,000 messages on every open would be wasted work: keep the count with the conversation.
  `CREATE TRIGGER messages_counted AFTER INSERT ON messages BEGIN
    UPDATE conversations SET message_count = message_count + 1, updated_at = max(updated_at, new.created_at)
    WHERE id = new.conversation_id;
  END`,
  `CREATE TRIGGER messages_uncounted AFTER DELETE ON messages BEGIN
    UPDATE conversations SET message_count = message_count - 1 WHERE id = old.conversation_id;
  END`,
  `CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    agent TEXT NOT NULL,
    instruction TEXT NOT NULL,
    attachments TEXT NOT NULL DEFAULT '[]',
    tier TEXT,
    route TEXT,
    local_only INTEGER NOT NULL DEFAULT 0 CHECK (local_only IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'escalated', 'done', 'failed', 'cancelled', 'interrupted')),
    paused_reason TEXT,
    answer TEXT NOT NULL DEFAULT '',
    output TEXT,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER
  )`,
  'CREATE INDEX tasks_by_creation ON tasks (created_at DESC)',
  'CREATE INDEX tasks_by_status ON tasks (status, created_at DESC)',
  // Trace events get a row each: appending stays O(1) however long the trace grows.
  `CREATE TABLE task_trace (
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    sequence INTEGER NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (task_id, sequence)
  ) WITHOUT ROWID`,
  // The columns the Activity view aggregates stay in a narrow table; prompt and response text live
  // apart so that scanning 100,000 calls never reads their kilobytes.
  `CREATE TABLE call_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('chat', 'task', 'gateway')),
    agent TEXT,
    conversation_id TEXT,
    task_id TEXT,
    connection_id TEXT NOT NULL,
    connection_name TEXT NOT NULL,
    provider_kind TEXT NOT NULL,
    requested_model TEXT NOT NULL,
    model_version TEXT,
    attempt INTEGER NOT NULL,
    fallback_position INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'error', 'interrupted', 'cut', 'escalated')),
    error_code TEXT,
    latency_ms REAL,
    time_to_first_token_ms REAL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cost_usd REAL,
    text_bytes INTEGER NOT NULL DEFAULT 0
  )`,
  'CREATE INDEX call_log_by_time ON call_log (at)',
  'CREATE INDEX call_log_by_connection ON call_log (connection_id, at)',
  `CREATE TABLE call_log_text (
    call_id INTEGER PRIMARY KEY REFERENCES call_log (id) ON DELETE CASCADE,
    reasons TEXT,
    error_message TEXT,
    prompt TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT '',
    prompt_truncated INTEGER NOT NULL DEFAULT 0,
    response_truncated INTEGER NOT NULL DEFAULT 0
  )`,
];

const searchTokenizer = "tokenize = 'unicode61 remove_diacritics 2'";

// A streamed answer is indexed once, when it stops streaming, not on every 250 ms flush.
const searchTables = [
  `CREATE VIRTUAL TABLE message_search USING fts5(content, content = 'messages', content_rowid = 'id', ${searchTokenizer})`,
  `CREATE TRIGGER message_search_insert AFTER INSERT ON messages WHEN new.status != 'streaming' BEGIN
    INSERT INTO message_search (rowid, content) VALUES (new.id, new.content);
  END`,
  `CREATE TRIGGER message_search_update AFTER UPDATE OF content, status ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, content) SELECT 'delete', old.id, old.content WHERE old.status != 'streaming';
    INSERT INTO message_search (rowid, content) SELECT new.id, new.content WHERE new.status != 'streaming';
  END`,
  `CREATE TRIGGER message_search_delete AFTER DELETE ON messages WHEN old.status != 'streaming' BEGIN
    INSERT INTO message_search (message_search, rowid, content) VALUES ('delete', old.id, old.content);
  END`,
  `CREATE VIRTUAL TABLE conversation_search USING fts5(title, conversation_id UNINDEXED, ${searchTokenizer})`,
  `CREATE TRIGGER conversation_search_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversation_search (title, conversation_id) VALUES (new.title, new.id);
  END`,
  `CREATE TRIGGER conversation_search_update AFTER UPDATE OF title ON conversations BEGIN
    UPDATE conversation_search SET title = new.title WHERE conversation_id = new.id;
  END`,
  `CREATE TRIGGER conversation_search_delete AFTER DELETE ON conversations BEGIN
    DELETE FROM conversation_search WHERE conversation_id = old.id;
  END`,
];

export const migrations: readonly Migration[] = [
  {
    version: 1,
    statements: (features) => [...coreTables, ...(features.fullTextSearch ? searchTables : [])],
  },
  {
    // Every applied version of the configuration (connections without keys, agents, rules, tiers, routes),
    // as the configuration file it would export to, so a rollback is an import of an older version.
    version: 2,
    statements: () => [
      `CREATE TABLE config_versions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('app', 'import', 'rollback')),
        changes TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        config TEXT NOT NULL
      )`,
    ],
  },
  {
    // Which gateway client (named token) made each gateway call; null for chat and tasks, and for
    // calls logged before clients had names.
    version: 3,
    statements: () => [
      'ALTER TABLE call_log ADD COLUMN client TEXT',
      'CREATE INDEX call_log_by_client ON call_log (client, at) WHERE client IS NOT NULL',
    ],
  },
  {
    // Hourly summaries of the call log (counts, spend, latency histograms) for the Activity charts and the
    // quality view, built here from the calls already logged and kept in step with every write after.
    version: 4,
    statements: () => [...summaryTables, ...summarizeStatements(1, '1').map((statement) => statement.sql)],
  },
  {
    // A task may name the provider and model it runs on (request model override), as JSON
    // {connectionId, model}; null when routing decides, as for every task before.
    version: 5,
    statements: () => ['ALTER TABLE tasks ADD COLUMN model_override TEXT'],
  },
  {
    // How a task's last run ended, in one line, written by the task runner from the run's call summary.
    version: 6,
    statements: () => ['ALTER TABLE tasks ADD COLUMN summary TEXT'],
  },
  {
    // The model the user pinned to a conversation in the chat's model picker; both null: it follows the Primary.
    version: 7,
    statements: () => [
      'ALTER TABLE conversations ADD COLUMN pinned_connection_id TEXT',
      'ALTER TABLE conversations ADD COLUMN pinned_model TEXT',
    ],
  },
];

export const latestSchemaVersion = migrations.reduce((latest, migration) => Math.max(latest, migration.version), 0);
