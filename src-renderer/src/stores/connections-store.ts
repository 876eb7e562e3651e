import { create } from 'zustand';
import type { AppError } from '../../../src-shared/errors/app-error';
import type { ModelFacts } from '../../../src-shared/schemas/connection';
import type {
  ConnectionPatch,
  ConnectionView,
  DiscoverModelsInput,
  DiscoverModelsResult,
  LocalOllamaOffer,
  NewConnectionInput,
  ProviderProfileView,
} from '../../../src-shared/schemas/connection-input';
import { api } from '../lib/api-client';

/** The outcome of a form submission: done, or the words to show next to a field. */
export type SubmitOutcome = { ok: true } | { ok: false; error: AppError };

export interface TestState {
  running: boolean;
  ok?: boolean;
  message?: string;
}

export interface ConnectionsState {
  connections: ConnectionView[];
  profiles: ProviderProfileView[];
  loaded: boolean;
  loadError: string | null;
  tests: Record<string, TestState>;
  ollamaOffer: LocalOllamaOffer | null;
  load(): Promise<void>;
  add(input: NewConnectionInput): Promise<SubmitOutcome>;
  update(patch: ConnectionPatch): Promise<SubmitOutcome>;
  remove(id: string, newPrimaryId?: string): Promise<SubmitOutcome>;
  setPrimary(id: string): Promise<void>;
  test(id: string): Promise<void>;
  discoverModels(input: DiscoverModelsInput): Promise<DiscoverModelsResult>;
  setModelFacts(connectionId: string, facts: ModelFacts): Promise<SubmitOutcome>;
  detectOllama(): Promise<void>;
  dismissOllamaOffer(): void;
}

let subscribed = false;

export const useConnectionsStore = create<ConnectionsState>()((set, get) => ({
  connections: [],
  profiles: [],
  loaded: false,
  loadError: null,
  tests: {},
  ollamaOffer: null,
  async load() {
    if (!subscribed) {
      subscribed = true;
      api.on('app:connections.changed', (connections) => set({ connections }));
    }
    const [list, profiles] = await Promise.all([api.connections.list(), api.connections.profiles()]);
    if (!list.ok) return set({ loaded: true, loadError: list.error.message });
    set({ connections: list.value, profiles: profiles.ok ? profiles.value : [], loaded: true, loadError: null });
  },
  async add(input) {
    const result = await api.connections.add(input);
    if (!result.ok) return result;
    set({
      connections: [...get().connections.filter((view) => view.connection.id !== result.value.connection.id), result.value],
      ollamaOffer: null,
    });
    // A new connection is tested at once so its dot says something useful.
    void get().test(result.value.connection.id);
    return { ok: true };
  },
  async update(patch) {
    const result = await api.connections.update(patch);
    if (!result.ok) return result;
    set({ connections: get().connections.map((view) => (view.connection.id === patch.id ? result.value : view)) });
    return { ok: true };
  },
  async remove(id, newPrimaryId) {
    const result = await api.connections.remove(newPrimaryId ? { id, newPrimaryId } : { id });
    if (!result.ok) return result;
    await get().load();
    return { ok: true };
  },
  async setPrimary(id) {
    const result = await api.connections.setPrimary({ id });
    if (result.ok) await get().load();
  },
  async test(id) {
    set({ tests: { ...get().tests, [id]: { running: true } } });
    const result = await api.connections.test({ id });
    const state: TestState = result.ok
      ? { running: false, ok: result.value.ok, message: result.value.message }
      : { running: false, ok: false, message: result.error.message };
    set({ tests: { ...get().tests, [id]: state } });
    await get().load();
  },
  async discoverModels(input) {
    const result = await api.connections.discoverModels(input);
    return result.ok ? result.value : { ok: false, message: result.error.message, models: [] };
  },
  async setModelFacts(connectionId, facts) {
    const result = await api.connections.setModelFacts({ connectionId, facts });
    if (!result.ok) return result;
    set({ connections: get().connections.map((view) => (view.connection.id === connectionId ? result.value : view)) });
    return { ok: true };
  },
  async detectOllama() {
    if (get().connections.some((view) => view.connection.kind === 'ollama')) return;
    const result = await api.connections.detectOllama();
    if (result.ok && result.value) set({ ollamaOffer: result.value });
  },
  dismissOllamaOffer: () => set({ ollamaOffer: null }),
}));
