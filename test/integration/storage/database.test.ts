import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppErrorException } from '../../../src-shared/errors/app-error';
import type { Notice } from '../../../src-shared/schemas/notice';
import { latestSchemaVersion } from '../../../src-main/storage/migrations';
import { StorageFixture } from './storage-fixture';

async function storageError(promise: Promise<unknown>): Promise<AppErrorException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppErrorException) return error;
    throw error;
  }
  throw new Error('expected the database call to fail');
}

describe('openDatabase', () => {
  let fixture: StorageFixture;
  beforeEach(() => {
    fixture = new StorageFixture();
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('creates the file in WAL mode with foreign keys on, synchronous NORMAL and the latest schema', async () => {
    const { database } = await fixture.open();
    expect(existsSync(fixture.filePath)).toBe(true);
    expect(database.notice).toBeNull();
    expect(await database.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await database.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(await database.get('PRAGMA synchronous')).toEqual({ synchronous: 1 });
    expect(await database.get('PRAGMA user_version')).toEqual({ user_version: latestSchemaVersion });
    const tables = await database.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['call_log', 'call_log_text', 'conversations', 'messages', 'task_trace', 'tasks']),
    );
    expect(database.features.fullTextSearch).toBe(true);
    expect(database.features.sqliteVersion).toMatch(/^3\.\d+\.\d+$/);
  });

  it('runs exec, run, get and all, with positional and named parameters, booleans and undefined', async () => {
    const { database } = await fixture.open();
    await database.exec('CREATE TABLE sample (id INTEGER PRIMARY KEY, label TEXT, flag INTEGER, extra TEXT)');
    const first = await database.run('INSERT INTO sample (label, flag, extra) VALUES (?, ?, ?)', ['one', true, undefined]);
    expect(first).toEqual({ changes: 1, lastInsertRowid: 1 });
    await database.run('INSERT INTO sample (label, flag) VALUES (:label, :flag)', { label: 'two', flag: false });
    expect(await database.get('SELECT label, flag, extra FROM sample WHERE id = ?', [1])).toEqual({ label: 'one', flag: 1, extra: null });
    expect(await database.get('SELECT label FROM sample WHERE id = 99')).toBeUndefined();
    expect(await database.all('SELECT label, flag FROM sample ORDER BY id')).toEqual([
      { label: 'one', flag: 1 },
      { label: 'two', flag: 0 },
    ]);
  });

  it('runs a transaction atomically: a failing statement undoes the ones before it', async () => {
    const { database } = await fixture.open();
    await database.exec('CREATE TABLE sample (id INTEGER PRIMARY KEY, label TEXT NOT NULL)');
    const results = await database.transaction([
      { sql: 'INSERT INTO sample (label) VALUES (?)', params: ['kept'] },
      { sql: 'SELECT count(*) AS count FROM sample', op: 'get' },
      { sql: 'SELECT label FROM sample', op: 'all' },
    ]);
    expect(results).toEqual([{ changes: 1, lastInsertRowid: 1 }, { count: 1 }, [{ label: 'kept' }]]);

    const failure = await storageError(
      database.transaction([
        { sql: 'INSERT INTO sample (label) VALUES (?)', params: ['rolled back'] },
        { sql: 'INSERT INTO sample (label) VALUES (NULL)' },
      ]),
    );
    expect(failure.appError.code).toBe('storage_failed');
    expect(failure.appError.message).toMatch(/NOT NULL/);
    expect(await database.all('SELECT label FROM sample')).toEqual([{ label: 'kept' }]);
    // The connection is usable after the rollback.
    await database.transaction([{ sql: 'INSERT INTO sample (label) VALUES (?)', params: ['after'] }]);
    expect(await database.get('SELECT count(*) AS count FROM sample')).toEqual({ count: 2 });
  });

  it('reports SQL errors as storage_failed AppErrors in words, with the SQLite code kept as the cause', async () => {
    const { database } = await fixture.open();
    const failure = await storageError(database.all('SELECT * FROM no_such_table'));
    expect(failure.appError).toMatchObject({ code: 'storage_failed', retryable: false, fallbackable: false });
    expect(failure.appError.message).toContain('no such table: no_such_table');
    expect((failure.cause as { code: string }).code).toBe('SQLITE_ERROR');
  });

  it('keeps data across close and reopen without migrating again', async () => {
    const first = await fixture.open();
    await first.database.run("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c1', 'Kept', 1, 1)");
    await first.database.close();
    const second = await fixture.open();
    expect(await second.database.get('SELECT title FROM conversations')).toEqual({ title: 'Kept' });
    const failure = await storageError(first.database.get('SELECT 1'));
    expect(failure.appError.message).toMatch(/closed/);
  });

  it('folds the WAL back into the database once writes pause, not during a burst of writes', async () => {
    const { database } = await fixture.open();
    await database.exec('CREATE TABLE sample (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    // About 6 MB in 12 transactions: well past SQLite's default checkpoint (1,000 pages, 4 MB).
    const rows = Array.from({ length: 500 }, (_, index) => [[`${index} ${'x'.repeat(1000)}`]] as const);
    for (let batch = 0; batch < 12; batch += 1) {
      await database.transaction([{ repeat: ['INSERT INTO sample (text) VALUES (?)'], rows }]);
    }
    expect(statSync(`${fixture.filePath}-wal`).size).toBeGreaterThan(6_000_000);
    expect(statSync(fixture.filePath).size).toBeLessThan(1_000_000);

    const deadline = Date.now() + 5000;
    while (statSync(fixture.filePath).size < 6_000_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statSync(fixture.filePath).size).toBeGreaterThan(6_000_000);
    expect(await database.get('SELECT count(*) AS count FROM sample')).toEqual({ count: 6000 });
  });

  it('moves a file that is not a database aside, keeps it, starts fresh and says so', async () => {
    writeFileSync(fixture.filePath, 'this is not a database, it is a shopping list\n'.repeat(200));
    const notices: Notice[] = [];
    const { database } = await fixture.open({ onNotice: (notice) => notices.push(notice), now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });

    const kept = readdirSync(fixture.directory).filter((name) => name.startsWith('switchboard.corrupt-'));
    expect(kept).toEqual(['switchboard.corrupt-2026-01-02T03-04-05-000Z.db']);
    expect(readFileSync(join(fixture.directory, kept[0]!), 'utf8')).toContain('shopping list');
    expect(database.notice).not.toBeNull();
    expect(notices).toEqual([database.notice]);
    expect(database.notice!.level).toBe('warning');
    expect(database.notice!.detail).toContain(kept[0]);

    await database.run("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c1', 'Fresh', 1, 1)");
    expect(await database.get('SELECT title FROM conversations')).toEqual({ title: 'Fresh' });
  });

  it('moves a database with a damaged header aside too', async () => {
    const first = await fixture.open();
    await first.database.run("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c1', 'Lost', 1, 1)");
    await first.database.close();
    const bytes = readFileSync(fixture.filePath);
    bytes.write('garbage garbage!', 0, 'latin1');
    writeFileSync(fixture.filePath, bytes);

    const { database } = await fixture.open();
    expect(database.notice?.title).toMatch(/could not be read/);
    expect(await database.get('SELECT count(*) AS count FROM conversations')).toEqual({ count: 0 });
    expect(readdirSync(fixture.directory).some((name) => /^switchboard\.corrupt-.*\.db$/.test(name))).toBe(true);
  });

  it('refuses a database from a newer Switchboard instead of moving it aside', async () => {
    const first = await fixture.open();
    await first.database.exec(`PRAGMA user_version = ${latestSchemaVersion + 1}`);
    await first.database.close();
    const failure = await storageError(fixture.open());
    expect(failure.appError.code).toBe('storage_failed');
    expect(failure.appError.message).toMatch(/newer version of Switchboard/);
    expect(readdirSync(fixture.directory).filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it('says what is wrong when the folder cannot hold a database', async () => {
    const blocker = join(fixture.directory, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const failure = await storageError(fixture.open({ filePath: join(blocker, 'switchboard.db') }));
    expect(failure.appError.code).toBe('storage_failed');
    expect(failure.appError.message).toContain(blocker);
  });

  it('rejects pending requests when the worker dies, then starts a new worker on the next request', async () => {
    const { database, workers } = await fixture.open();
    await database.exec('CREATE TABLE sample (id INTEGER PRIMARY KEY)');
    const pending = database.all(
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000) SELECT count(*) FROM n',
    );
    await workers[0]!.terminate();
    const failure = await storageError(pending);
    expect(failure.appError.code).toBe('storage_failed');
    expect(failure.appError.retryable).toBe(true);

    await database.run('INSERT INTO sample DEFAULT VALUES');
    expect(workers).toHaveLength(2);
    expect(await database.get('SELECT count(*) AS count FROM sample')).toEqual({ count: 1 });
  });
});
