import { describe, expect, it } from 'vitest';
import { migrateSettings, MigrationError } from '../../../src-main/settings/migrations';
import { SETTINGS_VERSION, settingsSchema } from '../../../src-shared/schemas/settings';

describe('settings migrations', () => {
  it('brings a file written before versioning to the current version', () => {
    const { settings, migratedFrom } = migrateSettings({ chat: { autoFallback: true } });
    expect(migratedFrom).toBe(0);
    expect(settings.version).toBe(SETTINGS_VERSION);
    expect(settingsSchema.parse(settings).chat.autoFallback).toBe(true);
  });

  it('leaves a current file alone', () => {
    const { settings, migratedFrom } = migrateSettings({ version: SETTINGS_VERSION });
    expect(migratedFrom).toBeNull();
    expect(settings).toEqual({ version: SETTINGS_VERSION });
  });

  it.each([
    [null, 'does not contain a JSON object'],
    [[1, 2], 'does not contain a JSON object'],
    [{ version: 'one' }, 'is not a whole number'],
    [{ version: SETTINGS_VERSION + 1 }, 'newer Switchboard'],
  ])('rejects %j with a clear reason', (raw, words) => {
    expect(() => migrateSettings(raw)).toThrow(MigrationError);
    expect(() => migrateSettings(raw)).toThrow(words);
  });
});
