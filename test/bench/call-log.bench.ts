// log-insert-100k-ms: 100,000 calls logged through the call log repository (validation, redaction,
// capping, the storage worker), up to 1,000 in flight as a busy gateway logs them.
// log-query-1m-p95-ms: with 1,000,000 calls in the log, what the Activity view asks on opening and on
// every new call: a filtered page of 100 rows plus the chart aggregation of the last day, both run
// in the storage worker (off the main thread) over the hourly summaries; p95 over 30 rounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CallLogInput } from '../../src-shared/schemas/call-log';
import { createCallLogRepository } from '../../src-main/storage/call-log-repository';
import { summarizeStatements } from '../../src-main/storage/call-log-summary';
import { openDatabase } from '../../src-main/storage/database';
import type { Figure } from './run';

const INSERTS = Number(process.env.BENCH_LOG_INSERTS) || 100_000;
const IN_FLIGHT = 1_000;
const ROWS = 1_000_000;
const QUERY_ROUNDS = 30;
const DAY = 86_400_000;
const workerUrl = new URL('../../src-main/storage/storage-worker.ts', import.meta.url);

function entry(index: number, at: number): CallLogInput {
  return {
    at,
    source: index % 3 === 0 ? 'chat' : index % 3 === 1 ? 'task' : 'gateway',
    agent: index % 3 === 1 ? 'builder' : undefined,
    connectionId: `connection-${index % 4}`,
    connectionName: `Connection ${index % 4}`,
    providerKind: 'anthropic',
    requestedModel: 'claude-sonnet-4-6',
    modelVersion: 'claude-sonnet-4-6-20260101',
    attempt: 1,
    fallbackPosition: 0,
    outcome: index % 17 === 0 ? 'error' : 'success',
    latencyMs: 400 + (index % 900),
    timeToFirstTokenMs: 120 + (index % 300),
    inputTokens: 300 + (index % 500),
    outputTokens: 80 + (index % 200),
    costUsd: 0.002,
    reasons: [],
    prompt: `Summarise ticket ${index}: the customer reports that the export button does nothing on Firefox.`,
    response: `Ticket ${index}: export fails silently on Firefox; likely a blocked download. Suggest checking the browser console.`,
  };
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

export async function run(): Promise<Figure[]> {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-bench-log-'));
  try {
    const database = await openDatabase({ filePath: join(directory, 'switchboard.db'), workerUrl });
    const log = createCallLogRepository(database);
    const now = Date.now();

    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < INSERTS) {
        const index = next++;
        await log.record(entry(index, now - index * 1000), { secrets: ['sk-ant-bench-secret'] });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const insertMs = performance.now() - started;
    const counted = await database.get<{ n: number }>('SELECT count(*) AS n FROM call_log');
    if (counted?.n !== INSERTS) throw new Error(`logged ${counted?.n} calls, expected ${INSERTS}`);

    // The rest of the million, older and spread over 29 days as ids grow with time, written directly
    // (the insert path is measured above).
    await database.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - INSERTS})
      INSERT INTO call_log (at, source, connection_id, connection_name, provider_kind, requested_model, model_version, attempt,
        fallback_position, outcome, latency_ms, time_to_first_token_ms, input_tokens, output_tokens, cost_usd, text_bytes)
      SELECT ${now} - ${INSERTS * 1000} - (${ROWS - INSERTS} - i) * ${Math.floor((29 * DAY) / (ROWS - INSERTS))}, CASE i % 3 WHEN 0 THEN 'chat' WHEN 1 THEN 'task' ELSE 'gateway' END,
        'connection-' || (i % 4), 'Connection ' || (i % 4), CASE i % 4 WHEN 0 THEN 'anthropic' WHEN 1 THEN 'openai' WHEN 2 THEN 'gemini' ELSE 'ollama' END,
        'model-' || (i % 7), 'model-' || (i % 7) || '-v2', 1, 0, CASE WHEN i % 17 = 0 THEN 'error' ELSE 'success' END,
        (i * 7919) % 9000 + 100, (i * 104729) % 2000 + 50, (i * 31) % 4000, (i * 17) % 1000, ((i * 13) % 1000) / 100000.0, 200
      FROM n`);
    await database.exec(
      `INSERT INTO call_log_text (call_id, prompt, response) SELECT id, 'prompt ' || id, 'response ' || id FROM call_log WHERE id > ${INSERTS}`,
    );
    // Written around the repository, so summarized here as the schema migration summarizes an existing log.
    await database.transaction(summarizeStatements(1, `l.id > ${INSERTS}`));
    await database.exec('ANALYZE');
    const total = await database.get<{ n: number }>('SELECT count(*) AS n FROM call_log');
    if (total?.n !== ROWS) throw new Error(`the log holds ${total?.n} calls, expected ${ROWS}`);

    // The Activity view's own questions: the last day, tasks of one connection (a filtered page), and its charts.
    const times: number[] = [];
    const pageTimes: number[] = [];
    for (let round = 0; round < QUERY_ROUNDS; round += 1) {
      const filter = { from: now - DAY, sources: ['task' as const], connectionIds: [`connection-${round % 4}`] };
      const begun = performance.now();
      const [page, aggregates] = await Promise.all([
        log.page({ ...filter, limit: 100 }).then((result) => {
          pageTimes.push(performance.now() - begun);
          return result;
        }),
        log.aggregate({ ...filter, bucket: 'hour', groupBy: 'modelVersion', utcOffsetMinutes: 0 }),
      ]);
      times.push(performance.now() - begun);
      if (page.rows.length !== 100 || aggregates.length === 0) throw new Error('the Activity query found nothing');
    }
    await database.close();
    return [
      {
        name: 'log-insert-100k-ms',
        value: insertMs,
        unit: 'ms',
        target: '< 2000',
        note: `${Math.round((INSERTS / insertMs) * 1000).toLocaleString('en')} calls/s, ${IN_FLIGHT} in flight`,
      },
      {
        name: 'log-query-1m-p95-ms',
        value: percentile(times, 0.95),
        unit: 'ms',
        target: '< 50',
        note: `filtered page + chart aggregation of one day over ${ROWS.toLocaleString('en')} calls, in the storage worker; p50 ${percentile(times, 0.5).toFixed(1)} ms, page alone p95 ${percentile(pageTimes, 0.95).toFixed(1)} ms`,
      },
    ];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
