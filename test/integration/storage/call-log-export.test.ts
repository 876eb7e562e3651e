import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallLogInput } from '../../../src-shared/schemas/call-log';
import { exportCallLog } from '../../../src-main/storage/call-log-export';
import { createCallLogRepository, type CallLogRepository } from '../../../src-main/storage/call-log-repository';
import { manualClock, StorageFixture } from './storage-fixture';

const KEY = 'sk-ant-api03-Export9FakeButLongEnoughKey_0123456789';
const START = Date.UTC(2026, 4, 14, 9);

function call(overrides: Partial<CallLogInput> = {}): CallLogInput {
  return {
    at: START,
    source: 'chat',
    connectionId: 'claude',
    connectionName: 'Claude',
    providerKind: 'anthropic',
    requestedModel: 'claude-sonnet-4-6',
    attempt: 1,
    fallbackPosition: 0,
    outcome: 'success',
    prompt: 'hello',
    response: 'hi',
    ...overrides,
  };
}

describe('call log export', () => {
  let fixture: StorageFixture;
  let log: CallLogRepository;
  const clock = manualClock(START);

  beforeEach(async () => {
    fixture = new StorageFixture();
    const { database } = await fixture.open();
    log = createCallLogRepository(database, { now: clock.now });
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('exports exactly the calls the Activity filter matches, newest first, across read batches', async () => {
    // 2,500 calls: more than two export batches, alternating connection, source and outcome.
    for (let index = 0; index < 2500; index += 1) {
      await log.record(
        call({
          at: START + index * 1000,
          connectionId: index % 2 ? 'deepseek' : 'claude',
          connectionName: index % 2 ? 'DeepSeek' : 'Claude',
          providerKind: index % 2 ? 'deepseek' : 'anthropic',
          source: index % 3 ? 'task' : 'gateway',
          outcome: index % 5 ? 'success' : 'error',
          errorCode: index % 5 ? undefined : 'rate_limited',
          prompt: `prompt ${index}`,
        }),
        { secrets: [] },
      );
    }
    const filter = { from: START + 100_000, connectionIds: ['claude'], outcomes: ['error' as const] };
    const expected = Array.from({ length: 2500 }, (_, index) => index)
      .filter((index) => START + index * 1000 >= filter.from && index % 2 === 0 && index % 5 === 0)
      .reverse();
    const page = await log.page({ ...filter, limit: 500 });
    expect(page.rows).toHaveLength(expected.length);

    const jsonl = await exportCallLog(log, { ...filter, format: 'jsonl' }, START);
    const records = jsonl.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { prompt: string; connectionId: string; outcome: string; id: number });
    expect(jsonl.rows).toBe(expected.length);
    expect(records.map((record) => record.prompt)).toEqual(expected.map((index) => `prompt ${index}`));
    expect(records.map((record) => record.id)).toEqual(page.rows.map((row) => row.id));

    const everything = await exportCallLog(log, { format: 'csv' }, START);
    expect(everything.rows).toBe(2500);
    // A header plus 2,500 records, each on one line (no text here holds a line break).
    expect(everything.text.trimEnd().split('\r\n')).toHaveLength(2501);
    expect(everything.fileName).toMatch(/^switchboard-activity-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
  });

  it('never contains a key: the texts are the redacted ones the log stores', async () => {
    await log.record(
      call({
        prompt: `my key is ${KEY}`,
        response: `echo ${KEY}`,
        errorMessage: `401 for ${KEY}`,
        outcome: 'error',
        errorCode: 'auth_invalid',
      }),
      { secrets: [KEY] },
    );
    for (const format of ['csv', 'jsonl'] as const) {
      const file = await exportCallLog(log, { format }, START);
      expect(file.rows).toBe(1);
      expect(file.text).not.toContain(KEY);
      expect(file.text).toContain('my key is');
      expect(file.text).toContain('401 for');
    }
  });

  it('the text search filter applies to the export too', async () => {
    await log.record(call({ prompt: 'about penguins' }), { secrets: [] });
    await log.record(call({ prompt: 'about owls' }), { secrets: [] });
    const file = await exportCallLog(log, { text: 'penguin', format: 'jsonl' }, START);
    expect(file.rows).toBe(1);
    expect(file.text).toContain('about penguins');
    expect(file.text).not.toContain('owls');
  });
});
