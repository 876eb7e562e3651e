// The local call log: one row per call attempt, redacted and size-capped, queried by the Activity view.
import { z } from 'zod';
import {
  callAggregateQuerySchema,
  callLogFilterSchema,
  callLogInputSchema,
  callLogPageQuerySchema,
  callLogRetentionSchema,
  callReasonSchema,
  type CallAggregate,
  type CallAggregateQuery,
  type CallLogDetail,
  type CallLogExportRow,
  type CallLogFilter,
  type CallLogInput,
  type CallLogPage,
  type CallLogPageQuery,
  type CallLogRetention,
  type CallLogRow,
  type ClientUsage,
  type ConnectionSpend,
} from '../../src-shared/schemas/call-log';
import type { QualityReport } from '../../src-shared/schemas/quality';
import { aggregateSql, callLogWhere, qualitySql, versionHistorySql } from './call-log-queries';
import { summarizeCalls, summarizeStatements, type SummarizedCall } from './call-log-summary';
import type { Database, SqlValue } from './database';
import { capText, createRedactor, stringifyRedacted, utf8Length, type Redactor } from './redact';
import { qualityReport, type QualityFigures, type VersionFirstSeen } from './quality-report';
import { parseInput, readJson, type Clock } from './storage-helpers';

/** Prompt and response are each kept to this many bytes of UTF-8 unless configured otherwise. */
export const DEFAULT_MAX_TEXT_BYTES = 8 * 1024;

const PREVIEW_LENGTH = 200;
const DAY_MS = 86_400_000;

export interface CallLogRepositoryOptions {
  now?: Clock;
  /** Cap for the stored prompt and for the stored response, each, in bytes. */
  maxTextBytes?: number;
}

export interface RecordOptions {
  /** Every API key in use: removed from everything stored. Required so no caller can forget it. */
  secrets: readonly string[];
}

export interface PruneResult {
  removed: number;
}

export interface CallLogRepository {
  /** Stores one call attempt after redacting `secrets` everywhere and capping the texts; returns its id. */
  record(entry: CallLogInput, options: RecordOptions): Promise<number>;
  get(id: number): Promise<CallLogDetail | null>;
  /** Newest first; pass `nextCursor` back as `beforeId` for older rows. */
  page(query?: CallLogPageQuery): Promise<CallLogPage>;
  /** Every call matching the filter, newest first, with its stored texts, read a batch at a time. */
  exportRows(filter: CallLogFilter): AsyncIterable<CallLogExportRow>;
  /** Figures per time bucket and group (provider, connection, model, model version). */
  aggregate(query: CallAggregateQuery): Promise<CallAggregate[]>;
  /** Per agent and model version: escalations, schema failures, empty answers, errors, latency, cost; version changes. */
  quality(filter: CallLogFilter): Promise<QualityReport>;
  /** Spend since the start of the current local month, per connection, for budgets. */
  monthToDateSpend(): Promise<ConnectionSpend[]>;
  /** Calls, spend and the newest call per gateway client since `since` (ms since the epoch). */
  clientUsage(since: number): Promise<ClientUsage[]>;
  /** Every gateway client name in the log, sorted, for the Activity filter. */
  clientNames(): Promise<string[]>;
  /** Drops calls past the age, row count or text size limits, oldest first. */
  prune(retention?: CallLogRetention): Promise<PruneResult>;
}

const rowColumns = `l.id, l.at, l.source, l.agent, l.conversation_id AS conversationId, l.task_id AS taskId, l.client,
  l.connection_id AS connectionId, l.connection_name AS connectionName, l.provider_kind AS providerKind,
  l.requested_model AS requestedModel, l.model_version AS modelVersion, l.attempt, l.fallback_position AS fallbackPosition,
  l.outcome, l.error_code AS errorCode, l.latency_ms AS latencyMs, l.time_to_first_token_ms AS timeToFirstTokenMs,
  l.input_tokens AS inputTokens, l.output_tokens AS outputTokens, l.cost_usd AS costUsd`;

/** Rows read per query while exporting: bounded memory however many calls match. */
const EXPORT_BATCH = 1000;

const previewColumns = `coalesce(substr(t.prompt, 1, ${PREVIEW_LENGTH}), '') AS promptPreview,
  coalesce(substr(t.response, 1, ${PREVIEW_LENGTH}), '') AS responsePreview`;

interface DetailRow extends CallLogRow {
  reasons: string | null;
  errorMessage: string | null;
  prompt: string | null;
  response: string | null;
  promptTruncated: number | null;
  responseTruncated: number | null;
}

const reasonsSchema = z.array(callReasonSchema);

type ParsedInput = z.output<typeof callLogInputSchema>;

/**
 * Every field a key could end up in (text, names, messages); enums and numbers cannot hold one.
 * The reasons are redacted as they are written out (stringifyRedacted).
 */
function redactFreeText(entry: ParsedInput, redact: Redactor): Omit<ParsedInput, 'reasons'> {
  const optional = (text: string | undefined) => (text === undefined ? undefined : redact(text));
  return {
    ...entry,
    agent: optional(entry.agent),
    client: optional(entry.client),
    connectionName: redact(entry.connectionName),
    requestedModel: redact(entry.requestedModel),
    modelVersion: optional(entry.modelVersion),
    errorMessage: optional(entry.errorMessage),
    prompt: redact(entry.prompt),
    response: redact(entry.response),
  };
}

const insertCall = `INSERT INTO call_log (at, source, agent, conversation_id, task_id, client, connection_id, connection_name, provider_kind,
    requested_model, model_version, attempt, fallback_position, outcome, error_code, latency_ms, time_to_first_token_ms,
    input_tokens, output_tokens, cost_usd, text_bytes)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const insertText = `INSERT INTO call_log_text (call_id, reasons, error_message, prompt, response, prompt_truncated, response_truncated)
  VALUES (last_insert_rowid(), ?, ?, ?, ?, ?, ?)`;

/** Calls written in one transaction at most, so a long backlog still goes in steps the next batch can follow. */
const MAX_BATCH = 500;
/** Transactions on their way to the worker at once: the next batch is prepared while one is being written. */
const MAX_WRITES = 2;

type CallRow = readonly [call: readonly SqlValue[], text: readonly SqlValue[]];

export function createCallLogRepository(database: Database, options: CallLogRepositoryOptions = {}): CallLogRepository {
  const now = options.now ?? Date.now;
  const maxTextBytes = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;

  // Group commit: calls logged in the same turn of the event loop, or while earlier writes are on their way
  // to the worker, go together in the next transaction (with their hourly summaries): a gateway under load
  // writes one transaction per batch, not per call. Nothing waits on a timer, so a hard kill loses only the
  // calls in flight, never more than the last moments of the log.
  let pending: Array<{ row: CallRow; call: SummarizedCall; resolve(id: number): void; reject(error: unknown): void }> = [];
  let writes = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    while (writes < MAX_WRITES && pending.length > 0) {
      const batch = pending.slice(0, MAX_BATCH);
      pending = pending.slice(MAX_BATCH);
      writes += 1;
      database
        .transaction([
          { repeat: [insertCall, insertText], rows: batch.map((item) => item.row) },
          ...summarizeCalls(batch.map((item) => item.call)),
        ])
        .then(
          (results) => {
            const ids = results[0] as number[];
            batch.forEach((item, index) => item.resolve(ids[index]!));
          },
          (error: unknown) => batch.forEach((item) => item.reject(error)),
        )
        .finally(() => {
          writes -= 1;
          schedule();
        });
    }
  };
  const schedule = () => {
    if (scheduled || pending.length === 0 || writes >= MAX_WRITES) return;
    scheduled = true;
    setImmediate(flush);
  };
  const commit = (row: CallRow, call: SummarizedCall) =>
    new Promise<number>((resolve, reject) => {
      pending.push({ row, call, resolve, reject });
      schedule();
    });

  // The same keys come with every call: their redactor is made once until they change.
  let redactorSecrets: readonly string[] = [];
  let redactor = createRedactor([]);
  const redactorFor = (secrets: readonly string[]): Redactor => {
    if (secrets.length !== redactorSecrets.length || secrets.some((secret, index) => secret !== redactorSecrets[index])) {
      redactorSecrets = [...secrets];
      redactor = createRedactor(secrets);
    }
    return redactor;
  };

  return {
    async record(entry, recordOptions) {
      // Redact before capping: a cut could leave half a key that no longer matches the secret.
      const input = parseInput(callLogInputSchema, entry);
      const redactor = redactorFor(recordOptions.secrets);
      const parsed = redactFreeText(input, redactor);
      const prompt = capText(parsed.prompt, maxTextBytes);
      const response = capText(parsed.response, maxTextBytes);
      const reasons = input.reasons.length > 0 ? stringifyRedacted(input.reasons, redactor) : null;
      const errorMessage = parsed.errorMessage ?? null;
      const textBytes = utf8Length(prompt.text) + utf8Length(response.text) + utf8Length(reasons ?? '') + utf8Length(errorMessage ?? '');
      return commit(
        [
          [
            parsed.at,
            parsed.source,
            parsed.agent ?? null,
            parsed.conversationId ?? null,
            parsed.taskId ?? null,
            parsed.client ?? null,
            parsed.connectionId,
            parsed.connectionName,
            parsed.providerKind,
            parsed.requestedModel,
            parsed.modelVersion ?? null,
            parsed.attempt,
            parsed.fallbackPosition,
            parsed.outcome,
            parsed.errorCode ?? null,
            parsed.latencyMs ?? null,
            parsed.timeToFirstTokenMs ?? null,
            parsed.inputTokens ?? null,
            parsed.outputTokens ?? null,
            parsed.costUsd ?? null,
            textBytes,
          ],
          [reasons, errorMessage, prompt.text, response.text, Number(prompt.truncated), Number(response.truncated)],
        ],
        parsed,
      );
    },

    async get(id) {
      const row = await database.get<DetailRow>(
        `SELECT ${rowColumns}, ${previewColumns}, t.reasons, t.error_message AS errorMessage, t.prompt, t.response,
           t.prompt_truncated AS promptTruncated, t.response_truncated AS responseTruncated
         FROM call_log l LEFT JOIN call_log_text t ON t.call_id = l.id WHERE l.id = ?`,
        [id],
      );
      if (!row) return null;
      return {
        ...row,
        reasons: readJson(row.reasons, reasonsSchema, []),
        prompt: row.prompt ?? '',
        response: row.response ?? '',
        promptTruncated: row.promptTruncated === 1,
        responseTruncated: row.responseTruncated === 1,
      };
    },

    async page(query = {}) {
      const parsed = parseInput(callLogPageQuerySchema, query);
      const filter = callLogWhere(parsed);
      // Newest first by time, which the time index yields in order: the query stops after one page however
      // many calls match. The cursor is the last row's id; rows at the same moment follow in id order.
      const cursorAt = '(SELECT at FROM call_log WHERE id = :beforeId)';
      const cursor = parsed.beforeId === undefined ? '' : `AND l.at <= ${cursorAt} AND (l.at < ${cursorAt} OR l.id < :beforeId)`;
      const rows = await database.all<CallLogRow>(
        `SELECT ${rowColumns}, ${previewColumns} FROM call_log l LEFT JOIN call_log_text t ON t.call_id = l.id
         WHERE ${filter.where} ${cursor} ORDER BY l.at DESC, l.id DESC LIMIT :limit`,
        { ...filter.params, ...(parsed.beforeId === undefined ? {} : { beforeId: parsed.beforeId }), limit: parsed.limit + 1 },
      );
      const page = rows.slice(0, parsed.limit);
      return { rows: page, nextCursor: rows.length > parsed.limit ? (page.at(-1)?.id ?? null) : null };
    },

    async *exportRows(filter) {
      const where = callLogWhere(parseInput(callLogFilterSchema, filter));
      let beforeId: number | undefined;
      for (;;) {
        const cursor = beforeId === undefined ? '' : 'AND l.id < :beforeId';
        const rows = await database.all<Omit<CallLogExportRow, 'prompt' | 'response'> & { prompt: string | null; response: string | null }>(
          `SELECT l.id, l.at, l.source, l.agent, l.client, l.connection_id AS connectionId, l.connection_name AS connectionName,
             l.provider_kind AS providerKind, l.requested_model AS requestedModel, l.model_version AS modelVersion, l.attempt,
             l.fallback_position AS fallbackPosition, l.outcome, l.error_code AS errorCode, t.error_message AS errorMessage,
             l.latency_ms AS latencyMs, l.time_to_first_token_ms AS timeToFirstTokenMs, l.input_tokens AS inputTokens,
             l.output_tokens AS outputTokens, l.cost_usd AS costUsd, t.prompt, t.response
           FROM call_log l LEFT JOIN call_log_text t ON t.call_id = l.id
           WHERE ${where.where} ${cursor} ORDER BY l.id DESC LIMIT :limit`,
          { ...where.params, ...(beforeId === undefined ? {} : { beforeId }), limit: EXPORT_BATCH },
        );
        for (const row of rows) yield { ...row, prompt: row.prompt ?? '', response: row.response ?? '' };
        if (rows.length < EXPORT_BATCH) return;
        beforeId = rows.at(-1)!.id;
      }
    },

    async aggregate(query) {
      const parsed = parseInput(callAggregateQuerySchema, query);
      const { sql, params } = aggregateSql(parsed);
      return database.all<CallAggregate>(sql, params);
    },

    async quality(filter) {
      const parsed = parseInput(callLogFilterSchema, filter);
      const { sql, params } = qualitySql(parsed);
      const [figures, history] = await Promise.all([
        database.all<QualityFigures>(sql, params),
        database.all<VersionFirstSeen>(versionHistorySql),
      ]);
      return qualityReport(figures, history, parsed);
    },

    async monthToDateSpend() {
      const today = new Date(now());
      const monthStart = new Date(today.getFullYear(), today.getMonth(), 1).getTime();
      return database.all<ConnectionSpend>(
        `SELECT connection_id AS connectionId, coalesce(sum(cost_usd), 0.0) AS costUsd, count(*) AS calls,
           sum(cost_usd IS NULL AND (coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) > 0) AS unpricedCalls
         FROM call_log WHERE at >= ? GROUP BY connection_id ORDER BY connection_id`,
        [monthStart],
      );
    },

    async clientUsage(since) {
      return database.all<ClientUsage>(
        `SELECT client, count(*) AS calls, coalesce(sum(cost_usd), 0.0) AS costUsd, max(at) AS lastAt,
           sum(cost_usd IS NULL AND (coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) > 0) AS unpricedCalls
         FROM call_log WHERE client IS NOT NULL AND at >= ? GROUP BY client ORDER BY client`,
        [since],
      );
    },

    async clientNames() {
      const rows = await database.all<{ client: string }>('SELECT DISTINCT client FROM call_log WHERE client IS NOT NULL ORDER BY client');
      return rows.map((row) => row.client);
    },

    async prune(retention = {}) {
      const limits = parseInput(callLogRetentionSchema, retention);
      // The newest calls to keep by count and by text size, worked out first; calls logged meanwhile are newer
      // still, so the bounds stay right. Ids grow with insertion, so "newest N" is "highest N ids".
      const byCount = await database.get<{ id: number }>('SELECT id FROM call_log ORDER BY id DESC LIMIT 1 OFFSET ?', [limits.maxRows]);
      const bySize = await database.get<{ id: number | null }>(
        'SELECT max(id) AS id FROM (SELECT id, sum(text_bytes) OVER (ORDER BY id DESC) AS kept FROM call_log) WHERE kept > ?',
        [limits.maxTextBytes],
      );
      const params = { before: now() - limits.maxAgeDays * DAY_MS, upTo: Math.max(byCount?.id ?? 0, bySize?.id ?? 0) };
      const where = 'l.at < :before OR l.id <= :upTo';
      const results = await database.transaction([
        ...summarizeStatements(-1, where, params),
        { sql: `DELETE FROM call_log AS l WHERE ${where}`, params },
      ]);
      const removed = (results.at(-1) as { changes: number }).changes;
      // Hands the freed pages back to the file system; only possible outside the transaction.
      if (removed > 0) await database.exec('PRAGMA incremental_vacuum');
      return { removed };
    },
  };
}
