import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import type { Notice } from '../../src-shared/schemas/notice';
import { defaultSettings, settingsSchema, type Settings } from '../../src-shared/schemas/settings';
import { migrateSettings } from './migrations';

/** The file-backed key-value store underneath (electron-store in the app, conf headless). */
export interface PersistentStore {
  store: Settings;
}

export type CreateStore = (options: { cwd: string; name: string }) => PersistentStore;

export interface SettingsServiceOptions {
  directory: string;
  createStore: CreateStore;
  now?: () => number;
  /** Called once when the file on disk could not be used and was moved aside. */
  onNotice?: (notice: Notice) => void;
}

export interface SettingsService {
  get(): Settings;
  /** Applies a change atomically: the result is validated before anything is written. */
  update(change: (current: Settings) => Settings): Settings;
  onChange(listener: (settings: Settings) => void): () => void;
  readonly filePath: string;
}

/** settings.json in the data folder. */
export const SETTINGS_FILE_NAME = 'settings';

/** Reads settings.json, migrating it; a file that cannot be used is kept aside and reported. */
function loadInitial(filePath: string, now: number, report: (notice: Notice) => void): Settings {
  if (!existsSync(filePath)) return defaultSettings();
  let problem: string;
  try {
    const raw: unknown = JSON.parse(readFileSync(filePath, 'utf8'));
    const { settings } = migrateSettings(raw);
    const parsed = settingsSchema.safeParse(settings);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    problem = `${issue?.path.join('.') || 'settings'}: ${issue?.message ?? 'invalid value'}`;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const keptAs = `${filePath.replace(/\.json$/, '')}.corrupt-${stamp}.json`;
  renameSync(filePath, keptAs);
  report({
    id: `settings-corrupt-${now}`,
    level: 'warning',
    title: 'Your settings could not be read, so Switchboard started with defaults',
    detail: `Problem: ${problem}. The old file was kept as ${keptAs}. Your API keys are safe in the system keychain; add your providers again or restore the file by hand.`,
    at: now,
  });
  return defaultSettings();
}

export function createSettingsService(options: SettingsServiceOptions): SettingsService {
  const now = options.now ?? Date.now;
  const filePath = join(options.directory, `${SETTINGS_FILE_NAME}.json`);
  const initial = loadInitial(filePath, now(), (notice) => options.onNotice?.(notice));
  const store = options.createStore({ cwd: options.directory, name: SETTINGS_FILE_NAME });
  store.store = initial;
  let current = initial;
  const listeners = new Set<(settings: Settings) => void>();

  return {
    filePath,
    get: () => current,
    update(change) {
      const parsed = settingsSchema.safeParse(change(current));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppErrorException(
          appError('validation_failed', issue?.message ?? 'Invalid settings.', {
            field: issue?.path.join('.'),
          }),
        );
      }
      store.store = parsed.data;
      current = parsed.data;
      for (const listener of listeners) listener(current);
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
