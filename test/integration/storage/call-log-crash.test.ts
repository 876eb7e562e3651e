// Batched call-log writes never drop an acknowledged call: a process killed mid-stream keeps every call
// whose write had been reported done, and its hourly summaries agree with the calls that survived.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCallLogRepository } from '../../../src-main/storage/call-log-repository';
import { StorageFixture } from './storage-fixture';

describe('call log under a hard kill', () => {
  let fixture: StorageFixture;
  beforeEach(() => {
    fixture = new StorageFixture();
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('keeps every call whose write was acknowledged when the process is killed (SIGKILL) while logging', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./call-log-crash-child.ts', import.meta.url)), fixture.filePath],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const acknowledged: number[] = [];
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        acknowledged.push(Number(line));
        if (acknowledged.length === 300) resolve();
      });
      child.once('exit', () => reject(new Error(`the child process exited early: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const { database } = await fixture.open();
    const stored = new Set((await database.all<{ id: number }>('SELECT id FROM call_log')).map((row) => row.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    // The summaries were written in the same transactions as the calls: neither is ahead of the other.
    const log = createCallLogRepository(database);
    const figures = await log.aggregate({ bucket: 'day', groupBy: 'none' });
    expect(figures.reduce((total, row) => total + row.calls, 0)).toBe(stored.size);
  });
});
