// Real SQLite files in temp folders, opened through real worker threads running the .ts worker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppErrorException } from '../../../src-shared/errors/app-error';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../../../src-main/storage/database';

export const workerUrl = new URL('../../../src-main/storage/storage-worker.ts', import.meta.url);

export interface OpenedFixture {
  database: Database;
  /** Every worker thread the database started, newest last (a crash test terminates one directly). */
  workers: Worker[];
}

export class StorageFixture {
  readonly directory = mkdtempSync(join(tmpdir(), 'switchboard-storage-'));
  readonly filePath = join(this.directory, 'switchboard.db');
  private readonly opened: Database[] = [];

  async open(options: Partial<OpenDatabaseOptions> = {}): Promise<OpenedFixture> {
    const workers: Worker[] = [];
    const database = await openDatabase({
      filePath: this.filePath,
      workerUrl,
      createWorker: (url, workerOptions) => {
        const worker = new Worker(url, workerOptions);
        workers.push(worker);
        return worker;
      },
      ...options,
    });
    this.opened.push(database);
    return { database, workers };
  }

  async dispose(): Promise<void> {
    for (const database of this.opened) await database.close().catch(() => undefined);
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 4, 14, 9, 30)): {
  now: () => number;
  advance: (ms: number) => void;
  set: (at: number) => void;
} {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (at) => {
      current = at;
    },
  };
}

/** The AppError code a promise fails with; throws when it does not fail. */
export async function failureCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppErrorException) return error.appError.code;
    throw error;
  }
  throw new Error('expected a failure');
}
