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

  it('takes hidden characters out of connection names saved before they were refused (version 1 to 2)', () => {
    const connection = (id: string, name: string) => ({
      id,
      kind: 'openai',
      name,
      baseUrl: 'https://api.openai.com/v1',
      defaultModel: 'gpt-4o',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const raw = {
      version: 1,
      connections: [
        connection('openai', 'Open\u202EAI\u200B'),
        connection('blank', '\u200B\u2066\uFEFF'),
        connection('plain', 'Plain name'),
      ],
    };
    // Before the migration this file was unreadable: the schema refuses the names.
    expect(settingsSchema.safeParse({ ...raw, version: SETTINGS_VERSION }).success).toBe(false);
    const { settings, migratedFrom } = migrateSettings(raw);
    expect(migratedFrom).toBe(1);
    const parsed = settingsSchema.parse(settings);
    expect(parsed.connections.map((entry) => entry.name)).toEqual(['OpenAI', 'blank', 'Plain name']);
    expect(parsed.connections.map((entry) => entry.id)).toEqual(['openai', 'blank', 'plain']);
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
