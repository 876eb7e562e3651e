import { builtInAgents, type Agent } from '../../src-shared/schemas/agent';
import type { Settings } from '../../src-shared/schemas/settings';

/** Built-in agents, with the user's edits to them, followed by the user's own agents. */
export function allAgents(settings: Pick<Settings, 'agents'>): Agent[] {
  const edits = new Map(settings.agents.map((agent) => [agent.name, agent]));
  const builtIn = builtInAgents.map((agent) => ({ ...(edits.get(agent.name) ?? agent), builtIn: true }));
  const custom = settings.agents.filter((agent) => !builtInAgents.some((builtin) => builtin.name === agent.name));
  return [...builtIn, ...custom];
}
