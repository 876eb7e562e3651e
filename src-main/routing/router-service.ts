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

/** Routing and agents to decide with instead of the saved ones (the Route preview of unsaved edits). */
export type RoutingOverride = Pick<Settings, 'routing' | 'agents'>;

/** Options of one decision. */
export interface PlanOptions {
  taskId?: string;
  configuration?: RoutingOverride;
}

export interface RouterService {
  /**
   * The routing decision for a request, with every skip and its reason. Sends nothing. Chat on
   * Primary includes the backups when the user turned on the automatic chat fallback.
   */
  plan(request: RouteRequest, options?: PlanOptions): Promise<RoutePlan>;
  /** For chat: the healthy backends after Primary ("Retry on X", and the opt-in automatic fallback). */
  chatFallback(request: RouteRequest): Promise<RoutePlan>;
  /** The full decision input, for engine functions that need it (escalation). */
  input(request: RouteRequest, options?: PlanOptions): Promise<SelectCandidatesInput>;
}

/** A chat plan followed by its backups, each connection + model once. */
export function withChatBackups(plan: RoutePlan, backup: RoutePlan): RoutePlan {
  const seen = new Set(plan.candidates.map((candidate) => `${candidate.connectionId}/${candidate.model}`));
  const candidates = [
    ...plan.candidates,
    ...backup.candidates.filter((candidate) => !seen.has(`${candidate.connectionId}/${candidate.model}`)),
  ];
  const merged: RoutePlan = {
    ...plan,
    candidates,
    skipped: [...plan.skipped, ...backup.skipped],
    standby: [...plan.standby, ...backup.standby].sort((left, right) => left.availableAt - right.availableAt),
    waitingFor: [...new Set([...plan.waitingFor, ...backup.waitingFor])],
  };
  if (candidates.length > 0) delete merged.pausedReason;
  return merged;
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

  const input = async (request: RouteRequest, options?: PlanOptions): Promise<SelectCandidatesInput> => {
    const saved = deps.settings.get();
    const override = options?.configuration;
    const settings = override ? { ...saved, routing: override.routing, agents: override.agents } : saved;
    // The agent's own needs are merged by the engine (withAgentNeeds), once per decision.
    const agents = allAgents(settings);
    return {
      connections: settings.connections,
      primaryConnectionId: settings.primaryConnectionId,
      // An override is indexed on its own: the saved routing's index stays warm for real calls.
      routing: override ? prepareRouting(settings.routing, settings.connections) : preparedFor(settings),
      agents,
      health: deps.health.snapshot(),
      spend: await deps.spend(options?.taskId),
      escalation: deps.escalation(),
      now: deps.now(),
      request,
      anyHealthyFallback: settings.tasks.anyHealthyFallback,
    };
  };

  return {
    input,
    plan: async (request, options) => {
      const decision = await input(request, options);
      const plan = selectCandidates(decision);
      // "If Primary is down, answer from a backup" (DESIGN.md point 1) holds wherever chat on
      // Primary is asked for: the chat window and the gateway's switchboard/primary alike.
      if (request.kind !== 'chat' || !deps.settings.get().chat.autoFallback) return plan;
      return withChatBackups(plan, chatFallbackCandidates(decision));
    },
    chatFallback: async (request) => chatFallbackCandidates(await input(request)),
  };
}
