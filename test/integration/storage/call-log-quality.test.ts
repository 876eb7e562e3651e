import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallLogInput } from '../../../src-shared/schemas/call-log';
import { createCallLogRepository, type CallLogRepository } from '../../../src-main/storage/call-log-repository';
import { migrations } from '../../../src-main/storage/migrations';
import { manualClock, StorageFixture } from './storage-fixture';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 4, 10, 9, 15);
const OLD = 'claude-sonnet-4-5-20250929';
const NEW = 'claude-sonnet-4-5-20260101';

function call(overrides: Partial<CallLogInput>): CallLogInput {
  return {
    at: START,
    source: 'task',
    agent: 'planner',
    connectionId: 'anthropic-main',
    connectionName: 'Claude',
    providerKind: 'anthropic',
    requestedModel: 'claude-sonnet-4-5',
    attempt: 1,
    fallbackPosition: 0,
    outcome: 'success',
    inputTokens: 100,
    outputTokens: 50,
    costUsd: 0.01,
    ...overrides,
  };
}

/** A planner on two versions of one model (the second first reported a day later), and chat on a model that reports none. */
const knownCalls: CallLogInput[] = [
  call({ modelVersion: OLD, latencyMs: 1000 }),
  call({ modelVersion: OLD, latencyMs: 1100, at: START + HOUR }),
  call({ modelVersion: OLD, latencyMs: 1200, at: START + 2 * HOUR }),
  call({ modelVersion: OLD, latencyMs: 900, outcome: 'escalated', errorCode: 'schema_mismatch', at: START + 3 * HOUR }),
  call({ modelVersion: NEW, latencyMs: 2000, at: START + DAY }),
  call({ modelVersion: NEW, latencyMs: 2500, at: START + DAY + HOUR }),
  call({ modelVersion: NEW, latencyMs: 400, outcome: 'escalated', errorCode: 'empty_answer', at: START + DAY + 2 * HOUR, costUsd: 0.002 }),
  call({ modelVersion: NEW, latencyMs: 300, outcome: 'error', errorCode: 'rate_limited', at: START + DAY + 3 * HOUR, costUsd: undefined }),
  call({ source: 'chat', agent: undefined, connectionId: 'openai-work', providerKind: 'openai', requestedModel: 'gpt-4o', latencyMs: 700 }),
  call({
    source: 'chat',
    agent: undefined,
    connectionId: 'openai-work',
    providerKind: 'openai',
    requestedModel: 'gpt-4o',
    latencyMs: 800,
    costUsd: undefined,
  }),
];

describe('call log quality view', () => {
  let fixture: StorageFixture;
  let log: CallLogRepository;

  beforeEach(async () => {
    fixture = new StorageFixture();
    const { database } = await fixture.open();
    log = createCallLogRepository(database, { now: manualClock(START + 2 * DAY).now });
    for (const entry of knownCalls) await log.record(entry, { secrets: [] });
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it("gives each agent's figures per model version on a known data set, with the version-change marker", async () => {
    const report = await log.quality({});
    expect(report.versionChanges).toEqual([{ at: START + DAY, connectionId: 'anthropic-main', modelVersion: NEW, previousVersion: OLD }]);
    expect(report.rows).toHaveLength(3);
    const [old, updated, chat] = report.rows;
    expect(old).toMatchObject({
      subject: { agent: 'planner' },
      modelVersion: OLD,
      calls: 4,
      escalations: 1,
      escalationRate: 0.25,
      schemaFailures: 1,
      schemaFailureRate: 0.25,
      emptyAnswers: 0,
      errors: 0,
      errorRate: 0,
      // Nearest rank of [900, 1000, 1100, 1200]: the 2nd and the 4th.
      latencyP50Ms: 1000,
      latencyP95Ms: 1200,
      unpricedCalls: 0,
      firstSeenAt: START,
      previousVersion: null,
    });
    expect(old!.costUsd).toBeCloseTo(0.04, 9);
    expect(updated).toMatchObject({
      subject: { agent: 'planner' },
      modelVersion: NEW,
      calls: 4,
      escalations: 1,
      escalationRate: 0.25,
      schemaFailures: 0,
      emptyAnswers: 1,
      emptyAnswerRate: 0.25,
      errors: 1,
      errorRate: 0.25,
      // [300, 400, 2000, 2500]
      latencyP50Ms: 400,
      latencyP95Ms: 2500,
      unpricedCalls: 1,
      firstSeenAt: START + DAY,
      previousVersion: OLD,
    });
    expect(updated!.costUsd).toBeCloseTo(0.022, 9);
    expect(chat).toMatchObject({
      subject: { source: 'chat' },
      modelVersion: 'gpt-4o',
      calls: 2,
      latencyP50Ms: 700,
      latencyP95Ms: 800,
      unpricedCalls: 1,
      firstSeenAt: null,
      previousVersion: null,
    });
  });

  it('narrows to the range and filters asked for; a change before the range is no marker in it', async () => {
    const sinceUpdate = await log.quality({ from: START + DAY - 30 * 60_000, connectionIds: ['anthropic-main'] });
    expect(sinceUpdate.rows.map((row) => [row.modelVersion, row.calls])).toEqual([[NEW, 4]]);
    expect(sinceUpdate.versionChanges).toHaveLength(1);
    const later = await log.quality({ from: START + DAY + 90 * 60_000 });
    expect(later.versionChanges).toEqual([]);
    expect(later.rows.map((row) => [row.modelVersion, row.calls, row.errors])).toEqual([[NEW, 2, 1]]);
    expect(await log.quality({ from: START + 3 * DAY })).toEqual({ rows: [], versionChanges: [] });
  });

  it('summarizes a log written before the summaries existed when it opens, so its figures are there at once', async () => {
    const earlier = new StorageFixture();
    try {
      // A schema-3 file, as the previous version left it, with two calls of two versions on one connection.
      const old = new DatabaseSync(earlier.filePath);
      for (const migration of migrations.filter((entry) => entry.version <= 3)) {
        for (const sql of migration.statements({ fullTextSearch: false })) old.exec(sql);
      }
      for (const [offset, version, latency] of [
        [0, OLD, 1500],
        [DAY, NEW, 900],
      ] as const) {
        old.exec(`INSERT INTO call_log (at, source, agent, connection_id, connection_name, provider_kind, requested_model, model_version,
          attempt, fallback_position, outcome, latency_ms, cost_usd) VALUES (${START + offset}, 'task', 'planner', 'anthropic-main', 'Claude',
          'anthropic', 'claude-sonnet-4-5', '${version}', 1, 0, 'success', ${latency}, 0.5)`);
      }
      old.exec('PRAGMA user_version = 3');
      old.close();

      const { database } = await earlier.open();
      const reopened = createCallLogRepository(database, { now: () => START + 2 * DAY });
      const report = await reopened.quality({});
      expect(report.rows.map((row) => [row.modelVersion, row.calls, row.latencyP50Ms, row.costUsd])).toEqual([
        [OLD, 1, 1500, 0.5],
        [NEW, 1, 900, 0.5],
      ]);
      expect(report.versionChanges).toEqual([{ at: START + DAY, connectionId: 'anthropic-main', modelVersion: NEW, previousVersion: OLD }]);
    } finally {
      await earlier.dispose();
    }
  });
});
