import type { Agent } from '../../src-shared/schemas/agent';
import type { Connection } from '../../src-shared/schemas/connection';
import type { EscalationMemory } from '../../src-shared/schemas/escalation-memory';
import type { ConnectionHealth } from '../../src-shared/schemas/health';
import type {
  RouteCandidate,
  RoutePlan,
  RouteRequest,
  SkipReasonCode,
  SkippedCandidate,
  SpendSnapshot,
  StandbyCandidate,
} from '../../src-shared/schemas/route-plan';
import { skipReasonCodes } from '../../src-shared/schemas/route-plan';
import type { RoutingConfig } from '../../src-shared/schemas/routing';
import {
  checkTarget,
  connectionVerdict,
  isLocalIn,
  misfit,
  resolveTarget,
  type CandidateAccepted,
  type FilterContext,
} from './candidate-filter';
import { neverRunnableReason } from './feasibility';
import type { PreparedRouting, Proposal } from './prepare-routing';
import { withAgentNeeds } from './needs';
import { explainPause } from './route-explanation';

/** Everything one routing decision looks at: snapshots only, nothing live. */
export interface SelectCandidatesInput {
  connections: readonly Connection[];
  primaryConnectionId: string | null;
  /** The raw config (indexed for this call) or a PreparedRouting reused across calls. */
  routing: RoutingConfig | PreparedRouting;
  agents: readonly Agent[];
  /** Health per connection id; a missing entry means grey (unknown). */
  health: Readonly<Record<string, ConnectionHealth>>;
  spend: SpendSnapshot;
  escalation?: EscalationMemory;
  /** Epoch milliseconds, for escalation preferences that expire. */
  now: number;
  request: RouteRequest;
  /**
   * "Use any healthy provider when nothing else can": routed work with no explicit candidate
   * left goes to any healthy connection that can do it instead of waiting (DESIGN.md point 4).
   */
  anyHealthyFallback?: boolean;
}

/**
 * Collects a plan's candidates in order: the first occurrence of a connection+model keeps its
 * place, and every exclusion is written down with its reason.
 */
export class PlanBuilder {
  readonly candidates: RouteCandidate[] = [];
  readonly skipped: SkippedCandidate[] = [];
  readonly notes: string[] = [];
  /** Candidates out only because they are cooling off: the call may wait for one. */
  readonly standby: StandbyCandidate[] = [];
  // Prepared targets are marked seen by number; others (and any numbered after this decision
  // began) by key.
  private readonly seen = new Set<string>();
  private readonly seenNumbers: Uint8Array;
  private readonly connectionsOut = new Set<string>();
  // What the capability sweep passed over, counted rather than listed: models that do not fit,
  // and connections that are out for good reasons other than ill health (those are itemised,
  // since the work waits for them to recover).
  private readonly sweepModels = new Map<SkipReasonCode, number>();
  private readonly sweepConnections = new Map<SkipReasonCode, number>();
  /**
   * Some explicit candidate was left out only for now (red, cooling off, over budget, turned
   * off) and could take the call once that passes; false while every one left out lacks what
   * the call needs (DESIGN.md point 4 picks by capability only then).
   */
  explicitMayFit = false;

  constructor(readonly context: FilterContext) {
    this.seenNumbers = new Uint8Array(context.targetIndex?.size ?? 0);
  }

  /**
   * Returns whether the candidate was added. `unconfirmed` receives those whose capabilities are
   * unknown; `reason` replaces the proposal's own words (ready-made capability proposals).
   */
  consider(proposal: Proposal, unconfirmed?: RouteCandidate[], reason: string = proposal.reason): boolean {
    const id = proposal.connectionId;
    // Capability routing walks every connection; one line per connection that is out is enough,
    // and a connection that is out rejects all its models alike.
    if (proposal.source === 'capability' && this.connectionsOut.has(id)) return false;
    const context = this.context;
    const target = (context.useResolved ? proposal.resolved : undefined) ?? resolveTarget(context, id, proposal.model, proposal.tierEntry);
    const number = target.index;
    if (number >= 0 && number < this.seenNumbers.length) {
      if (this.seenNumbers[number] === 1) return false;
      this.seenNumbers[number] = 1;
    } else {
      if (this.seen.has(target.key)) return false;
      this.seen.add(target.key);
    }
    const model = target.model;
    const sweeping = proposal.source === 'capability';
    const check = checkTarget(context, id, target, !sweeping);
    if (!check.ok) {
      if (check.connectionLevel) this.connectionsOut.add(id);
      if (!sweeping && !this.explicitMayFit && !misfitReasons.has(check.reason) && target.connection) {
        this.explicitMayFit = misfit(context, target.connection, target) === null;
      }
      if (sweeping && (!check.connectionLevel || (check.reason !== 'unhealthy' && check.reason !== 'cooling_off'))) {
        const counts = check.connectionLevel ? this.sweepConnections : this.sweepModels;
        counts.set(check.reason, (counts.get(check.reason) ?? 0) + 1);
        return false;
      }
      // One literal with every field keeps a single object shape (ids may be undefined).
      const skip: SkippedCandidate = {
        connectionId: id,
        connectionName: check.connectionName,
        model,
        source: proposal.source,
        ruleId: proposal.ruleId,
        tierId: proposal.tierId,
        routeId: proposal.routeId,
        reason: check.reason,
        message: check.message,
      };
      this.skipped.push(skip);
      if (check.standby && check.availableAt !== undefined) {
        this.standby.push({ ...this.candidateFrom(proposal, target.model, check.standby, reason), availableAt: check.availableAt });
      }
      return false;
    }
    const candidate = this.candidateFrom(proposal, model, check, reason);
    if (unconfirmed && !check.capabilitiesConfirmed) unconfirmed.push(candidate);
    else this.candidates.push(candidate);
    return true;
  }

  private candidateFrom(proposal: Proposal, model: string, check: CandidateAccepted, reason: string): RouteCandidate {
    return {
      connectionId: proposal.connectionId,
      connectionName: check.connection.name,
      model,
      source: proposal.source,
      ruleId: proposal.ruleId,
      tierId: proposal.tierId,
      routeId: proposal.routeId,
      sameProviderRetries: proposal.sameProviderRetries,
      maxOutputTokens: check.maxOutputTokens,
      reason,
      notes: check.notes,
    };
  }

  /**
   * Local-only work: sets every cloud connection aside in one pass (counted for the note, as
   * the sweep would count them), so the sweep need only walk local connections' models.
   */
  setAsideCloudConnections(connections: readonly Connection[]): void {
    for (const connection of connections) {
      if (this.connectionsOut.has(connection.id) || isLocalIn(this.context, connection)) continue;
      const verdict = connectionVerdict(this.context, connection);
      if (!verdict) continue;
      this.connectionsOut.add(connection.id);
      this.sweepConnections.set(verdict.reason, (this.sweepConnections.get(verdict.reason) ?? 0) + 1);
    }
  }

  plan(input: SelectCandidatesInput): RoutePlan {
    const summary = sweepSummary(this.sweepConnections, this.sweepModels);
    if (summary) this.notes.push(`Looking for any connection that can take this, passed over ${summary}`);
    const plan: RoutePlan = {
      kind: input.request.kind,
      candidates: this.candidates,
      skipped: this.skipped,
      notes: this.notes,
      waitingFor: [],
      standby: this.standby.sort((left, right) => left.availableAt - right.availableAt),
    };
    if (this.candidates.length === 0) {
      if (input.request.kind !== 'chat' && this.standby.length === 0) {
        const never = neverRunnableReason(this.context, input.connections);
        if (never !== null) plan.unroutable = never;
      }
      const sweepReasons = new Set([...this.sweepConnections.keys(), ...this.sweepModels.keys()]);
      const pause = explainPause(input.request.kind, this.skipped, input.connections.length > 0, sweepReasons, summary);
      plan.pausedReason = pause.pausedReason;
      plan.waitingFor = pause.waitingFor;
    }
    return plan;
  }
}

/** Reasons a model could never take the call, whatever its connection's state. */
const misfitReasons: ReadonlySet<SkipReasonCode> = new Set(['missing_capability', 'input_too_large', 'not_local', 'disconnected']);

const connectionWords: Partial<Record<SkipReasonCode, string>> = {
  not_local: 'would leave this machine',
  disabled: 'turned off',
  over_budget: 'over their monthly cap',
  disconnected: 'no longer connected',
};
const modelWords: Partial<Record<SkipReasonCode, string>> = {
  missing_capability: 'lack a capability this request needs',
  input_too_large: 'cannot take a prompt this long',
  over_budget: 'would pass this task’s cost ceiling',
};

function counted(count: number, noun: string, words: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}: ${words}`;
}

// "45 connections: would leave this machine, 12 models: cannot take a prompt this long".
function sweepSummary(connections: ReadonlyMap<SkipReasonCode, number>, models: ReadonlyMap<SkipReasonCode, number>): string | undefined {
  if (connections.size === 0 && models.size === 0) return undefined;
  // A fixed order, so the words do not depend on which model the sweep happened to meet first.
  const parts: string[] = [];
  for (const reason of skipReasonCodes) {
    const count = connections.get(reason);
    if (count) parts.push(counted(count, 'connection', connectionWords[reason] ?? reason));
  }
  for (const reason of skipReasonCodes) {
    const count = models.get(reason);
    if (count) parts.push(counted(count, 'model', modelWords[reason] ?? reason));
  }
  return parts.join(', ');
}

function findAgent(agents: readonly Agent[], name: string | undefined): Agent | undefined {
  if (name === undefined) return undefined;
  for (const agent of agents) if (agent.name === name) return agent;
  return undefined;
}

function indexConnections(
  input: SelectCandidatesInput,
): Pick<FilterContext, 'connectionsById' | 'connectionSlots' | 'localConnectionIds' | 'factsIndex' | 'useResolved' | 'targetIndex'> {
  const routing = input.routing;
  if ('kind' in routing && routing.connectionsById && routing.connectionSlots && routing.connections === input.connections) {
    return {
      connectionsById: routing.connectionsById,
      connectionSlots: routing.connectionSlots,
      localConnectionIds: routing.localConnectionIds ?? null,
      factsIndex: routing.factsIndex ?? null,
      useResolved: true,
      targetIndex: routing.targetIndex ?? null,
    };
  }
  const connectionsById = new Map<string, Connection>();
  const connectionSlots = new Map<string, number>();
  for (const connection of input.connections) {
    if (connectionsById.has(connection.id)) continue;
    connectionSlots.set(connection.id, connectionsById.size);
    connectionsById.set(connection.id, connection);
  }
  return { connectionsById, connectionSlots, localConnectionIds: null, factsIndex: null, useResolved: false, targetIndex: null };
}

/** The filter's view of one decision: the request's needs merged with its agent's. */
export function filterContext(input: SelectCandidatesInput): FilterContext {
  const { request } = input;
  const agent = findAgent(input.agents, request.agent);
  const { needs, localOnly } = withAgentNeeds(request, agent);
  return {
    ...indexConnections(input),
    health: input.health,
    now: input.now,
    spend: input.spend,
    needs,
    localOnly,
    estimatedInputTokens: request.estimatedInputTokens,
    simulateDown: request.simulateDown && request.simulateDown.length > 0 ? new Set(request.simulateDown) : null,
    costCeilingUsd: agent?.costCeilingUsd ?? null,
    ...(request.overCapOnce ? { overCapOnce: true } : {}),
    verdicts: [],
    words: {},
  };
}
