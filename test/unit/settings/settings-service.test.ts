import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppErrorException } from '../../../src-shared/errors/app-error';
import type { Notice } from '../../../src-shared/schemas/notice';
import { createElectronSettingsStore } from '../../../src-main/settings/electron-settings-store';
import { createSettingsService } from '../../../src-main/settings/settings-service';

const tempDirectory = () => mkdtempSync(join(tmpdir(), 'switchboard-settings-'));

describe('settings service (real electron-store files)', () => {
  it('starts with defaults and persists validated changes', () => {
    const directory = tempDirectory();
    const service = createSettingsService({ createStore: createElectronSettingsStore, directory });
    expect(service.get().connections).toEqual([]);
    expect(service.get().routing.tiers.map((tier) => tier.id)).toEqual(['standard', 'premium', 'enterprise']);
    service.update((current) => ({ ...current, chat: { ...current.chat, autoFallback: true } }));
    const reopened = createSettingsService({ createStore: createElectronSettingsStore, directory });
    expect(reopened.get().chat.autoFallback).toBe(true);
    expect(JSON.parse(readFileSync(join(directory, 'settings.json'), 'utf8')).chat.autoFallback).toBe(true);
  });

  it('refuses an invalid change, naming the field, and keeps the old value on disk', () => {
    const directory = tempDirectory();
    const service = createSettingsService({ createStore: createElectronSettingsStore, directory });
    const before = readFileSync(service.filePath, 'utf8');
    let thrown: unknown;
    try {
      service.update((current) => ({ ...current, appearance: { theme: 'neon' as 'dark' } }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppErrorException);
    expect((thrown as AppErrorException).appError).toMatchObject({ code: 'validation_failed', field: 'appearance.theme' });
    expect(readFileSync(service.filePath, 'utf8')).toBe(before);
    expect(service.get().appearance.theme).toBe('system');
  });

  it('loads an older file whose connection name has a hidden character, without setting it aside', () => {
    const directory = tempDirectory();
    const connection = {
      id: 'openai',
      kind: 'openai',
      name: 'Open\u202EAI',
      baseUrl: 'https://api.openai.com/v1',
      defaultModel: 'gpt-4o',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    writeFileSync(join(directory, 'settings.json'), JSON.stringify({ version: 1, connections: [connection] }));
    const notices: Notice[] = [];
    const service = createSettingsService({
      createStore: createElectronSettingsStore,
      directory,
      onNotice: (notice) => notices.push(notice),
    });
    expect(notices).toEqual([]);
    expect(service.get().connections.map((entry) => entry.name)).toEqual(['OpenAI']);
    expect(readdirSync(directory).filter((name) => name.startsWith('settings.corrupt-'))).toEqual([]);
  });

  it.each([
    ['broken JSON', '{"version": 1, '],
    ['a value of the wrong type', JSON.stringify({ version: 1, connections: 'none' })],
    ['a version from the future', JSON.stringify({ version: 99 })],
  ])('moves a settings file with %s aside, reports it and loads defaults', (_label, content) => {
    const directory = tempDirectory();
    writeFileSync(join(directory, 'settings.json'), content);
    const notices: Notice[] = [];
    const service = createSettingsService({
      createStore: createElectronSettingsStore,
      directory,
      now: () => Date.UTC(2026, 0, 2),
      onNotice: (notice) => notices.push(notice),
    });
    expect(service.get().connections).toEqual([]);
    const keptAside = readdirSync(directory).filter((name) => name.startsWith('settings.corrupt-'));
    expect(keptAside).toEqual(['settings.corrupt-2026-01-02T00-00-00-000Z.json']);
    expect(readFileSync(join(directory, keptAside[0]!), 'utf8')).toBe(content);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.detail).toContain(keptAside[0]);
  });
});
