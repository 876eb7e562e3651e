import { create } from 'zustand';
import type { AppError } from '../../../src-shared/errors/app-error';
import type { Agent } from '../../../src-shared/schemas/agent';
import { api } from '../lib/api-client';

/** The outcome of a form submission: done, or the words to show next to a field. */
export type AgentOutcome = { ok: true } | { ok: false; error: AppError };

export interface AgentsState {
  /** Built-in agents (with the user's edits) first, then the user's own. */
  agents: Agent[];
  loaded: boolean;
  loadError: string | null;
  /** The last failure of a list action (reset, remove, clear escalation), in words. */
  error: string | null;
  load(): Promise<void>;
  /** Creates or edits an agent; `isNew` refuses a name that is already taken instead of overwriting it. */
  save(agent: Agent, options: { isNew: boolean }): Promise<AgentOutcome>;
  /** Deletes a custom agent, or resets a built-in one to its defaults. */
  remove(name: string): Promise<AgentOutcome>;
  /** Forgets the agent's preference for a stronger backend. */
  clearEscalation(name: string): Promise<void>;
  clearError(): void;
}

let subscribed = false;
let lastAgentsJson = '';

export const useAgentsStore = create<AgentsState>()((set, get) => ({
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
  async save(agent, { isNew }) {
    if (isNew && get().agents.some((existing) => existing.name === agent.name)) {
      return {
        ok: false,
        error: {
          code: 'conflict',
          message: `There is already an agent called "${agent.name}". Pick another name.`,
          retryable: false,
          fallbackable: false,
          field: 'name',
        },
      };
    }
    const result = await api.agents.save(agent);
    if (!result.ok) return result;
    set({ agents: result.value, error: null });
    return { ok: true };
  },
  async remove(name) {
    const result = await api.agents.remove({ name });
    if (!result.ok) {
      set({ error: `"${name}" could not be removed: ${result.error.message}` });
      return result;
    }
    set({ agents: result.value, error: null });
    return { ok: true };
  },
  async clearEscalation(name) {
    const result = await api.agents.clearEscalation({ name });
    set({ error: result.ok ? null : `The preference of "${name}" could not be reset: ${result.error.message}` });
  },
  clearError: () => set({ error: null }),
}));
