import { create } from 'zustand';
import type { ConfigChange, ConfigVersion, ImportCheck } from '../../../src-shared/schemas/config-history';
import { api } from '../lib/api-client';
import { useAppStore } from './app-store';
import { useConnectionsStore } from './connections-store';
import { useConfigDraftStore } from './config-draft-store';

/** A file chosen for import, kept so a provider choice can preview it again. */
interface PendingFile {
  fileName: string;
  text: string;
  assignments: Record<string, string>;
}

/** A version opened from the history: its file and what differs between it and now. */
export interface OpenedVersion {
  version: ConfigVersion;
  sinceThen: ConfigChange[];
}

export interface ConfigState {
  history: ConfigVersion[];
  historyError: string | null;
  /** The preview on screen (import or rollback), or a refusal, or a question. */
  check: ImportCheck | null;
  /** What the check is about: "Import" or "Roll back". */
  checkTitle: string;
  file: PendingFile | null;
  opened: OpenedVersion | null;
  busy: boolean;
  error: string | null;
  loadHistory(): Promise<void>;
  exportFile(): Promise<{ fileName: string; text: string } | null>;
  /** The routing as a LiteLLM proxy config.yaml. */
  exportLitellmFile(): Promise<{ fileName: string; text: string } | null>;
  previewFile(fileName: string, text: string): Promise<void>;
  choose(provider: string, connectionId: string): void;
  previewChoices(): Promise<void>;
  previewRollback(id: number): Promise<void>;
  openVersion(id: number): Promise<void>;
  closeVersion(): void;
  apply(): Promise<boolean>;
  dismiss(): void;
}

let subscribed = false;

export const useConfigStore = create<ConfigState>()((set, get) => ({
  history: [],
  historyError: null,
  check: null,
  checkTitle: '',
  file: null,
  opened: null,
  busy: false,
  error: null,
  async loadHistory() {
    if (!subscribed) {
      subscribed = true;
      api.on('app:config.versionAdded', (version) => {
        if (!get().history.some((known) => known.id === version.id)) set({ history: [version, ...get().history] });
      });
    }
    const result = await api.config.history();
    if (result.ok) set({ history: result.value, historyError: null });
    else set({ historyError: result.error.message });
  },
  async exportFile() {
    const result = await api.config.export();
    if (result.ok) return result.value;
    set({ error: result.error.message });
    return null;
  },
  async exportLitellmFile() {
    const result = await api.config.exportLitellm();
    if (result.ok) return result.value;
    set({ error: result.error.message });
    return null;
  },
  async previewFile(fileName, text) {
    set({ busy: true, error: null, file: { fileName, text, assignments: {} }, checkTitle: `Import ${fileName}` });
    const result = await api.config.previewImport({ fileName, text });
    set({ busy: false, ...(result.ok ? { check: result.value } : { error: result.error.message, check: null }) });
  },
  choose(provider, connectionId) {
    const file = get().file;
    if (file) set({ file: { ...file, assignments: { ...file.assignments, [provider]: connectionId } } });
  },
  async previewChoices() {
    const file = get().file;
    if (!file) return;
    set({ busy: true, error: null });
    const result = await api.config.previewImport(file);
    set({ busy: false, ...(result.ok ? { check: result.value } : { error: result.error.message }) });
  },
  async previewRollback(id) {
    set({ busy: true, error: null, file: null, opened: null, checkTitle: `Roll back to version ${id}` });
    const result = await api.config.previewRollback({ id });
    set({ busy: false, ...(result.ok ? { check: result.value } : { error: result.error.message, check: null }) });
  },
  async openVersion(id) {
    const result = await api.config.version({ id });
    if (result.ok) set({ opened: { version: result.value.version, sinceThen: result.value.sinceThen }, error: null });
    else set({ error: result.error.message });
  },
  closeVersion: () => set({ opened: null }),
  async apply() {
    const check = get().check;
    if (check?.status !== 'ready') return false;
    set({ busy: true, error: null });
    const result = await api.config.apply({ token: check.preview.token });
    if (!result.ok) {
      set({ busy: false, error: result.error.message });
      return false;
    }
    set({ busy: false, check: null, file: null, opened: null });
    // The editors read the settings: take the applied ones now rather than waiting for the change event.
    const settings = await api.settings.get();
    if (settings.ok) useAppStore.setState({ settings: settings.value });
    await Promise.all([get().loadHistory(), useConfigDraftStore.getState().load(), useConnectionsStore.getState().load()]);
    return true;
  },
  dismiss: () => set({ check: null, file: null, error: null }),
}));
