// The thread that owns the SQLite connection, so no query ever runs on the Electron main thread.
// Self-contained on purpose: it imports `node:` modules only and uses erasable TypeScript only, so the same
// file runs bundled (out/main/storage-worker.js) and directly as a .ts worker under Node 24 in tests.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

export type SqlValue = null | number | bigint | string | Uint8Array;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

/** One statement of an atomic batch; `op` says what to return for it (changes, a row or all rows). */
export interface SingleStatement {
  sql: string;
  params?: SqlParams;
  op?: 'run' | 'get' | 'all';
}

/**
 * The same statements run in order once per row of parameters (a row and its companion row, say), prepared
 * once: a batch of a thousand rows is one message, not two thousand statements. Its result is each row's
 * `lastInsertRowid` after the first statement.
 */
export interface RepeatedStatements {
  repeat: readonly string[];
  rows: readonly (readonly SqlParams[])[];
}

export type BatchStatement = SingleStatement | RepeatedStatements;

export type WorkerRequest =
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'run' | 'get' | 'all'; sql: string; params?: SqlParams }
  | { id: number; op: 'transaction'; statements: readonly BatchStatement[] }
  | { id: number; op: 'close' };

export interface WorkerFailure {
  message: string;
  /** SQLITE_* name of the primary result code when SQLite reported one, else a Node error code. */
  code: string;
}

/** Id 0 answers the open itself (sent once, unasked); every request gets the reply with its own id. */
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WorkerFailure };

export interface WorkerOptions {
  filePath: string;
  busyTimeoutMs?: number;
}

export interface OpenedInfo {
  sqliteVersion: string;
  fullTextSearch: boolean;
  userVersion: number;
}

export interface RunOutcome {
  changes: number;
  lastInsertRowid: number;
}

/** Enough statements to cover every query the repositories use, without growing without bound. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * WAL pages after which a commit folds the WAL back into the database itself (SQLite's default is 1,000).
 * Each checkpoint syncs the WAL and the database file to disk, so under a burst of writes (a busy gateway
 * logging calls) fewer, larger checkpoints cost far less: pages written again and again are copied once.
 */
const CHECKPOINT_PAGES = 10_000;
/** With no request for this long, the WAL is folded back while nothing waits on the worker. */
const IDLE_CHECKPOINT_MS = 250;
/** After a checkpoint the WAL file is cut back to this size, so a burst does not leave a large file behind. */
const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

const primaryResultCodes: Record<number, string> = {
  1: 'SQLITE_ERROR',
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  23: 'SQLITE_AUTH',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
};

function describeFailure(error: unknown): WorkerFailure {
  if (!(error instanceof Error)) return { message: String(error), code: 'UNKNOWN' };
  const details = error as Error & { errcode?: unknown; code?: unknown };
  if (typeof details.errcode === 'number') {
    // Extended result codes carry the primary code in their low byte.
    const primary = details.errcode & 0xff;
    return { message: error.message, code: primaryResultCodes[primary] ?? `SQLITE_${details.errcode}` };
  }
  return { message: error.message, code: typeof details.code === 'string' ? details.code : 'UNKNOWN' };
}

const statements = new Map<string, StatementSync>();

function prepared(database: DatabaseSync, sql: string): StatementSync {
  const cached = statements.get(sql);
  if (cached) {
    // Re-inserting keeps the Map in least-recently-used order for eviction.
    statements.delete(sql);
    statements.set(sql, cached);
    return cached;
  }
  const statement = database.prepare(sql);
  statements.set(sql, statement);
  if (statements.size > STATEMENT_CACHE_SIZE) {
    const oldest = statements.keys().next().value;
    if (oldest !== undefined) statements.delete(oldest);
  }
  return statement;
}

function execute(database: DatabaseSync, op: 'run' | 'get' | 'all', sql: string, params: SqlParams | undefined): unknown {
  const statement = prepared(database, sql);
  const positional: SQLInputValue[] = Array.isArray(params) ? (params as SQLInputValue[]) : [];
  const named = params !== undefined && !Array.isArray(params) ? (params as Record<string, SQLInputValue>) : undefined;
  if (op === 'run') {
    const result = named ? statement.run(named) : statement.run(...positional);
    return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) } satisfies RunOutcome;
  }
  if (op === 'get') return named ? statement.get(named) : statement.get(...positional);
  return named ? statement.all(named) : statement.all(...positional);
}

function runRepeated(database: DatabaseSync, repeated: RepeatedStatements): number[] {
  const prepared_ = repeated.repeat.map((sql) => prepared(database, sql));
  const ids: number[] = [];
  for (const row of repeated.rows) {
    prepared_.forEach((statement, index) => {
      const result = statement.run(...((row[index] ?? []) as SQLInputValue[]));
      if (index === 0) ids.push(Number(result.lastInsertRowid));
    });
  }
  return ids;
}

function runBatch(database: DatabaseSync, batch: readonly BatchStatement[]): unknown[] {
  // IMMEDIATE takes the write lock up front, so a batch never fails half-way on a lock upgrade.
  database.exec('BEGIN IMMEDIATE');
  try {
    const results = batch.map((statement) =>
      'repeat' in statement ? runRepeated(database, statement) : execute(database, statement.op ?? 'run', statement.sql, statement.params),
    );
    database.exec('COMMIT');
    return results;
  } catch (error) {
    try {
      database.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back on its own (some errors end the transaction).
    }
    throw error;
  }
}

/** The call log's latency histograms bin by ln(); a SQLite built without its math functions gets it from JS. */
function provideMathFunctions(database: DatabaseSync): void {
  try {
    database.prepare('SELECT ln(2)').get();
  } catch {
    database.function('ln', { deterministic: true }, (value) =>
      value === null || value === undefined || Number(value) <= 0 ? null : Math.log(Number(value)),
    );
  }
}

function hasFullTextSearch(database: DatabaseSync): boolean {
  try {
    database.exec('CREATE VIRTUAL TABLE temp.fts_probe USING fts5(text); DROP TABLE temp.fts_probe;');
    return true;
  } catch {
    return false;
  }
}

function open(options: WorkerOptions): { database: DatabaseSync; info: OpenedInfo } {
  const database = new DatabaseSync(options.filePath);
  try {
    database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    // Reading the schema is what fails on a file that is not a database or whose header is damaged.
    database.prepare('SELECT count(*) AS count FROM sqlite_schema').get();
    const userVersion = Number((database.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    // Incremental auto-vacuum must be chosen before the first table exists; it lets pruning give space back.
    if (userVersion === 0) database.exec('PRAGMA auto_vacuum = INCREMENTAL');
    database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    database.exec(`PRAGMA wal_autocheckpoint = ${CHECKPOINT_PAGES}; PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES};`);
    provideMathFunctions(database);
    const sqliteVersion = String((database.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version);
    return { database, info: { sqliteVersion, fullTextSearch: hasFullTextSearch(database), userVersion } };
  } catch (error) {
    database.close();
    throw error;
  }
}

function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('storage-worker must run as a worker thread.');
  let database: DatabaseSync;
  let closed = false;
  try {
    const opened = open(workerData as WorkerOptions);
    database = opened.database;
    port.postMessage({ id: 0, ok: true, value: opened.info } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ id: 0, ok: false, error: describeFailure(error) } satisfies WorkerReply);
    return;
  }

  // After a write, the WAL is folded back into the database once requests pause: a burst of writes is not
  // slowed by checkpoints (only the one CHECKPOINT_PAGES forces), and the WAL is synced soon after it ends.
  let lastRequestAt = 0;
  let idleCheckpoint: ReturnType<typeof setTimeout> | null = null;
  const checkpointWhenIdle = () => {
    const quietFor = Date.now() - lastRequestAt;
    if (quietFor < IDLE_CHECKPOINT_MS) {
      idleCheckpoint = setTimeout(checkpointWhenIdle, IDLE_CHECKPOINT_MS - quietFor);
      return;
    }
    idleCheckpoint = null;
    try {
      // PASSIVE never waits on readers; what it cannot fold now, a later checkpoint will.
      database.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // Left to the next commit's own checkpoint.
    }
  };
  const afterWrite = () => {
    idleCheckpoint ??= setTimeout(checkpointWhenIdle, IDLE_CHECKPOINT_MS);
  };

  port.on('message', (request: WorkerRequest) => {
    lastRequestAt = Date.now();
    try {
      let value: unknown;
      switch (request.op) {
        case 'exec':
          database.exec(request.sql);
          value = null;
          afterWrite();
          break;
        case 'run':
        case 'get':
        case 'all':
          value = execute(database, request.op, request.sql, request.params);
          if (request.op === 'run') afterWrite();
          break;
        case 'transaction':
          value = runBatch(database, request.statements);
          afterWrite();
          break;
        case 'close':
          if (idleCheckpoint) clearTimeout(idleCheckpoint);
          idleCheckpoint = null;
          statements.clear();
          // A clean close checkpoints the WAL into the main file.
          if (!closed) database.close();
          closed = true;
          value = null;
          break;
      }
      port.postMessage({ id: request.id, ok: true, value } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: describeFailure(error) } satisfies WorkerReply);
    }
  });
}

serve();
