import { SETTINGS_VERSION } from '../../src-shared/schemas/settings';
import { withoutHiddenCharacters } from '../../src-shared/schemas/visible-text';

type RawSettings = Record<string, unknown>;

const isObject = (value: unknown): value is RawSettings => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Connection names now refuse invisible and direction-changing characters; a file saved before that
 * keeps its connections with those characters taken out (a name left empty becomes the connection id)
 * instead of the whole file being set aside as unreadable.
 */
function stripHiddenCharactersFromConnectionNames(settings: RawSettings): RawSettings {
  if (!Array.isArray(settings.connections)) return { ...settings, version: 2 };
  const connections = settings.connections.map((connection: unknown) => {
    if (!isObject(connection) || typeof connection.name !== 'string') return connection;
    const name = withoutHiddenCharacters(connection.name).trim();
    return { ...connection, name: name || (typeof connection.id === 'string' ? connection.id : 'Connection') };
  });
  return { ...settings, connections, version: 2 };
}

/**
 * Pure migrations: entry N turns a version-N object into a version N+1 object.
 * Files written before versioning existed count as version 0.
 */
export const migrations: Record<number, (settings: RawSettings) => RawSettings> = {
  0: (settings) => ({ ...settings, version: 1 }),
  1: stripHiddenCharactersFromConnectionNames,
};

export class MigrationError extends Error {}

export function migrateSettings(raw: unknown): { settings: RawSettings; migratedFrom: number | null } {
  if (!isObject(raw)) {
    throw new MigrationError('The settings file does not contain a JSON object.');
  }
  let settings = raw;
  const startVersion = settings.version === undefined ? 0 : settings.version;
  if (typeof startVersion !== 'number' || !Number.isInteger(startVersion) || startVersion < 0) {
    throw new MigrationError(`The settings version ${JSON.stringify(settings.version)} is not a whole number.`);
  }
  if (startVersion > SETTINGS_VERSION) {
    throw new MigrationError(
      `The settings file was written by a newer Switchboard (version ${startVersion}; this one reads up to ${SETTINGS_VERSION}).`,
    );
  }
  for (let version = startVersion; version < SETTINGS_VERSION; version += 1) {
    const step = migrations[version];
    if (!step) throw new MigrationError(`No migration from settings version ${version}.`);
    settings = step(settings);
  }
  return { settings, migratedFrom: startVersion === SETTINGS_VERSION ? null : startVersion };
}
