// Hourly summaries of the call log, kept in step with it: every batch of logged calls is added to them in
// the same transaction, and pruned calls are taken out of them, so charts and the quality view read a few
// thousand summary rows instead of scanning up to a million calls.
//
// Latency and time to first token are kept as histograms of logarithmic bins, each with the largest value
// it holds. A percentile read from them is the largest value of the bin where the nearest rank falls: the
// exact answer when the bin holds one distinct value, otherwise at most one bin width (2%) above it.
import type { BindValue } from './database';

type SqlStatement = { sql: string; params: Record<string, BindValue> } | { sql: string; params?: undefined };

export const HOUR_MS = 3_600_000;

/** Each latency bin spans values within this ratio of each other. */
export const LATENCY_BIN_RATIO = 1.05;

/** The summary's key, in the order of its unique index. */
const keyColumns = [
  'hour',
  'connection_id',
  'source',
  'outcome',
  'requested_model',
  'model_version',
  'agent',
  'provider_kind',
  'client',
] as const;

/** The key of a call (aliased `l`) as its summary row holds it: '' for no agent, version or gateway client. */
const keyExpressions: Record<(typeof keyColumns)[number], string> = {
  hour: `CAST(l.at / ${HOUR_MS} AS INTEGER) * ${HOUR_MS}`,
  connection_id: 'l.connection_id',
  source: 'l.source',
  outcome: 'l.outcome',
  requested_model: 'l.requested_model',
  model_version: "coalesce(l.model_version, '')",
  agent: "coalesce(l.agent, '')",
  provider_kind: 'l.provider_kind',
  client: "coalesce(l.client, '')",
};

/** The histogram bin of a value in ms (values under 1 ms share bin 0). */
export function latencyBin(column: string): string {
  return `CAST(ln(max(${column}, 1)) / ${Math.log(LATENCY_BIN_RATIO)} AS INTEGER)`;
}

export const summaryTables = [
  `CREATE TABLE call_log_hourly (
    id INTEGER PRIMARY KEY,
    hour INTEGER NOT NULL,
    connection_id TEXT NOT NULL,
    source TEXT NOT NULL,
    outcome TEXT NOT NULL,
    requested_model TEXT NOT NULL,
    model_version TEXT NOT NULL,
    agent TEXT NOT NULL,
    provider_kind TEXT NOT NULL,
    client TEXT NOT NULL,
    calls INTEGER NOT NULL,
    schema_failures INTEGER NOT NULL,
    empty_answers INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    unpriced INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    UNIQUE (${keyColumns.join(', ')})
  )`,
  // Model versions per connection, oldest first, for the version-change markers.
  'CREATE INDEX call_log_hourly_by_version ON call_log_hourly (connection_id, model_version, first_at)',
  `CREATE TABLE call_log_hourly_latency (
    summary_id INTEGER NOT NULL REFERENCES call_log_hourly (id) ON DELETE CASCADE,
    metric INTEGER NOT NULL CHECK (metric IN (0, 1)),
    bin INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    max_ms REAL NOT NULL,
    PRIMARY KEY (summary_id, metric, bin)
  ) WITHOUT ROWID`,
];

/**
 * Adds (sign 1) or takes away (sign -1) the calls of `call_log l` matching `where` to or from the summaries.
 * Taking away leaves each bin's largest value as it was: still a value of that bin, so still within 2%.
 */
export function summarizeStatements(sign: 1 | -1, where: string, params: Record<string, number> = {}): SqlStatement[] {
  const keys = keyColumns.map((column) => `${keyExpressions[column]} AS ${column}`).join(', ');
  const measured = (metric: 0 | 1, column: string) =>
    `SELECT ${keys}, ${metric} AS metric, ${latencyBin(column)} AS bin, ${column} AS ms FROM call_log l WHERE (${where}) AND ${column} IS NOT NULL`;
  const statements: SqlStatement[] = [
    {
      sql: `INSERT INTO call_log_hourly (${keyColumns.join(', ')}, calls, schema_failures, empty_answers, input_tokens, output_tokens,
              cost_usd, unpriced, first_at)
            SELECT ${keys}, ${sign} * count(*), ${sign} * count(CASE l.error_code WHEN 'schema_mismatch' THEN 1 END), ${sign} * count(CASE l.error_code WHEN 'empty_answer' THEN 1 END),
              ${sign} * coalesce(sum(l.input_tokens), 0), ${sign} * coalesce(sum(l.output_tokens), 0), ${sign} * coalesce(sum(l.cost_usd), 0.0),
              ${sign} * sum(l.cost_usd IS NULL AND (coalesce(l.input_tokens, 0) + coalesce(l.output_tokens, 0)) > 0), min(l.at)
            FROM call_log l WHERE ${where} GROUP BY ${keyColumns.map((_, index) => index + 1).join(', ')}
            ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET calls = calls + excluded.calls,
              schema_failures = schema_failures + excluded.schema_failures, empty_answers = empty_answers + excluded.empty_answers,
              input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
              cost_usd = cost_usd + excluded.cost_usd, unpriced = unpriced + excluded.unpriced, first_at = min(first_at, excluded.first_at)`,
      params,
    },
    {
      sql: `INSERT INTO call_log_hourly_latency (summary_id, metric, bin, calls, max_ms)
            SELECT s.id, v.metric, v.bin, ${sign} * count(*), max(v.ms)
            FROM (${measured(0, 'l.latency_ms')} UNION ALL ${measured(1, 'l.time_to_first_token_ms')}) v
            JOIN call_log_hourly s ON ${keyColumns.map((column) => `s.${column} = v.${column}`).join(' AND ')}
            GROUP BY s.id, v.metric, v.bin
            ON CONFLICT (summary_id, metric, bin) DO UPDATE SET calls = calls + excluded.calls, max_ms = max(max_ms, excluded.max_ms)`,
      params,
    },
  ];
  // Summaries whose every call is gone go too (their bins with them).
  if (sign === -1) statements.push({ sql: 'DELETE FROM call_log_hourly WHERE calls <= 0' });
  return statements;
}

/** The summaries of the `count` calls just inserted (ids are handed out in order within one transaction). */
export function summarizeLatest(count: number): SqlStatement[] {
  return summarizeStatements(1, 'l.id > (SELECT max(id) FROM call_log) - :count', { count });
}
