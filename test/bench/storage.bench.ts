// storage-open-10k-ms: opening a 10,000-message conversation (newest page of 100 + total count) through the
// worker. storage-aggregate-100k-ms: the Activity aggregate over 100,000 calls. storage-aggregate-main-thread-
// block-ms: the longest event-loop stall on the calling thread while that aggregate runs in the worker; its
// baseline is the same query run synchronously on the calling thread, i.e. what the worker saves us.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { aggregateSql } from '../../src-main/storage/call-log-queries';
import { createCallLogRepository } from '../../src-main/storage/call-log-repository';
import { createConversationsRepository } from '../../src-main/storage/conversations-repository';
import { openDatabase } from '../../src-main/storage/database';
import { createMessagesRepository } from '../../src-main/storage/messages-repository';
import type { Figure } from './run';

const OPEN_RUNS = 25;
const AGGREGATE_RUNS = 5;
const CALLS = 100_000;
const workerUrl = new URL('../../src-main/storage/storage-worker.ts', import.meta.url);

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(): Promise<Figure[]> {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const filePath = join(directory, 'switchboard.db');
  try {
    const database = await openDatabase({ filePath, workerUrl });
    const conversations = createConversationsRepository(database);
    const messages = createMessagesRepository(database);
    const calls = createCallLogRepository(database);

    const conversation = await conversations.create({ title: 'Ten thousand messages' });
    // Answers of a few hundred characters, alternating with short questions, like a long real chat.
    await database.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
      INSERT INTO messages (conversation_id, sequence, role, content, status, created_at, updated_at)
      SELECT '${conversation.id}', i, CASE i % 2 WHEN 1 THEN 'user' ELSE 'assistant' END,
        CASE i % 2 WHEN 1 THEN 'Question number ' || i ELSE 'Answer ' || i || ': ' || printf('%.*c', 200 + (i * 37) % 600, 'x') END,
        'complete', 1700000000000 + i * 1000, 1700000000000 + i * 1000 FROM n`);
    const openTimes: number[] = [];
    for (let index = 0; index < OPEN_RUNS; index += 1) {
      const started = performance.now();
      const page = await messages.listPage({ conversationId: conversation.id, limit: 100 });
      openTimes.push(performance.now() - started);
      if (page.totalCount !== 10_000 || page.messages.length !== 100) throw new Error('the 10k conversation did not load');
    }

    const now = Date.now();
    await database.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CALLS})
      INSERT INTO call_log (at, source, connection_id, connection_name, provider_kind, requested_model, model_version, attempt,
        fallback_position, outcome, latency_ms, time_to_first_token_ms, input_tokens, output_tokens, cost_usd, text_bytes)
      SELECT ${now} - (i * 25919) % (30 * 86400000), CASE i % 3 WHEN 0 THEN 'chat' WHEN 1 THEN 'task' ELSE 'gateway' END,
        'connection-' || (i % 4), 'Connection ' || (i % 4), CASE i % 4 WHEN 0 THEN 'anthropic' WHEN 1 THEN 'openai' WHEN 2 THEN 'gemini' ELSE 'ollama' END,
        'model-' || (i % 7), CASE WHEN i % 2 = 0 THEN 'model-' || (i % 7) || '-v2' END, 1 + i % 2, i % 3,
        CASE WHEN i % 17 = 0 THEN 'error' WHEN i % 23 = 0 THEN 'escalated' ELSE 'success' END,
        (i * 7919) % 9000 + 100, (i * 104729) % 2000 + 50, (i * 31) % 4000, (i * 17) % 1000, ((i * 13) % 1000) / 100000.0, 2000
      FROM n`);
    await database.exec(
      "INSERT INTO call_log_text (call_id, prompt, response) SELECT id, 'prompt ' || id, 'response ' || id FROM call_log",
    );

    const query = { bucket: 'hour', groupBy: 'model', utcOffsetMinutes: 0, from: now - 30 * 86_400_000 } as const;
    const aggregateTimes: number[] = [];
    const blocks: number[] = [];
    const idleBlocks: number[] = [];
    for (let index = 0; index < AGGREGATE_RUNS; index += 1) {
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      const started = performance.now();
      const rows = await calls.aggregate(query);
      aggregateTimes.push(performance.now() - started);
      histogram.disable();
      blocks.push(histogram.max / 1e6);
      if (rows.reduce((total, row) => total + row.calls, 0) !== CALLS) throw new Error('the aggregate missed calls');
      // The same probe over the same time with nothing running: what the machine itself adds (other processes).
      const idle = monitorEventLoopDelay({ resolution: 1 });
      idle.enable();
      await new Promise((resolve) => setTimeout(resolve, aggregateTimes.at(-1)));
      idle.disable();
      idleBlocks.push(idle.max / 1e6);
    }
    await database.close();

    // The same query on the calling thread: the stall the worker avoids.
    const direct = new DatabaseSync(filePath);
    const { sql, params } = aggregateSql(query);
    const started = performance.now();
    direct.prepare(sql).all(params as Record<string, SQLInputValue>);
    const inlineBlockMs = performance.now() - started;
    direct.close();

    return [
      {
        name: 'storage-open-10k-ms',
        value: median(openTimes),
        unit: 'ms',
        note: `median of ${OPEN_RUNS}; first ${openTimes[0]!.toFixed(2)} ms`,
      },
      {
        name: 'storage-aggregate-100k-ms',
        value: median(aggregateTimes),
        unit: 'ms',
        note: `median of ${AGGREGATE_RUNS}; hourly buckets x 7 models over 30 days`,
      },
      {
        name: 'storage-aggregate-main-thread-block-ms',
        value: median(blocks),
        unit: 'ms',
        target: '<= 16',
        baseline: inlineBlockMs,
        note:
          `longest event-loop delay per run while the worker aggregates, median of ${AGGREGATE_RUNS} (worst ${Math.max(...blocks).toFixed(1)} ms; ` +
          `idle probe ${median(idleBlocks).toFixed(1)} ms); baseline = same query on the main thread`,
      },
    ];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
