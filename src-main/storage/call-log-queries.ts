// SQL for the Activity view: shared filters, and figures per bucket and group computed inside SQLite (in
// the worker) from the hourly summaries, so neither main nor the worker scans every call for a chart.
import type { CallAggregateQuery, CallLogFilter } from '../../src-shared/schemas/call-log';
import type { BindValue } from './database';
import { HOUR_MS, latencyBin } from './call-log-summary';
import { AGENT_PREFIX } from './quality-report';
import { containsPattern } from './storage-helpers';

export interface SqlFragment {
  where: string;
  params: Record<string, BindValue>;
}

const DAY_MS = 24 * HOUR_MS;

function inList(column: string, name: string, values: readonly string[], params: Record<string, BindValue>): string {
  const names = values.map((value, index) => {
    params[`${name}${index}`] = value;
    return `:${name}${index}`;
  });
  return `${column} IN (${names.join(', ')})`;
}

/**
 * The filter's conditions on what a call and its hourly summary both hold (source, connection, client,
 * outcome, model), over the table aliased `alias`: `l` for calls, `s` for summaries. One set of parameter
 * names, so a query over both binds them once.
 */
function keyClauses(alias: 'l' | 's', filter: CallLogFilter, params: Record<string, BindValue>): string[] {
  const clauses: string[] = [];
  if (filter.sources?.length) clauses.push(inList(`${alias}.source`, 'source', filter.sources, params));
  if (filter.connectionIds?.length) clauses.push(inList(`${alias}.connection_id`, 'connection', filter.connectionIds, params));
  if (filter.clients?.length) clauses.push(inList(`${alias}.client`, 'client', filter.clients, params));
  if (filter.outcomes?.length) clauses.push(inList(`${alias}.outcome`, 'outcome', filter.outcomes, params));
  if (filter.models?.length) {
    const requested = inList(`${alias}.requested_model`, 'model', filter.models, params);
    clauses.push(`(${requested} OR ${requested.replace(`${alias}.requested_model`, `${alias}.model_version`)})`);
  }
  return clauses;
}

/** WHERE clause over `call_log` (aliased `l`) for a filter; an empty filter matches every call. */
export function callLogWhere(filter: CallLogFilter): SqlFragment {
  const clauses: string[] = [];
  const params: Record<string, BindValue> = {};
  if (filter.from !== undefined) {
    clauses.push('l.at >= :from');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    clauses.push('l.at < :to');
    params.to = filter.to;
  }
  clauses.push(...keyClauses('l', filter, params));
  if (filter.text) {
    params.text = containsPattern(filter.text);
    clauses.push(`(l.connection_name LIKE :text ESCAPE '\\' OR l.requested_model LIKE :text ESCAPE '\\'
      OR l.model_version LIKE :text ESCAPE '\\' OR l.error_code LIKE :text ESCAPE '\\' OR l.client LIKE :text ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM call_log_text t WHERE t.call_id = l.id AND (t.prompt LIKE :text ESCAPE '\\'
        OR t.response LIKE :text ESCAPE '\\' OR t.error_message LIKE :text ESCAPE '\\')))`);
  }
  return { where: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

/** Groupings of the charts: over a summary row (`s`) and over a call (`l`). */
const groupExpressions: Record<CallAggregateQuery['groupBy'], { summary: string; call: string }> = {
  provider: { summary: 's.provider_kind', call: 'l.provider_kind' },
  connection: { summary: 's.connection_id', call: 'l.connection_id' },
  model: { summary: 's.requested_model', call: 'l.requested_model' },
  modelVersion: {
    summary: "CASE s.model_version WHEN '' THEN s.requested_model ELSE s.model_version END",
    call: 'coalesce(l.model_version, l.requested_model)',
  },
  none: { summary: "''", call: "''" },
};

/** Far enough past any time the log holds to stand for "no bound". */
const UNBOUNDED = 8.64e15;

export interface FiguresShape {
  /** Time buckets (size and offset east of UTC, in ms), or null for one bucket (0) over the whole range. */
  bucket: { size: number; offset: number } | null;
  /** Key columns of the result: name, and its expression over a summary row `s` and over a call `l`. */
  keys: ReadonlyArray<{ name: string; summary: string; call: string }>;
}

/**
 * The hours the summaries can answer for: whole hours inside the filter's range, when the filter asks only
 * what they hold (not the text) and every bucket boundary falls on the hour. The rest is read from the calls.
 */
function summarizedHours(filter: CallLogFilter, shape: FiguresShape): { from: number; to: number } | null {
  if (filter.text) return null;
  if (shape.bucket && shape.bucket.offset % HOUR_MS !== 0) return null;
  const from = filter.from === undefined ? -UNBOUNDED : Math.ceil(filter.from / HOUR_MS) * HOUR_MS;
  const to = filter.to === undefined ? UNBOUNDED : Math.floor(filter.to / HOUR_MS) * HOUR_MS;
  return from < to ? { from, to } : null;
}

/** The filter over summary rows (aliased `s`), with the same parameter names as `callLogWhere`. */
function summaryWhere(filter: CallLogFilter): string {
  const clauses = keyClauses('s', filter, {});
  return clauses.length > 0 ? clauses.join(' AND ') : '1';
}

/**
 * Figures per bucket and key: counts by outcome, schema failures and empty answers, tokens, spend, and
 * p50/p95 of latency and time to first token. Whole hours come from the hourly summaries, the edges of the
 * range (and anything the summaries cannot answer) from the calls themselves, binned the same way, so a
 * chart over a month reads a few thousand summary rows. Percentiles are nearest-rank over the histogram:
 * the largest value in the bin where rank ceil(p * n) falls (see call-log-summary.ts).
 */
export function figuresSql(filter: CallLogFilter, shape: FiguresShape): { sql: string; params: Record<string, BindValue> } {
  const calls = callLogWhere(filter);
  const hours = summarizedHours(filter, shape);
  const params: Record<string, BindValue> = { ...calls.params };
  const bucketOf = (time: string) => {
    if (!shape.bucket) return '0';
    params.size = shape.bucket.size;
    params.offset = shape.bucket.offset;
    // node:sqlite binds JS numbers as REAL, so the division is made integral explicitly.
    return `CAST((${time} + :offset) / :size AS INTEGER) * :size - :offset`;
  };
  const keyNames = shape.keys.map((key) => key.name);
  const callKeys = shape.keys.map((key) => `${key.call} AS ${key.name}`).join(', ');
  const summaryKeys = shape.keys.map((key) => `${key.summary} AS ${key.name}`).join(', ');
  const callColumns = `${bucketOf('l.at')} AS bucket, ${callKeys}, l.outcome, l.error_code, l.latency_ms, l.time_to_first_token_ms,
    l.input_tokens, l.output_tokens, l.cost_usd`;
  let rawSql: string;
  let summarySql: string;
  if (hours) {
    params.hourFrom = hours.from;
    params.hourTo = hours.to;
    rawSql = `SELECT ${callColumns} FROM call_log l WHERE ${calls.where} AND l.at < :hourFrom
      UNION ALL SELECT ${callColumns} FROM call_log l WHERE ${calls.where} AND l.at >= :hourTo`;
    summarySql = `SELECT ${bucketOf('s.hour')} AS bucket, ${summaryKeys}, s.id, s.outcome, s.calls, s.schema_failures, s.empty_answers,
        s.input_tokens, s.output_tokens, s.cost_usd, s.unpriced
      FROM call_log_hourly s WHERE ${summaryWhere(filter)} AND s.hour >= :hourFrom AND s.hour < :hourTo`;
  } else {
    rawSql = `SELECT ${callColumns} FROM call_log l WHERE ${calls.where}`;
    summarySql = `SELECT 0 AS bucket, ${keyNames.map((name) => `'' AS ${name}`).join(', ')}, 0 AS id, '' AS outcome, 0 AS calls,
      0 AS schema_failures, 0 AS empty_answers, 0 AS input_tokens, 0 AS output_tokens, 0.0 AS cost_usd, 0 AS unpriced WHERE 0`;
  }
  const group = ['bucket', ...keyNames].join(', ');
  const measured = (metric: 0 | 1, column: string) =>
    `SELECT ${group}, ${metric} AS metric, ${latencyBin(column)} AS bin, 1 AS calls, ${column} AS max_ms FROM raw WHERE ${column} IS NOT NULL`;
  const percentile = (metric: 0 | 1, share: number) => `min(CASE WHEN metric = ${metric} AND running >= ${share} * total THEN max_ms END)`;
  const sql = `WITH raw AS MATERIALIZED (${rawSql}),
    summaries AS MATERIALIZED (${summarySql}),
    totals AS (
      SELECT ${group}, sum(calls) AS calls, sum(CASE outcome WHEN 'error' THEN calls ELSE 0 END) AS errors,
        sum(CASE outcome WHEN 'interrupted' THEN calls ELSE 0 END) AS interrupted,
        sum(CASE outcome WHEN 'escalated' THEN calls ELSE 0 END) AS escalations,
        sum(schema_failures) AS schema_failures, sum(empty_answers) AS empty_answers,
        sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd, sum(unpriced) AS unpriced
      FROM (
        SELECT ${group}, outcome, calls, schema_failures, empty_answers, input_tokens, output_tokens, cost_usd, unpriced FROM summaries
        UNION ALL
        SELECT ${group}, outcome, 1, coalesce(error_code = 'schema_mismatch', 0), coalesce(error_code = 'empty_answer', 0), coalesce(input_tokens, 0),
          coalesce(output_tokens, 0), coalesce(cost_usd, 0.0), cost_usd IS NULL AND (coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) > 0
        FROM raw
      ) GROUP BY ${group} HAVING sum(calls) > 0
    ),
    bins AS (
      SELECT ${group}, metric, bin, sum(calls) AS calls, max(max_ms) AS max_ms FROM (
        SELECT ${['bucket', ...keyNames].map((name) => `s.${name}`).join(', ')}, h.metric, h.bin, h.calls, h.max_ms
          FROM summaries s JOIN call_log_hourly_latency h ON h.summary_id = s.id
        UNION ALL ${measured(0, 'latency_ms')}
        UNION ALL ${measured(1, 'time_to_first_token_ms')}
      ) GROUP BY ${group}, metric, bin HAVING sum(calls) > 0
    ),
    ranked AS (
      SELECT ${group}, metric, max_ms,
        sum(calls) OVER (PARTITION BY ${group}, metric ORDER BY bin) AS running,
        sum(calls) OVER (PARTITION BY ${group}, metric) AS total
      FROM bins
    ),
    percentiles AS (
      SELECT ${group}, ${percentile(0, 0.5)} AS latency_p50, ${percentile(0, 0.95)} AS latency_p95,
        ${percentile(1, 0.5)} AS first_token_p50, ${percentile(1, 0.95)} AS first_token_p95
      FROM ranked GROUP BY ${group}
    )
    SELECT t.bucket AS bucketStart, ${keyNames.map((name) => `t.${name}`).join(', ')}, t.calls, t.errors, t.interrupted, t.escalations,
      CAST(t.errors AS REAL) / t.calls AS errorRate,
      p.latency_p50 AS latencyP50Ms, p.latency_p95 AS latencyP95Ms,
      p.first_token_p50 AS timeToFirstTokenP50Ms, p.first_token_p95 AS timeToFirstTokenP95Ms,
      t.input_tokens AS inputTokens, t.output_tokens AS outputTokens, t.cost_usd AS costUsd, t.unpriced AS unpricedCalls,
      t.schema_failures AS schemaFailures, t.empty_answers AS emptyAnswers
    FROM totals t LEFT JOIN percentiles p ON ${['bucket', ...keyNames].map((name) => `p.${name} = t.${name}`).join(' AND ')}
    ORDER BY ${['bucket', ...keyNames].map((name) => `t.${name}`).join(', ')}`;
  return { sql, params };
}

/** One row per (bucket, group): counts, rates, p50/p95 latency and time to first token, tokens, spend. */
export function aggregateSql(query: Required<Pick<CallAggregateQuery, 'bucket' | 'groupBy' | 'utcOffsetMinutes'>> & CallLogFilter): {
  sql: string;
  params: Record<string, BindValue>;
} {
  return figuresSql(query, {
    bucket: { size: query.bucket === 'hour' ? HOUR_MS : DAY_MS, offset: query.utcOffsetMinutes * 60_000 },
    keys: [{ name: 'key', ...groupExpressions[query.groupBy] }],
  });
}

/** Figures per subject (agent, else source) and model version over the filter's whole range, for the quality view. */
export function qualitySql(filter: CallLogFilter): { sql: string; params: Record<string, BindValue> } {
  return figuresSql(filter, {
    bucket: null,
    keys: [
      {
        name: 'subject',
        summary: `CASE s.agent WHEN '' THEN s.source ELSE '${AGENT_PREFIX}' || s.agent END`,
        call: `CASE WHEN coalesce(l.agent, '') = '' THEN l.source ELSE '${AGENT_PREFIX}' || l.agent END`,
      },
      { name: 'modelVersion', ...groupExpressions.modelVersion },
    ],
  });
}

/** When each connection first reported each model version, from the summaries (every call ever kept). */
export const versionHistorySql = `SELECT connection_id AS connectionId, model_version AS modelVersion, min(first_at) AS firstAt
  FROM call_log_hourly WHERE model_version != '' GROUP BY connection_id, model_version`;
