import { create } from 'zustand';
import type { LocalModelList, PullProgress } from '../../../src-shared/schemas/local-models';
import { api } from '../lib/api-client';
import type { SubmitOutcome } from './connections-store';

export interface LocalModelsState {
  /** Per connection: the server's models, or why they could not be listed. */
  lists: Record<string, { list: LocalModelList | null; error: string | null; loading: boolean }>;
  /** Pulls by `pullKey`, running or ended (an ended one stays until dismissed or pulled again). */
  pulls: Record<string, PullProgress>;
  load(connectionId: string): Promise<void>;
  /** Starts a pull; resolves when it has ended. An invalid name or a second pull of the same name fails at once. */
  pull(connectionId: string, name: string): Promise<SubmitOutcome>;
  cancelPull(connectionId: string, name: string): Promise<void>;
  dismissPull(connectionId: string, name: string): void;
  remove(connectionId: string, name: string): Promise<SubmitOutcome>;
  /** Asks every local server which models are loaded; the provider rows update by event. */
  refreshLoaded(): Promise<void>;
}

export const pullKey = (connectionId: string, name: string) => `${connectionId}\n${name}`;

let subscribed = false;

export const useLocalModelsStore = create<LocalModelsState>()((set, get) => {
  const setPull = (progress: PullProgress) => set({ pulls: { ...get().pulls, [pullKey(progress.connectionId, progress.name)]: progress } });
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    api.on('app:localModels.pullProgress', (progress) => {
      // An ended pull is final: a late progress line must not bring it back to "running".
      const known = get().pulls[pullKey(progress.connectionId, progress.name)];
      if (known && known.state !== 'running' && progress.state === 'running') return;
      setPull(progress);
    });
  };
  const setList = (connectionId: string, patch: Partial<LocalModelsState['lists'][string]>) =>
    set({
      lists: { ...get().lists, [connectionId]: { list: null, error: null, loading: false, ...get().lists[connectionId], ...patch } },
    });
  return {
    lists: {},
    pulls: {},
    async load(connectionId) {
      subscribe();
      setList(connectionId, { loading: true });
      const result = await api.localModels.list({ connectionId });
      if (result.ok) setList(connectionId, { list: result.value, error: null, loading: false });
      else setList(connectionId, { error: result.error.message, loading: false });
    },
    async pull(connectionId, name) {
      subscribe();
      get().dismissPull(connectionId, name);
      const result = await api.localModels.pull({ connectionId, name });
      if (!result.ok) return result;
      setPull(result.value);
      await get().load(connectionId);
      return { ok: true };
    },
    async cancelPull(connectionId, name) {
      await api.localModels.cancelPull({ connectionId, name });
    },
    dismissPull(connectionId, name) {
      const { [pullKey(connectionId, name)]: _ended, ...rest } = get().pulls;
      set({ pulls: rest });
    },
    async remove(connectionId, name) {
      const result = await api.localModels.remove({ connectionId, name });
      if (!result.ok) return result;
      setList(connectionId, { list: result.value, error: null });
      return { ok: true };
    },
    async refreshLoaded() {
      await api.localModels.refreshLoaded();
    },
  };
});
