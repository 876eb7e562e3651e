import type { Agent } from '../../../../src-shared/schemas/agent';
import { builtInAgents } from '../../../../src-shared/schemas/agent';
import type { Capability, Connection, ModelFacts, ProviderKind } from '../../../../src-shared/schemas/connection';
import type { ConnectionHealth, HealthColor } from '../../../../src-shared/schemas/health';
import type { RouteRequest, SpendSnapshot } from '../../../../src-shared/schemas/route-plan';
import type { RoutingConfig, RoutingRule, Tier } from '../../../../src-shared/schemas/routing';
import type { SelectCandidatesInput } from '../../../../src-main/engine/select-candidates';
import { initialHealth } from '../../../../src-main/engine/health';
import type { ExecutionEvent } from '../../../../src-shared/schemas/execution-event';

export const now = 1_700_000_000_000;

/** Model facts with the given capabilities known; the rest unknown (null). */
export function facts(id: string, known: Partial<Record<Capability, boolean | null>> = {}, extra: Partial<ModelFacts> = {}): ModelFacts {
  return {
    id,
    capabilities: { text: true, vision: null, tools: null, structuredOutput: null, reasoning: null, webSearch: null, ...known },
    contextWindow: null,
    maxInputTokens: null,
    maxOutputTokens: null,
    inputPricePerMillion: null,
    outputPricePerMillion: null,
    cacheReadPricePerMillion: null,
    cacheWritePricePerMillion: null,
    pricedByUser: false,
    ...extra,
  };
}

export function connection(id: string, overrides: Partial<Connection> = {}): Connection {
  const kind: ProviderKind = overrides.kind ?? 'openai';
  const defaultModel = overrides.defaultModel ?? `${id}-model`;
  return {
    id,
    kind,
    name: id[0]!.toUpperCase() + id.slice(1),
    baseUrl: `https://api.${id}.example.com/v1`,
    defaultModel,
    enabled: true,
    models: [facts(defaultModel)],
    monthlyBudgetUsd: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function rule(id: string, context: string, connectionId: string, priority: number, model?: string): RoutingRule {
  return model === undefined ? { id, context, connectionId, priority } : { id, context, connectionId, priority, model };
}

export function config(overrides: Partial<RoutingConfig> = {}): RoutingConfig {
  return { rules: [], tiers: [], routes: [], defaultSameProviderRetries: 0, ...overrides };
}

export function tier(
  id: string,
  rank: number,
  entries: Array<[connectionId: string, model: string, priority: number]>,
  extra: Partial<Tier> = {},
): Tier {
  return {
    id,
    name: id[0]!.toUpperCase() + id.slice(1),
    rank,
    preferredFor: null,
    entries: entries.map(([connectionId, model, priority]) => ({
      connectionId,
      model,
      priority,
      maxInputTokens: null,
      maxOutputTokens: null,
    })),
    ...extra,
  };
}

export function health(connectionId: string, color: HealthColor, reason = 'scripted'): ConnectionHealth {
  return { ...initialHealth(connectionId), color, reason };
}

export function request(overrides: Partial<RouteRequest> = {}): RouteRequest {
  return { kind: 'task', needs: [], estimatedInputTokens: 100, localOnly: false, ...overrides };
}

export const noSpend: SpendSnapshot = { monthToDateUsd: {}, taskCostUsd: 0 };

export function input(overrides: Partial<SelectCandidatesInput> & { request?: RouteRequest }): SelectCandidatesInput {
  const agents: Agent[] = builtInAgents;
  return {
    connections: [],
    primaryConnectionId: null,
    routing: config(),
    agents,
    health: {},
    spend: noSpend,
    now,
    request: request(),
    ...overrides,
  };
}

/** Runs an async iterable to its end. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The events of one type, typed. */
export function ofType<K extends ExecutionEvent['type']>(events: ExecutionEvent[], type: K): Extract<ExecutionEvent, { type: K }>[] {
  return events.filter((event): event is Extract<ExecutionEvent, { type: K }> => event.type === type);
}

/** The last event, which must be a finish or an error. */
export function ending(events: ExecutionEvent[]): Extract<ExecutionEvent, { type: 'finish' | 'error' }> {
  const last = events[events.length - 1];
  if (!last || (last.type !== 'finish' && last.type !== 'error')) throw new Error(`Unexpected last event: ${JSON.stringify(last)}`);
  return last;
}
