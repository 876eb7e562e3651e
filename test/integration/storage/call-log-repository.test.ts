import { readFileSync, existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallAggregate, CallLogInput, CallOutcome } from '../../../src-shared/schemas/call-log';
import type { CallKind } from '../../../src-shared/schemas/route-plan';
import { createCallLogRepository, type CallLogRepository } from '../../../src-main/storage/call-log-repository';
import { summarizeStatements } from '../../../src-main/storage/call-log-summary';
import type { Database } from '../../../src-main/storage/database';
import { manualClock, StorageFixture } from './storage-fixture';

const KEY = 'sk-ant-api03-Zx9FakeButLongEnoughKey_0123456789abcdef';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function call(overrides: Partial<CallLogInput> = {}): CallLogInput {
  return {
    at: Date.UTC(2026, 4, 14, 9),
    source: 'chat',
    connectionId: 'anthropic-main',
    connectionName: 'Claude',
    providerKind: 'anthropic',
    requestedModel: 'claude-sonnet-4-5',
    attempt: 1,
    fallbackPosition: 0,
    outcome: 'success',
    latencyMs: 1000,
    timeToFirstTokenMs: 300,
    inputTokens: 100,
    outputTokens: 50,
    costUsd: 0.001,
    prompt: 'hello',
    response: 'hi there',
    ...overrides,
  };
}

/** A small deterministic generator, so the synthetic log is the same on every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function nearestRank(values: number[], percentile: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.ceil((percentile / 100) * sorted.length) - 1]!;
}

/** The figures computed the slow, obvious way in JavaScript, to check the SQL against. */
function expectedAggregates(calls: CallLogInput[], size: number, offsetMs: number, keyOf: (call: CallLogInput) => string): CallAggregate[] {
  const groups = new Map<string, CallLogInput[]>();
  for (const entry of calls) {
    const bucket = Math.floor((entry.at + offsetMs) / size) * size - offsetMs;
    const id = `${bucket}|${keyOf(entry)}`;
    groups.set(id, [...(groups.get(id) ?? []), entry]);
  }
  return [...groups.entries()]
    .map(([id, entries]) => {
      const [bucket, key] = id.split('|') as [string, string];
      const errors = entries.filter((entry) => entry.outcome === 'error').length;
      const latencies = entries.flatMap((entry) => (entry.latencyMs === undefined ? [] : [entry.latencyMs]));
      const firstTokens = entries.flatMap((entry) => (entry.timeToFirstTokenMs === undefined ? [] : [entry.timeToFirstTokenMs]));
      return {
        bucketStart: Number(bucket),
        key,
        calls: entries.length,
        errors,
        interrupted: entries.filter((entry) => entry.outcome === 'interrupted').length,
        escalations: entries.filter((entry) => entry.outcome === 'escalated').length,
        errorRate: errors / entries.length,
        latencyP50Ms: nearestRank(latencies, 50),
        latencyP95Ms: nearestRank(latencies, 95),
        timeToFirstTokenP50Ms: nearestRank(firstTokens, 50),
        timeToFirstTokenP95Ms: nearestRank(firstTokens, 95),
        inputTokens: entries.reduce((total, entry) => total + (entry.inputTokens ?? 0), 0),
        outputTokens: entries.reduce((total, entry) => total + (entry.outputTokens ?? 0), 0),
        costUsd: entries.reduce((total, entry) => total + (entry.costUsd ?? 0), 0),
        unpricedCalls: entries.filter((entry) => entry.costUsd === undefined && (entry.inputTokens ?? 0) + (entry.outputTokens ?? 0) > 0)
          .length,
        schemaFailures: entries.filter((entry) => entry.errorCode === 'schema_mismatch').length,
        emptyAnswers: entries.filter((entry) => entry.errorCode === 'empty_answer').length,
      };
    })
    .sort((left, right) => left.bucketStart - right.bucketStart || (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
}

const percentileFields = ['latencyP50Ms', 'latencyP95Ms', 'timeToFirstTokenP50Ms', 'timeToFirstTokenP95Ms'] as const;

/**
 * Percentiles come from histograms whose bins span 5%: each must be a value the calls hold, no smaller than
 * the exact nearest rank and less than 5% above it (equal whenever its bin holds one distinct value).
 */
function expectAggregatesMatch(actual: CallAggregate[], expected: CallAggregate[], calls: CallLogInput[]): void {
  const observed = new Set(calls.flatMap((entry) => [entry.latencyMs, entry.timeToFirstTokenMs]));
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, index) => {
    const want = expected[index]!;
    const strip = (figures: CallAggregate) => {
      const {
        costUsd: _cost,
        errorRate: _rate,
        latencyP50Ms: _a,
        latencyP95Ms: _b,
        timeToFirstTokenP50Ms: _c,
        timeToFirstTokenP95Ms: _d,
        ...rest
      } = figures;
      return rest;
    };
    expect(strip(row)).toEqual(strip(want));
    expect(row.costUsd).toBeCloseTo(want.costUsd, 9);
    expect(row.errorRate).toBeCloseTo(want.errorRate, 12);
    for (const field of percentileFields) {
      const exact = want[field];
      if (exact === null) {
        expect(row[field]).toBeNull();
        continue;
      }
      expect(observed.has(row[field]!)).toBe(true);
      expect(row[field]!).toBeGreaterThanOrEqual(exact);
      expect(row[field]!).toBeLessThanOrEqual(Math.max(exact * 1.05, 1));
    }
  });
}

function synthetic(count: number, start: number): CallLogInput[] {
  const random = generator(42);
  const targets = [
    {
      connectionId: 'anthropic-main',
      connectionName: 'Claude',
      providerKind: 'anthropic' as const,
      models: ['claude-haiku-4-5', 'claude-sonnet-4-5'],
    },
    { connectionId: 'openai-work', connectionName: 'OpenAI', providerKind: 'openai' as const, models: ['gpt-4o', 'gpt-4o-mini'] },
    { connectionId: 'ollama-local', connectionName: 'Ollama', providerKind: 'ollama' as const, models: ['llama3.2'] },
  ];
  const outcomes: CallOutcome[] = ['success', 'success', 'success', 'success', 'error', 'interrupted', 'cut', 'escalated'];
  const sources: CallKind[] = ['chat', 'task', 'gateway'];
  return Array.from({ length: count }, () => {
    const target = targets[Math.floor(random() * targets.length)]!;
    const outcome = outcomes[Math.floor(random() * outcomes.length)]!;
    const failed = outcome === 'error';
    return call({
      at: start + Math.floor(random() * 3 * DAY),
      source: sources[Math.floor(random() * sources.length)]!,
      connectionId: target.connectionId,
      connectionName: target.connectionName,
      providerKind: target.providerKind,
      requestedModel: target.models[Math.floor(random() * target.models.length)]!,
      modelVersion: random() < 0.5 ? undefined : 'v-2026-05',
      outcome,
      errorCode: failed ? 'rate_limited' : undefined,
      latencyMs: random() < 0.05 ? undefined : Math.round(random() * 5000),
      timeToFirstTokenMs: failed ? undefined : Math.round(random() * 1500),
      inputTokens: Math.floor(random() * 2000),
      outputTokens: Math.floor(random() * 800),
      costUsd: Math.round(random() * 10_000) / 1_000_000,
    });
  });
}

describe('call log repository', () => {
  let fixture: StorageFixture;
  let database: Database;
  let log: CallLogRepository;
  const clock = manualClock(Date.UTC(2026, 4, 14, 12));

  beforeEach(async () => {
    fixture = new StorageFixture();
    ({ database } = await fixture.open());
    log = createCallLogRepository(database, { now: clock.now });
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('records an attempt with every field and reads it back', async () => {
    const id = await log.record(
      call({
        source: 'task',
        agent: 'builder',
        taskId: 'task-1',
        modelVersion: 'claude-sonnet-4-5-20250929',
        attempt: 2,
        fallbackPosition: 1,
        reasons: [
          {
            kind: 'skipped',
            connectionId: 'openai-work',
            model: 'gpt-4o',
            code: 'over_budget',
            message: 'OpenAI is over its monthly budget',
          },
        ],
        outcome: 'error',
        errorCode: 'provider_overloaded',
        errorMessage: 'Claude is overloaded',
      }),
      { secrets: [] },
    );
    expect(await log.get(id)).toMatchObject({
      id,
      source: 'task',
      agent: 'builder',
      taskId: 'task-1',
      conversationId: null,
      connectionId: 'anthropic-main',
      providerKind: 'anthropic',
      requestedModel: 'claude-sonnet-4-5',
      modelVersion: 'claude-sonnet-4-5-20250929',
      attempt: 2,
      fallbackPosition: 1,
      outcome: 'error',
      errorCode: 'provider_overloaded',
      errorMessage: 'Claude is overloaded',
      reasons: [
        {
          kind: 'skipped',
          connectionId: 'openai-work',
          model: 'gpt-4o',
          code: 'over_budget',
          message: 'OpenAI is over its monthly budget',
        },
      ],
      latencyMs: 1000,
      timeToFirstTokenMs: 300,
      prompt: 'hello',
      response: 'hi there',
      promptTruncated: false,
    });
    expect(await log.get(9999)).toBeNull();
  });

  it('never stores a key: prompt, response, reasons and error message are redacted before capping', async () => {
    const filler = 'x'.repeat(8180);
    const id = await log.record(
      call({
        prompt: `${filler}${KEY} tail`,
        response: `Your key ${KEY} and again ${encodeURIComponent(KEY)}`,
        reasons: [{ kind: 'fallback', message: `401 for key ${KEY}` }],
        errorMessage: `Invalid API key: ${KEY}`,
        connectionName: `Claude (${KEY})`,
      }),
      { secrets: [KEY, 'sk-other-unused-key'] },
    );
    const detail = await log.get(id);
    expect(detail!.response).toBe('Your key [redacted] and again [redacted]');
    expect(detail!.reasons[0]!.message).toBe('401 for key [redacted]');
    expect(detail!.errorMessage).toBe('Invalid API key: [redacted]');
    expect(detail!.connectionName).toBe('Claude ([redacted])');
    // Capping after redaction: the 8 KB cut lands inside "[redacted]", never inside the key.
    expect(detail!.prompt.startsWith(filler)).toBe(true);
    expect(detail!.promptTruncated).toBe(true);
    expect(JSON.stringify(detail)).not.toContain(KEY.slice(0, 12));

    // Nothing on disk holds it either.
    await database.close();
    for (const path of [fixture.filePath, `${fixture.filePath}-wal`]) {
      if (existsSync(path)) expect(readFileSync(path).includes(Buffer.from(KEY.slice(0, 16)))).toBe(false);
    }
  });

  it('caps prompt and response at the configured size without splitting characters', async () => {
    const small = createCallLogRepository(database, { now: clock.now, maxTextBytes: 10 });
    const id = await small.record(call({ prompt: 'ééééééé', response: 'short' }), { secrets: [] });
    const detail = await small.get(id);
    expect(detail).toMatchObject({ prompt: 'ééééé', promptTruncated: true, response: 'short', responseTruncated: false });
    const defaultCap = await log.record(call({ response: '€'.repeat(5000) }), { secrets: [] });
    const capped = await log.get(defaultCap);
    expect(Buffer.byteLength(capped!.response)).toBeLessThanOrEqual(8 * 1024);
    expect(capped!.response).toBe('€'.repeat(2730));
  });

  it('pages newest first with filters by time, source, connection, model, outcome and text', async () => {
    const base = Date.UTC(2026, 4, 14, 8);
    const ids: Record<string, number> = {};
    ids.chat = await log.record(call({ at: base, prompt: 'about penguins' }), { secrets: [] });
    ids.task = await log.record(call({ at: base + 1000, source: 'task', outcome: 'error', errorCode: 'timeout' }), { secrets: [] });
    ids.gateway = await log.record(
      call({
        at: base + 2000,
        source: 'gateway',
        connectionId: 'openai-work',
        providerKind: 'openai',
        requestedModel: 'gpt-4o',
        modelVersion: 'gpt-4o-2024-08-06',
      }),
      { secrets: [] },
    );
    ids.late = await log.record(call({ at: base + DAY, response: 'PENGUINS swim' }), { secrets: [] });

    const ids_ = async (query: Parameters<CallLogRepository['page']>[0]) => (await log.page(query)).rows.map((row) => row.id);
    expect(await ids_({})).toEqual([ids.late, ids.gateway, ids.task, ids.chat]);
    expect(await ids_({ from: base + 1000, to: base + DAY })).toEqual([ids.gateway, ids.task]);
    expect(await ids_({ sources: ['task', 'gateway'] })).toEqual([ids.gateway, ids.task]);
    expect(await ids_({ connectionIds: ['openai-work'] })).toEqual([ids.gateway]);
    expect(await ids_({ models: ['gpt-4o-2024-08-06'] })).toEqual([ids.gateway]);
    expect(await ids_({ models: ['claude-sonnet-4-5'] })).toEqual([ids.late, ids.task, ids.chat]);
    expect(await ids_({ outcomes: ['error'] })).toEqual([ids.task]);
    expect(await ids_({ text: 'penguin' })).toEqual([ids.late, ids.chat]);
    expect(await ids_({ text: 'timeout' })).toEqual([ids.task]);
    expect(await ids_({ text: '100%' })).toEqual([]);

    const first = await log.page({ limit: 3 });
    expect(first.rows[0]).toMatchObject({ promptPreview: 'hello', responsePreview: 'PENGUINS swim' });
    expect(first.nextCursor).toBe(ids.task);
    const second = await log.page({ limit: 3, beforeId: first.nextCursor! });
    expect(second).toEqual({ rows: [expect.objectContaining({ id: ids.chat })], nextCursor: null });
  });

  it('keeps the hourly summaries of calls logged in batches equal to summaries computed from scratch by SQL', async () => {
    // Logged all at once, so the calls go to the worker in batches whose summaries are added up in JavaScript.
    await Promise.all(synthetic(400, Date.UTC(2026, 4, 10, 0)).map((entry) => log.record(entry, { secrets: [] })));
    const snapshot = () =>
      database.all(
        `SELECT s.hour, s.connection_id, s.source, s.outcome, s.requested_model, s.model_version, s.agent, s.provider_kind, s.client,
           s.calls, s.schema_failures, s.empty_answers, s.input_tokens, s.output_tokens, round(s.cost_usd, 12) AS cost, s.unpriced,
           s.first_at, b.metric, b.bin, b.calls AS bin_calls, b.max_ms
         FROM call_log_hourly s LEFT JOIN call_log_hourly_latency b ON b.summary_id = s.id
         ORDER BY s.hour, s.connection_id, s.source, s.outcome, s.requested_model, s.model_version, s.agent, s.client, b.metric, b.bin`,
      );
    const incremental = await snapshot();
    expect(incremental.length).toBeGreaterThan(100);
    await database.exec('DELETE FROM call_log_hourly');
    await database.transaction(summarizeStatements(1, '1'));
    expect(await snapshot()).toEqual(incremental);
  });

  it('aggregates a few hundred calls per bucket and group as computed independently, from summaries and calls alike', async () => {
    const start = Date.UTC(2026, 4, 10, 0);
    const calls = synthetic(400, start);
    for (const entry of calls) await log.record(entry, { secrets: [] });

    const cases = [
      { bucket: 'hour' as const, groupBy: 'provider' as const, offset: 0, keyOf: (entry: CallLogInput) => entry.providerKind },
      { bucket: 'day' as const, groupBy: 'model' as const, offset: 0, keyOf: (entry: CallLogInput) => entry.requestedModel },
      {
        bucket: 'day' as const,
        groupBy: 'modelVersion' as const,
        offset: 0,
        keyOf: (entry: CallLogInput) => entry.modelVersion ?? entry.requestedModel,
      },
      { bucket: 'day' as const, groupBy: 'connection' as const, offset: 120, keyOf: (entry: CallLogInput) => entry.connectionId },
      { bucket: 'day' as const, groupBy: 'none' as const, offset: -300, keyOf: () => '' },
      // Half-hour offsets put bucket boundaries inside the summaries' hours: read from the calls instead.
      { bucket: 'hour' as const, groupBy: 'connection' as const, offset: 330, keyOf: (entry: CallLogInput) => entry.connectionId },
      { bucket: 'day' as const, groupBy: 'provider' as const, offset: -570, keyOf: (entry: CallLogInput) => entry.providerKind },
    ];
    for (const testCase of cases) {
      const actual = await log.aggregate({ bucket: testCase.bucket, groupBy: testCase.groupBy, utcOffsetMinutes: testCase.offset });
      const expected = expectedAggregates(calls, testCase.bucket === 'hour' ? HOUR : DAY, testCase.offset * 60_000, testCase.keyOf);
      expectAggregatesMatch(actual, expected, calls);
    }
    // Filters apply to aggregates too; a range starting and ending mid-hour reads its edges from the calls.
    const from = start + DAY + 17 * 60_000 + 123;
    const to = start + 2 * DAY + 5 * HOUR + 41 * 60_000;
    const filtered = calls.filter((entry) => entry.source === 'task' && entry.at >= from && entry.at < to);
    expect(filtered.length).toBeGreaterThan(20);
    expectAggregatesMatch(
      await log.aggregate({ bucket: 'hour', groupBy: 'provider', sources: ['task'], from, to }),
      expectedAggregates(filtered, HOUR, 0, (entry) => entry.providerKind),
      calls,
    );
    const texts = calls.filter((entry) => entry.outcome === 'error' && entry.requestedModel === 'gpt-4o');
    expectAggregatesMatch(
      await log.aggregate({ bucket: 'day', groupBy: 'model', outcomes: ['error'], models: ['gpt-4o'] }),
      expectedAggregates(texts, DAY, 0, (entry) => entry.requestedModel),
      calls,
    );
    // Pruned calls leave the summaries too.
    clock.set(start + 62 * DAY + 7 * HOUR + 13 * 60_000);
    await log.prune({ maxAgeDays: 61 });
    const kept = calls.filter((entry) => entry.at >= clock.now() - 61 * DAY);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(calls.length);
    expectAggregatesMatch(
      await log.aggregate({ bucket: 'day', groupBy: 'connection' }),
      expectedAggregates(kept, DAY, 0, (entry) => entry.connectionId),
      calls,
    );
    clock.set(Date.UTC(2026, 4, 14, 12));
  });

  it('keeps a latency percentile exact when its histogram bin holds one value, and within 5% above otherwise', async () => {
    const at = Date.UTC(2026, 4, 14, 9, 30);
    for (const latencyMs of [100, 200, 300]) await log.record(call({ at, latencyMs }), { secrets: [] });
    for (const latencyMs of [100, 200, 300, 1000, 1010, 1020, 5000]) {
      await log.record(call({ at, latencyMs, connectionId: 'openai-work' }), { secrets: [] });
    }
    const rows = await log.aggregate({ bucket: 'day', groupBy: 'connection' });
    // Nearest rank of 3: p50 is the 2nd (200), p95 the 3rd (300), each alone in its bin.
    expect(rows[0]).toMatchObject({ key: 'anthropic-main', calls: 3, latencyP50Ms: 200, latencyP95Ms: 300 });
    // Of 7: p50 is the 4th (1000), which shares a bin with 1010 and 1020, so 1020 (2% above); p95 is the 7th (5000).
    expect(rows[1]).toMatchObject({ key: 'openai-work', calls: 7, latencyP50Ms: 1020, latencyP95Ms: 5000 });
  });

  it('sums month-to-date spend per connection', async () => {
    clock.set(new Date(2026, 4, 14, 12).getTime());
    await log.record(call({ at: new Date(2026, 3, 30, 23).getTime(), costUsd: 5 }), { secrets: [] });
    await log.record(call({ at: new Date(2026, 4, 1, 0, 0, 1).getTime(), costUsd: 0.25 }), { secrets: [] });
    await log.record(call({ at: new Date(2026, 4, 13).getTime(), costUsd: 0.5 }), { secrets: [] });
    await log.record(call({ at: new Date(2026, 4, 13).getTime(), connectionId: 'openai-work', costUsd: undefined }), { secrets: [] });
    expect(await log.monthToDateSpend()).toEqual([
      { connectionId: 'anthropic-main', costUsd: 0.75, calls: 2, unpricedCalls: 0 },
      // Tokens without a price: the month's spend is a lower bound.
      { connectionId: 'openai-work', costUsd: 0, calls: 1, unpricedCalls: 1 },
    ]);
  });

  it('prunes by age, by row count and by stored text size, oldest first', async () => {
    const now = clock.now();
    const old = await log.record(call({ at: now - 40 * DAY }), { secrets: [] });
    const recent: number[] = [];
    for (let index = 0; index < 10; index += 1) {
      recent.push(await log.record(call({ at: now - (10 - index) * HOUR, prompt: 'p'.repeat(1000), response: '' }), { secrets: [] }));
    }
    expect(await log.prune({ maxAgeDays: 30 })).toEqual({ removed: 1 });
    expect(await log.get(old)).toBeNull();
    expect(await log.prune({ maxAgeDays: 30, maxRows: 8 })).toEqual({ removed: 2 });
    expect((await log.page({})).rows.map((row) => row.id)).toEqual(recent.slice(2).reverse());
    // Each remaining call stores 1000 bytes of text: a 3,500-byte cap keeps the newest three.
    expect(await log.prune({ maxAgeDays: 30, maxTextBytes: 3500 })).toEqual({ removed: 5 });
    expect((await log.page({})).rows.map((row) => row.id)).toEqual(recent.slice(7).reverse());
    expect(await database.get('SELECT count(*) AS count FROM call_log_text')).toEqual({ count: 3 });
    expect(await log.prune()).toEqual({ removed: 0 });
  });
});
