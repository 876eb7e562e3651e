// SQL for the Activity view: shared filters, and per-bucket aggregates with percentiles computed inside
// SQLite (in the worker), so main never loads every row to sort latencies.
import type { CallAggregateQuery, CallLogFilter } from '../../src-shared/schemas/call-log';
import type { BindValue } from './database';
import { containsPattern } from './storage-helpers';

export interface SqlFragment {
  where: string;
  params: Record<string, BindValue>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function inList(column: string, name: string, values: readonly string[], params: Record<string, BindValue>): string {
  const names = values.map((value, index) => {
    params[`${name}${index}`] = value;
    return `:${name}${index}`;
  });
  return `${column} IN (${names.join(', ')})`;
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
  if (filter.sources?.length) clauses.push(inList('l.source', 'source', filter.sources, params));
  if (filter.connectionIds?.length) clauses.push(inList('l.connection_id', 'connection', filter.connectionIds, params));
  if (filter.clients?.length) clauses.push(inList('l.client', 'client', filter.clients, params));
  if (filter.outcomes?.length) clauses.push(inList('l.outcome', 'outcome', filter.outcomes, params));
  if (filter.models?.length) {
    const requested = inList('l.requested_model', 'model', filter.models, params);
    clauses.push(`(${requested} OR ${requested.replace('l.requested_model', 'l.model_version')})`);
  }
  if (filter.text) {
    params.text = containsPattern(filter.text);
    clauses.push(`(l.connection_name LIKE :text ESCAPE '\\' OR l.requested_model LIKE :text ESCAPE '\\'
      OR l.model_version LIKE :text ESCAPE '\\' OR l.error_code LIKE :text ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM call_log_text t WHERE t.call_id = l.id AND (t.prompt LIKE :text ESCAPE '\\'
        OR t.response LIKE :text ESCAPE '\\' OR t.error_message LIKE :text ESCAPE '\\')))`);
  }
  return { where: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

const groupExpressions: Record<CallAggregateQuery['groupBy'], string> = {
  provider: 'l.provider_kind',
  connection: 'l.connection_id',
  model: 'l.requested_model',
  modelVersion: 'coalesce(l.model_version, l.requested_model)',
  none: "''",
};

/**
 * Nearest-rank percentiles of `column` per (bucket, group_key): the smallest value v with
 * count(values <= v) >= ceil(p * n), i.e. the smallest value whose cume_dist() reaches p. One sort per column;
 * SQLite's own percentile functions are optional in its builds and interpolate or round differently.
 */
function percentiles(column: string): string {
  return `SELECT bucket, group_key,
      min(CASE WHEN share >= 0.5 THEN measured END) AS p50,
      min(CASE WHEN share >= 0.95 THEN measured END) AS p95
    FROM (
      SELECT bucket, group_key, ${column} AS measured, cume_dist() OVER (PARTITION BY bucket, group_key ORDER BY ${column}) AS share
      FROM base WHERE ${column} IS NOT NULL
    ) GROUP BY bucket, group_key`;
}

/** One row per (bucket, group): counts, rates, p50/p95 latency and time to first token, tokens, spend. */
export function aggregateSql(
  query: Required<Pick<CallAggregateQuery, 'bucket' | 'groupBy' | 'utcOffsetMinutes'>> & CallLogFilter,
): SqlFragment & {
  sql: string;
} {
  const filter = callLogWhere(query);
  const size = query.bucket === 'hour' ? HOUR_MS : DAY_MS;
  const offset = query.utcOffsetMinutes * 60_000;
  const params = { ...filter.params, size, offset };
  // Buckets start at local midnight (or the local hour) for the given offset, expressed back in UTC ms.
  // node:sqlite binds JS numbers as REAL, so the division is made integral explicitly.
  const sql = `WITH base AS MATERIALIZED (
      SELECT CAST((l.at + :offset) / :size AS INTEGER) * :size - :offset AS bucket, ${groupExpressions[query.groupBy]} AS group_key,
        l.outcome, l.latency_ms, l.time_to_first_token_ms, l.input_tokens, l.output_tokens, l.cost_usd
      FROM call_log l WHERE ${filter.where}
    ),
    totals AS (
      SELECT bucket, group_key, count(*) AS calls,
        sum(outcome = 'error') AS errors, sum(outcome = 'interrupted') AS interrupted, sum(outcome = 'escalated') AS escalations,
        coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
        coalesce(sum(cost_usd), 0.0) AS cost_usd,
        sum(cost_usd IS NULL AND (coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) > 0) AS unpriced
      FROM base GROUP BY bucket, group_key
    ),
    latency AS (${percentiles('latency_ms')}),
    first_token AS (${percentiles('time_to_first_token_ms')})
    SELECT t.bucket AS bucketStart, t.group_key AS key, t.calls, t.errors, t.interrupted, t.escalations,
      CAST(t.errors AS REAL) / t.calls AS errorRate,
      latency.p50 AS latencyP50Ms, latency.p95 AS latencyP95Ms,
      first_token.p50 AS timeToFirstTokenP50Ms, first_token.p95 AS timeToFirstTokenP95Ms,
      t.input_tokens AS inputTokens, t.output_tokens AS outputTokens, t.cost_usd AS costUsd,
      t.unpriced AS unpricedCalls
    FROM totals t
    LEFT JOIN latency ON latency.bucket = t.bucket AND latency.group_key = t.group_key
    LEFT JOIN first_token ON first_token.bucket = t.bucket AND first_token.group_key = t.group_key
    ORDER BY t.bucket, t.group_key`;
  return { sql, where: filter.where, params };
}
