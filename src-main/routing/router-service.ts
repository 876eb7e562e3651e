import type { EscalationMemory } from '../../src-shared/schemas/escalation-memory';
import type { RoutePlan, RouteRequest, SpendSnapshot } from '../../src-shared/schemas/route-plan';
import type { RoutingConfig } from '../../src-shared/schemas/routing';
import type { Settings } from '../../src-shared/schemas/settings';
import { prepareRouting, type PreparedRouting } from '../engine/prepare-routing';
import { chatFallbackCandidates, selectCandidates, type SelectCandidatesInput } from '../engine/select-candidates';
import { allAgents } from '../agents/agent-registry';
import type { HealthMonitor } from '../health/health-monitor';
import type { SettingsService } from '../settings/settings-service';

export interface RouterDependencies {
  settings: SettingsService;
  health: HealthMonitor;
  now(): number;
  /** Month-to-date spend per connection (from the call log) and the task's cost so far. */
  spend(taskId?: string): Promise<SpendSnapshot> | SpendSnapshot;
  escalation(): EscalationMemory | undefined;
}

export interface RouterService {
  /** The routing decision for a request, with every skip and its reason. Sends nothing. */
  plan(request: RouteRequest, options?: { taskId?: string }): Promise<RoutePlan>;
  /** For chat: the healthy backends after Primary ("Retry on X", and the opt-in automatic fallback). */
  chatFallback(request: RouteRequest): Promise<RoutePlan>;
  /** The full decision input, for engine functions that need it (escalation). */
  input(request: RouteRequest, options?: { taskId?: string }): Promise<SelectCandidatesInput>;
}

export function createRouterService(deps: RouterDependencies): RouterService {
  // The routing config is indexed once per change, not once per call.
  let prepared: { source: RoutingConfig; connections: Settings['connections']; routing: PreparedRouting } | null = null;
  const preparedFor = (settings: Settings) => {
    if (prepared?.source !== settings.routing || prepared.connections !== settings.connections) {
      prepared = {
        source: settings.routing,
        connections: settings.connections,
        routing: prepareRouting(settings.routing, settings.connections),
      };
    }
    return prepared.routing;
  };

  const input = async (request: RouteRequest, options?: { taskId?: string }): Promise<SelectCandidatesInput> => {
    const settings = deps.settings.get();
    // The agent's own needs are merged by the engine (withAgentNeeds), once per decision.
    const agents = allAgents(settings);
    return {
      connections: settings.connections,
      primaryConnectionId: settings.primaryConnectionId,
      routing: preparedFor(settings),
      agents,
      health: deps.health.snapshot(),
      spend: await deps.spend(options?.taskId),
      escalation: deps.escalation(),
      now: deps.now(),
      request,
    };
  };

  return {
    input,
    plan: async (request, options) => selectCandidates(await input(request, options)),
    chatFallback: async (request) => chatFallbackCandidates(await input(request)),
  };
}
