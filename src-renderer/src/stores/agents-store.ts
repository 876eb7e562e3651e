import { create } from 'zustand';
import type { Agent } from '../../../src-shared/schemas/agent';
import { api } from '../lib/api-client';

/** The saved agents, for starting tasks; Settings -> Agents edits them through the draft (config-draft-store). */
export interface AgentsState {
  /** Built-in agents (with the user's saved edits) first, then the user's own. */
  agents: Agent[];
  loaded: boolean;
  loadError: string | null;
  /** The last failure of clearing an escalation preference, in words. */
  error: string | null;
  load(): Promise<void>;
  /** Forgets the agent's preference for a stronger backend. */
  clearEscalation(name: string): Promise<void>;
  clearError(): void;
}

let subscribed = false;
let lastAgentsJson = '';

export const useAgentsStore = create<AgentsState>()((set) => ({
  agents: [],
  loaded: false,
  loadError: null,
  error: null,
  async load() {
    if (!subscribed) {
      subscribed = true;
      // Agents live in the settings: another window or an import may change them.
      api.on('app:settings.changed', (settings) => {
        const json = JSON.stringify(settings.agents);
        if (json === lastAgentsJson) return;
        lastAgentsJson = json;
        void api.agents.list().then((result) => {
          if (result.ok) set({ agents: result.value });
        });
      });
    }
    const result = await api.agents.list();
    if (!result.ok) return set({ loaded: true, loadError: result.error.message });
    set({ agents: result.value, loaded: true, loadError: null });
  },
  async clearEscalation(name) {
    const result = await api.agents.clearEscalation({ name });
    set({ error: result.ok ? null : `The preference of "${name}" could not be reset: ${result.error.message}` });
  },
  clearError: () => set({ error: null }),
}));
