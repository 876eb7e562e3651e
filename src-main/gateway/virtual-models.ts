import type { Agent } from '../../src-shared/schemas/agent';
import type { ChatMessage } from '../../src-shared/schemas/chat-message';
import type { RouteRequest } from '../../src-shared/schemas/route-plan';
import type { Settings } from '../../src-shared/schemas/settings';
import { allAgents } from '../agents/agent-registry';
import { chooseChatClaudeModel } from '../engine/complexity';

/** The virtual model that follows Primary, the way chat does. */
export const primaryModelId = 'switchboard/primary';

/** Where a virtual model sends a call: the routing part of a RouteRequest, and the agent it names. */
export interface ResolvedModel {
  route: Pick<RouteRequest, 'kind' | 'agent' | 'tier' | 'route' | 'override'>;
  agent?: Agent;
}

/**
 * Every model id the gateway answers to: Primary, each agent, tier and route, then every enabled
 * connection's known models as `<connection>/<model>`.
 */
export function listVirtualModels(settings: Settings): string[] {
  const ids = [primaryModelId];
  for (const agent of allAgents(settings)) ids.push(`agent/${agent.name}`);
  for (const tier of settings.routing.tiers) ids.push(`tier/${tier.id}`);
  for (const route of settings.routing.routes) ids.push(`route/${route.id}`);
  for (const connection of settings.connections) {
    if (!connection.enabled) continue;
    const models = new Set([connection.defaultModel, ...connection.models.map((facts) => facts.id)]);
    for (const model of models) ids.push(`${connection.id}/${model}`);
  }
  return [...new Set(ids)];
}

/**
 * The route a model id stands for, or null when nothing by that name exists. The prefixes agent/,
 * tier/, route/ and switchboard/ come first; anything else is `<connection id>/<model>`, where the
 * model may itself contain slashes (OpenRouter's `openai/gpt-4o`) and need not be listed yet.
 */
export function resolveVirtualModel(id: string, settings: Settings): ResolvedModel | null {
  if (id === primaryModelId) return { route: { kind: 'chat' } };
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) return null;
  const prefix = id.slice(0, slash);
  const name = id.slice(slash + 1);
  switch (prefix) {
    case 'agent': {
      const agent = allAgents(settings).find((candidate) => candidate.name === name);
      return agent ? { route: { kind: 'gateway', agent: agent.name }, agent } : null;
    }
    case 'tier': {
      const lower = name.toLowerCase();
      const tier = settings.routing.tiers.find((candidate) => candidate.id === name || candidate.name.toLowerCase() === lower);
      return tier ? { route: { kind: 'gateway', tier: tier.id } } : null;
    }
    case 'route': {
      const route = settings.routing.routes.find((candidate) => candidate.id === name);
      return route ? { route: { kind: 'gateway', route: route.id } } : null;
    }
    case 'switchboard':
      return null;
    default: {
      const connection = settings.connections.find((candidate) => candidate.id === prefix);
      return connection ? { route: { kind: 'gateway', override: { connectionId: connection.id, model: name } } } : null;
    }
  }
}

/**
 * Chat's Claude model choice (Haiku / Sonnet / Opus from the request's complexity) when Primary
 * is Anthropic, so `switchboard/primary` behaves exactly like the chat window.
 */
export function primaryModelChoice(settings: Settings, messages: readonly ChatMessage[]): RouteRequest['primaryModel'] {
  const primary = settings.connections.find((connection) => connection.id === settings.primaryConnectionId);
  const choice = chooseChatClaudeModel({ primaryKind: primary?.kind, selection: settings.chat.claude, messages });
  return choice ? { model: choice.model, reason: choice.reason } : undefined;
}
