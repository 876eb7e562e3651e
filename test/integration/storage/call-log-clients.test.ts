// The gateway client on each call-log row: the column added by schema 3, its filter and its figures.
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallLogInput } from '../../../src-shared/schemas/call-log';
import { createCallLogRepository } from '../../../src-main/storage/call-log-repository';
import { migrations } from '../../../src-main/storage/migrations';
import { StorageFixture } from './storage-fixture';

const AT = Date.UTC(2026, 11, 2, 9);

function call(overrides: Partial<CallLogInput> = {}): CallLogInput {
  return {
    at: AT,
    source: 'gateway',
    connectionId: 'openai-main',
    connectionName: 'OpenAI',
    providerKind: 'openai',
    requestedModel: 'gpt-4o',
    attempt: 1,
    fallbackPosition: 0,
    outcome: 'success',
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.002,
    ...overrides,
  };
}

describe('gateway clients in the call log', () => {
  let fixture: StorageFixture;
  beforeEach(() => {
    fixture = new StorageFixture();
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('adds the client column to a log written before clients had names; its old rows have none', async () => {
    // A schema-2 file, as the previous version left it, with one gateway call in it.
    const old = new DatabaseSync(fixture.filePath);
    for (const migration of migrations.filter((entry) => entry.version <= 2)) {
      for (const sql of migration.statements({ fullTextSearch: false })) old.exec(sql);
    }
    old.exec(`INSERT INTO call_log (at, source, connection_id, connection_name, provider_kind, requested_model, attempt,
      fallback_position, outcome) VALUES (${AT}, 'gateway', 'openai-main', 'OpenAI', 'openai', 'gpt-4o', 1, 0, 'success')`);
    old.exec('PRAGMA user_version = 2');
    old.close();

    const { database } = await fixture.open();
    const log = createCallLogRepository(database, { now: () => AT });
    await log.record(call({ client: 'editor' }), { secrets: [] });
    expect((await log.page()).rows.map((row) => row.client)).toEqual(['editor', null]);
  });

  it('filters by client, names every client, and sums each one’s calls and spend', async () => {
    const { database } = await fixture.open();
    const log = createCallLogRepository(database, { now: () => AT });
    await log.record(call({ client: 'editor' }), { secrets: [] });
    await log.record(call({ client: 'editor', at: AT + 1000, costUsd: undefined }), { secrets: [] });
    await log.record(call({ client: 'scripts' }), { secrets: [] });
    await log.record(call({ source: 'chat' }), { secrets: [] });
    await log.record(call({ client: 'scripts', at: Date.UTC(2026, 10, 30) }), { secrets: [] });

    expect((await log.page({ clients: ['editor'] })).rows.map((row) => row.client)).toEqual(['editor', 'editor']);
    expect(await log.clientNames()).toEqual(['editor', 'scripts']);
    expect(await log.clientUsage(Date.UTC(2026, 11, 1))).toEqual([
      { client: 'editor', calls: 2, costUsd: 0.002, unpricedCalls: 1, lastAt: AT + 1000 },
      { client: 'scripts', calls: 1, costUsd: 0.002, unpricedCalls: 0, lastAt: AT },
    ]);
  });

  it('exports each call with its gateway client, filtered by client like the page', async () => {
    const { database } = await fixture.open();
    const log = createCallLogRepository(database, { now: () => AT });
    await log.record(call({ client: 'editor' }), { secrets: [] });
    await log.record(call({ client: 'scripts', at: AT + 1000 }), { secrets: [] });
    await log.record(call({ source: 'chat', at: AT + 2000 }), { secrets: [] });

    const exported = async (filter: Parameters<typeof log.exportRows>[0]) => {
      const rows: Array<{ source: string; client: string | null }> = [];
      for await (const row of log.exportRows(filter)) rows.push({ source: row.source, client: row.client });
      return rows;
    };
    expect(await exported({})).toEqual([
      { source: 'chat', client: null },
      { source: 'gateway', client: 'scripts' },
      { source: 'gateway', client: 'editor' },
    ]);
    expect(await exported({ clients: ['editor'] })).toEqual([{ source: 'gateway', client: 'editor' }]);
  });

  it('finds calls by part of their gateway client’s name in the search words', async () => {
    const { database } = await fixture.open();
    const log = createCallLogRepository(database, { now: () => AT });
    await log.record(call({ client: 'vscode-editor' }), { secrets: [] });
    await log.record(call({ client: 'scripts', at: AT + 1000 }), { secrets: [] });
    await log.record(call({ source: 'chat', at: AT + 2000 }), { secrets: [] });

    expect((await log.page({ text: 'editor' })).rows.map((row) => row.client)).toEqual(['vscode-editor']);
    expect((await log.page({ text: 'SCRIPT' })).rows.map((row) => row.client)).toEqual(['scripts']);
    expect((await log.page({ text: 'nobody' })).rows).toEqual([]);
  });
});
