import { create } from 'zustand';
import type { AppInfo, AppView, SettingsView } from '../../../src-shared/contract/ipc-contract';
import type { Notice } from '../../../src-shared/schemas/notice';
import type { SettingsPatch } from '../../../src-shared/schemas/settings';
import { api, ApiError, unwrap } from '../lib/api-client';
import { useTasksStore } from './tasks-store';

export interface AppState {
  view: AppView;
  info: AppInfo | null;
  settings: SettingsView | null;
  notices: Notice[];
  /** A failure the frame shows in its banner (e.g. main refused a request). */
  error: string | null;
  ready: boolean;
  init(): Promise<void>;
  show(view: AppView): void;
  updateSettings(patch: SettingsPatch): Promise<boolean>;
  dismissNotice(id: string): Promise<void>;
  clearError(): void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const useAppStore = create<AppState>()((set, get) => ({
  view: 'chat',
  info: null,
  settings: null,
  notices: [],
  error: null,
  ready: false,
  async init() {
    if (get().ready) return;
    api.on('app:settings.changed', (settings) => set({ settings }));
    api.on('app:notices.changed', (notices) => set({ notices }));
    api.on('app:view.show', ({ view, taskId }) => {
      set({ view });
      // A task's notification opens that task, not just the list.
      if (taskId) void useTasksStore.getState().select(taskId);
    });
    try {
      const [info, settings, notices] = await Promise.all([
        api.app.getInfo().then(unwrap),
        api.settings.get().then(unwrap),
        api.notices.list().then(unwrap),
      ]);
      set({ info, settings, notices, ready: true });
    } catch (error) {
      set({ error: `Switchboard could not load its settings: ${message(error)}`, ready: true });
    }
  },
  show: (view) => set({ view }),
  async updateSettings(patch) {
    try {
      const settings = unwrap(await api.settings.update(patch));
      set({ settings, error: null });
      return true;
    } catch (error) {
      set({ error: error instanceof ApiError ? error.error.message : message(error) });
      return false;
    }
  },
  async dismissNotice(id) {
    unwrap(await api.notices.dismiss({ id }));
    set({ notices: get().notices.filter((notice) => notice.id !== id) });
  },
  clearError: () => set({ error: null }),
}));
