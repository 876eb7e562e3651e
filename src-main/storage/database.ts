// The app's SQLite database, reached only through a worker thread so the main thread never waits on disk.
// A file that is not a usable database is moved aside (kept, never deleted), a fresh one is created, and
// the caller is told through `notice` (also handed to `onNotice`): opening succeeds whenever it can.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { AppErrorException, appError, type AppError } from '../../src-shared/errors/app-error';
import type { Notice } from '../../src-shared/schemas/notice';
import { latestSchemaVersion, migrations, type SchemaFeatures } from './migrations';
import type { BatchStatement, OpenedInfo, RunOutcome, SqlParams, SqlValue } from './storage-worker';
import { createNodeWorker, startWorkerClient, WorkerRequestError, type CreateWorker, type WorkerClient } from './worker-client';

export type { BatchStatement, RunOutcome, SqlParams, SqlValue };

/** Values repositories may bind; booleans become 0/1 and undefined becomes NULL before they cross. */
export type BindValue = SqlValue | boolean | undefined;
export type BindParams = readonly BindValue[] | Readonly<Record<string, BindValue>>;
export type Statement =
  | { sql: string; params?: BindParams; op?: 'run' | 'get' | 'all' }
  /**
   * The same statements once per row, in order; resolves with each row's first-statement rowid. Rows hold
   * plain SQL values (null, not undefined; 0/1, not booleans): a large batch crosses without conversion.
   */
  | { repeat: readonly string[]; rows: readonly (readonly (readonly SqlValue[])[])[] };

export interface OpenDatabaseOptions {
  /** Usually `<userData>/switchboard.db`; the folder is created when missing. */
  filePath: string;
  /** The storage worker: `new URL('./storage-worker.js', import.meta.url)` in the built app. */
  workerUrl: URL;
  onNotice?: (notice: Notice) => void;
  now?: () => number;
  createWorker?: CreateWorker;
  busyTimeoutMs?: number;
}

export interface DatabaseFeatures extends SchemaFeatures {
  sqliteVersion: string;
}

/** Async access to the database; every failure rejects with an AppErrorException coded `storage_failed`. */
export interface Database {
  readonly filePath: string;
  readonly features: DatabaseFeatures;
  /** Set when the file could not be opened and was moved aside for a fresh one. */
  readonly notice: Notice | null;
  exec(sql: string): Promise<void>;
  run(sql: string, params?: BindParams): Promise<RunOutcome>;
  get<T>(sql: string, params?: BindParams): Promise<T | undefined>;
  all<T>(sql: string, params?: BindParams): Promise<T[]>;
  /** Runs every statement or none; resolves with each statement's result in order. */
  transaction(statements: readonly Statement[]): Promise<unknown[]>;
  close(): Promise<void>;
}

/** SQLite codes that mean the file itself is unusable, as opposed to the disk or permissions. */
const unusableFileCodes = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

function toSqlValue(value: BindValue): SqlValue {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function toSqlParams(params: BindParams | undefined): SqlParams | undefined {
  if (params === undefined) return undefined;
  if (Array.isArray(params)) return params.map(toSqlValue);
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, toSqlValue(value as BindValue)]));
}

function wordsFor(code: string, message: string, filePath: string): Pick<AppError, 'message' | 'retryable'> {
  switch (code) {
    case 'SQLITE_FULL':
      return {
        message: 'The disk is full, so Switchboard could not save to its database. Free some space and try again.',
        retryable: true,
      };
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return { message: 'The database is busy (is another copy of Switchboard running?). Try again in a moment.', retryable: true };
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_IOERR':
      return {
        message: `Switchboard cannot read or write its database at ${filePath} (${message}). Check that the folder exists and is writable.`,
        retryable: false,
      };
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return {
        message: `The database file is damaged (${message}). Restart Switchboard: it will keep the damaged file aside and start a fresh one.`,
        retryable: false,
      };
    case 'WORKER_EXITED':
    case 'WORKER_FAILED':
      return { message: `${message} Switchboard will restart it on the next request.`, retryable: true };
    default:
      return { message: `The local database failed: ${message}`, retryable: false };
  }
}

function storageFailure(error: unknown, filePath: string): AppErrorException {
  if (error instanceof AppErrorException) return error;
  const code = error instanceof WorkerRequestError ? error.code : 'UNKNOWN';
  const words = wordsFor(code, error instanceof Error ? error.message : String(error), filePath);
  return new AppErrorException(appError('storage_failed', words.message, { retryable: words.retryable }), { cause: error });
}

/** Renames the file and its WAL companions to `<name>.corrupt-<time><ext>`; returns the new path. */
function moveAside(filePath: string, now: number): string {
  const extension = extname(filePath) || '.db';
  const stem = basename(filePath, extname(filePath));
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const keptAs = join(dirname(filePath), `${stem}.corrupt-${stamp}${extension}`);
  renameSync(filePath, keptAs);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(filePath + suffix)) renameSync(filePath + suffix, keptAs + suffix);
  }
  return keptAs;
}

async function migrate(client: WorkerClient, info: OpenedInfo): Promise<SchemaFeatures> {
  if (info.userVersion > latestSchemaVersion) {
    throw new AppErrorException(
      appError(
        'storage_failed',
        `This database was written by a newer version of Switchboard (schema ${info.userVersion}). Update Switchboard to open it.`,
      ),
    );
  }
  for (const migration of migrations) {
    if (migration.version <= info.userVersion) continue;
    const statements: BatchStatement[] = migration.statements({ fullTextSearch: info.fullTextSearch }).map((sql) => ({ sql }));
    statements.push({ sql: `PRAGMA user_version = ${migration.version}` });
    await client.request({ op: 'transaction', statements });
  }
  // What the schema holds decides, not what this SQLite could do: the file may predate FTS5 support.
  const search = (await client.request({
    op: 'get',
    sql: "SELECT count(*) AS count FROM sqlite_schema WHERE name = 'message_search'",
  })) as {
    count: number;
  };
  return { fullTextSearch: search.count > 0 };
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { filePath, workerUrl } = options;
  const now = options.now ?? Date.now;
  const createWorker = options.createWorker ?? createNodeWorker;
  try {
    mkdirSync(dirname(filePath), { recursive: true });
  } catch (error) {
    throw new AppErrorException(
      appError(
        'storage_failed',
        `Switchboard cannot create the folder for its database (${dirname(filePath)}): ${(error as Error).message}`,
      ),
      { cause: error },
    );
  }

  let client: WorkerClient | null = null;
  let closed = false;
  const start = (): WorkerClient => {
    const started = startWorkerClient(workerUrl, { filePath, busyTimeoutMs: options.busyTimeoutMs }, createWorker, () => {
      // A worker that died unexpectedly is replaced on the next request.
      if (client === started) client = null;
    });
    client = started;
    return started;
  };

  const openAndMigrate = async (): Promise<{ info: OpenedInfo; features: SchemaFeatures }> => {
    const started = start();
    try {
      const info = await started.opened;
      return { info, features: await migrate(started, info) };
    } catch (error) {
      await started.terminate();
      throw error;
    }
  };

  let notice: Notice | null = null;
  let opened: { info: OpenedInfo; features: SchemaFeatures };
  try {
    opened = await openAndMigrate();
  } catch (error) {
    if (!(error instanceof WorkerRequestError && unusableFileCodes.has(error.code))) throw storageFailure(error, filePath);
    const at = now();
    let keptAs: string;
    try {
      keptAs = moveAside(filePath, at);
    } catch (renameError) {
      throw new AppErrorException(
        appError(
          'storage_failed',
          `The database file is damaged (${error.message}) and could not be moved aside: ${(renameError as Error).message}`,
        ),
        { cause: renameError },
      );
    }
    notice = {
      id: `storage-corrupt-${at}`,
      level: 'warning',
      title: 'Your conversation database could not be read, so Switchboard started a fresh one',
      detail: `Problem: ${error.message}. The old file was kept as ${keptAs}; nothing was deleted. Conversations, tasks and the activity log start empty.`,
      at,
    };
    try {
      opened = await openAndMigrate();
    } catch (retryError) {
      throw storageFailure(retryError, filePath);
    }
    options.onNotice?.(notice);
  }

  const send = async (request: Parameters<WorkerClient['request']>[0]): Promise<unknown> => {
    if (closed) throw new AppErrorException(appError('storage_failed', 'The database is closed.'));
    try {
      const current = client ?? start();
      await current.opened;
      return await current.request(request);
    } catch (error) {
      throw storageFailure(error, filePath);
    }
  };

  return {
    filePath,
    features: { ...opened.features, sqliteVersion: opened.info.sqliteVersion },
    notice,
    exec: async (sql) => {
      await send({ op: 'exec', sql });
    },
    run: async (sql, params) => (await send({ op: 'run', sql, params: toSqlParams(params) })) as RunOutcome,
    get: async <T>(sql: string, params?: BindParams) =>
      ((await send({ op: 'get', sql, params: toSqlParams(params) })) ?? undefined) as T | undefined,
    all: async <T>(sql: string, params?: BindParams) => (await send({ op: 'all', sql, params: toSqlParams(params) })) as T[],
    transaction: async (statements) =>
      (await send({
        op: 'transaction',
        statements: statements.map((statement) =>
          'repeat' in statement
            ? { repeat: statement.repeat, rows: statement.rows }
            : { sql: statement.sql, params: toSqlParams(statement.params), op: statement.op },
        ),
      })) as unknown[],
    close: async () => {
      if (closed) return;
      closed = true;
      const current = client;
      client = null;
      if (!current?.alive()) return;
      try {
        await current.request({ op: 'close' });
      } catch (error) {
        throw storageFailure(error, filePath);
      } finally {
        await current.terminate();
      }
    },
  };
}
