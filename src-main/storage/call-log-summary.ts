// Hourly summaries of the call log, kept in step with it: every batch of logged calls is added to them in
// the same transaction, and pruned calls are taken out of them, so charts and the quality view read a few
// thousand summary rows instead of scanning up to a million calls.
//
// Latency and time to first token are kept as histograms of logarithmic bins, each with the largest value
// it holds. A percentile read from them is the largest value of the bin where the nearest rank falls: the
// exact answer when the bin holds one distinct value, otherwise at most one bin width (2%) above it.
import type { BindValue, SqlValue } from './database';

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

/** What a summary needs of one logged call, as it is stored (null where the call has none). */
export interface SummarizedCall {
  at: number;
  connectionId: string;
  source: string;
  outcome: string;
  requestedModel: string;
  modelVersion?: string | null;
  agent?: string | null;
  providerKind: string;
  client?: string | null;
  errorCode?: string | null;
  latencyMs?: number | null;
  timeToFirstTokenMs?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  costUsd?: number | null;
}

/** The same statements run once per row of parameters (see the storage worker's `RepeatedStatements`). */
export interface RepeatedSummaryStatements {
  repeat: readonly string[];
  rows: readonly (readonly (readonly SqlValue[])[])[];
}

const upsertHourly = `INSERT INTO call_log_hourly (${keyColumns.join(', ')}, calls, schema_failures, empty_answers, input_tokens,
    output_tokens, cost_usd, unpriced, first_at)
  VALUES (${[...keyColumns, ...Array<string>(8)].map(() => '?').join(', ')})
  ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET calls = calls + excluded.calls,
    schema_failures = schema_failures + excluded.schema_failures, empty_answers = empty_answers + excluded.empty_answers,
    input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
    cost_usd = cost_usd + excluded.cost_usd, unpriced = unpriced + excluded.unpriced, first_at = min(first_at, excluded.first_at)`;

// A summary's bins go in one statement, as a JSON array of [metric, bin, calls, max ms]: the summary is looked up
// once by its key instead of once per bin (a batch of 500 calls fills about fifty bins per summary).
const upsertBins = `INSERT INTO call_log_hourly_latency (summary_id, metric, bin, calls, max_ms)
  SELECT s.id, b.value ->> 0, b.value ->> 1, b.value ->> 2, b.value ->> 3
  FROM call_log_hourly s, json_each(?) b WHERE ${keyColumns.map((column) => `s.${column} = ?`).join(' AND ')}
  ON CONFLICT (summary_id, metric, bin) DO UPDATE SET calls = calls + excluded.calls, max_ms = max(max_ms, excluded.max_ms)`;

const binDivisor = Math.log(LATENCY_BIN_RATIO);

/** The histogram bin of a value in ms, as `latencyBin` computes it in SQL. */
export function latencyBinOf(ms: number): number {
  return Math.trunc(Math.log(Math.max(ms, 1)) / binDivisor);
}

interface Group {
  key: readonly SqlValue[];
  calls: number;
  schemaFailures: number;
  emptyAnswers: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpriced: number;
  firstAt: number;
  /** Bin number * 2 + metric -> [metric, bin, calls, largest value]. */
  bins: Map<number, [metric: number, bin: number, calls: number, maxMs: number]>;
}

function addToBin(group: Group, metric: 0 | 1, ms: number | null | undefined): void {
  if (ms === undefined || ms === null) return;
  const bin = latencyBinOf(ms);
  const entry = group.bins.get(bin * 2 + metric);
  if (entry) {
    entry[2] += 1;
    if (ms > entry[3]) entry[3] = ms;
  } else group.bins.set(bin * 2 + metric, [metric, bin, 1, ms]);
}

/**
 * The summaries of a batch of calls being inserted, added up here rather than by SQL over the new rows: a
 * batch of 500 calls becomes a few dozen summary upserts and their histogram bins, which the storage worker
 * (the log's bottleneck under load) writes without scanning, grouping or sorting the calls again.
 */
export function summarizeCalls(calls: readonly SummarizedCall[]): RepeatedSummaryStatements[] {
  const groups = new Map<string, Group>();
  for (const call of calls) {
    const hour = Math.trunc(call.at / HOUR_MS) * HOUR_MS;
    const modelVersion = call.modelVersion ?? '';
    const agent = call.agent ?? '';
    const client = call.client ?? '';
    const id = `${hour}\u0001${call.connectionId}\u0001${call.source}\u0001${call.outcome}\u0001${call.requestedModel}\u0001${modelVersion}\u0001${agent}\u0001${call.providerKind}\u0001${client}`;
    let group = groups.get(id);
    if (!group) {
      group = {
        key: [hour, call.connectionId, call.source, call.outcome, call.requestedModel, modelVersion, agent, call.providerKind, client],
        calls: 0,
        schemaFailures: 0,
        emptyAnswers: 0,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        unpriced: 0,
        firstAt: call.at,
        bins: new Map(),
      };
      groups.set(id, group);
    }
    group.calls += 1;
    if (call.errorCode === 'schema_mismatch') group.schemaFailures += 1;
    if (call.errorCode === 'empty_answer') group.emptyAnswers += 1;
    group.inputTokens += call.inputTokens ?? 0;
    group.outputTokens += call.outputTokens ?? 0;
    group.costUsd += call.costUsd ?? 0;
    if ((call.costUsd ?? null) === null && (call.inputTokens ?? 0) + (call.outputTokens ?? 0) > 0) group.unpriced += 1;
    if (call.at < group.firstAt) group.firstAt = call.at;
    addToBin(group, 0, call.latencyMs);
    addToBin(group, 1, call.timeToFirstTokenMs);
  }
  const hourly: SqlValue[][][] = [];
  const bins: SqlValue[][][] = [];
  for (const group of groups.values()) {
    hourly.push([
      [
        ...group.key,
        group.calls,
        group.schemaFailures,
        group.emptyAnswers,
        group.inputTokens,
        group.outputTokens,
        group.costUsd,
        group.unpriced,
        group.firstAt,
      ],
    ]);
    if (group.bins.size > 0) bins.push([[JSON.stringify([...group.bins.values()]), ...group.key]]);
  }
  return [
    { repeat: [upsertHourly], rows: hourly },
    { repeat: [upsertBins], rows: bins },
  ];
}
