import { create } from 'zustand';
import type { Agent } from '../../../src-shared/schemas/agent';
import type { RoutePlan } from '../../../src-shared/schemas/route-plan';
import { api } from '../lib/api-client';
import { taskRouteRequest } from './task-route-request';

/** Where an agent's tasks would run now, as main's router decides it (against the unsaved draft when there is one). */
export type AgentChain = { plan: RoutePlan; error: null } | { plan: null; error: string };

/** The saved agents, for starting tasks; Settings -> Agents edits them through the draft (config-draft-store). */
export interface AgentsState {
  /** Built-in agents (with the user's saved edits) first, then the user's own. */
  agents: Agent[];
  loaded: boolean;
  loadError: string | null;
  /** The last failure of clearing an escalation preference, in words. */
  error: string | null;
  /** Each agent's chain, by agent name: filled by loadChains. */
  chains: Record<string, AgentChain>;
  load(): Promise<void>;
  /** Asks the router where each agent's tasks would run; nothing is sent to a provider. */
  loadChains(agents: readonly Agent[]): Promise<void>;
  /** Forgets the agent's preference for a stronger backend. */
  clearEscalation(name: string): Promise<void>;
  clearError(): void;
}

let subscribed = false;
let chainsTicket = 0;
let lastAgentsJson = '';

export const useAgentsStore = create<AgentsState>()((set) => ({
  agents: [],
  chains: {},
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
  async loadChains(agents) {
    const ticket = ++chainsTicket;
    const entries = await Promise.all(
      agents.map(async (agent): Promise<[string, AgentChain]> => {
        const request = taskRouteRequest({ agent: agent.name, target: '', localOnly: false, hasImages: false }, agent);
        const result = await api.routing.preview(request);
        return [agent.name, result.ok ? { plan: result.value, error: null } : { plan: null, error: result.error.message }];
      }),
    );
    // A later ask (another edit) wins over an earlier one that answered late.
    if (ticket === chainsTicket) set({ chains: Object.fromEntries(entries) });
  },
  async clearEscalation(name) {
    const result = await api.agents.clearEscalation({ name });
    set({ error: result.ok ? null : `The preference of "${name}" could not be reset: ${result.error.message}` });
  },
  clearError: () => set({ error: null }),
}));
