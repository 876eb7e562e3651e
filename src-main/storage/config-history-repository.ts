// Every applied version of the configuration, newest last. Each row holds the whole configuration file
// (never a key) and a readable list of what changed from the row before.
import { z } from 'zod';
import { configChangeSchema, type ConfigChange, type ConfigSource, type ConfigVersion } from '../../src-shared/schemas/config-history';
import type { Database } from './database';
import { notFound, readJson } from './storage-helpers';

/** How many versions are kept; older ones go when a new one is written. */
export const KEPT_CONFIG_VERSIONS = 500;

export interface ConfigHistoryRepository {
  append(version: { at: number; source: ConfigSource; changes: ConfigChange[]; note: string; config: string }): Promise<ConfigVersion>;
  /** Newest first. */
  list(limit?: number): Promise<ConfigVersion[]>;
  /** The version with its configuration file text. */
  get(id: number): Promise<{ version: ConfigVersion; config: string }>;
  latest(): Promise<{ version: ConfigVersion; config: string } | null>;
}

interface Row {
  id: number;
  at: number;
  source: ConfigSource;
  changes: string;
  note: string;
  config?: string;
}

const toVersion = (row: Row): ConfigVersion => ({
  id: row.id,
  at: row.at,
  source: row.source,
  changes: readJson(row.changes, z.array(configChangeSchema), []),
  note: row.note,
});

export function createConfigHistoryRepository(database: Database): ConfigHistoryRepository {
  return {
    async append(version) {
      const [inserted] = (await database.transaction([
        {
          sql: 'INSERT INTO config_versions (at, source, changes, note, config) VALUES (?, ?, ?, ?, ?) RETURNING id',
          params: [version.at, version.source, JSON.stringify(version.changes), version.note, version.config],
          op: 'get',
        },
        {
          sql: 'DELETE FROM config_versions WHERE id <= (SELECT max(id) FROM config_versions) - ?',
          params: [KEPT_CONFIG_VERSIONS],
        },
      ])) as [{ id: number }];
      return { id: inserted.id, at: version.at, source: version.source, changes: version.changes, note: version.note };
    },
    async list(limit = 100) {
      const rows = await database.all<Row>('SELECT id, at, source, changes, note FROM config_versions ORDER BY id DESC LIMIT ?', [limit]);
      return rows.map(toVersion);
    },
    async get(id) {
      const row = await database.get<Row>('SELECT * FROM config_versions WHERE id = ?', [id]);
      if (!row?.config) throw notFound(`Version ${id} of the configuration`);
      return { version: toVersion(row), config: row.config };
    },
    async latest() {
      const row = await database.get<Row>('SELECT * FROM config_versions ORDER BY id DESC LIMIT 1');
      return row?.config ? { version: toVersion(row), config: row.config } : null;
    },
  };
}
