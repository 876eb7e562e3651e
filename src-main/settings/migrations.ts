import { SETTINGS_VERSION } from '../../src-shared/schemas/settings';

type RawSettings = Record<string, unknown>;

/**
 * Pure migrations: entry N turns a version-N object into a version N+1 object.
 * Files written before versioning existed count as version 0.
 */
export const migrations: Record<number, (settings: RawSettings) => RawSettings> = {
  0: (settings) => ({ ...settings, version: 1 }),
};

export class MigrationError extends Error {}

export function migrateSettings(raw: unknown): { settings: RawSettings; migratedFrom: number | null } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new MigrationError('The settings file does not contain a JSON object.');
  }
  let settings = raw as RawSettings;
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
