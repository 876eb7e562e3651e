import type { CandidateRef, RouteCandidate, RoutePlan, RouteRequest } from '../../src-shared/schemas/route-plan';
import type { TierEntry } from '../../src-shared/schemas/routing';
import { checkCandidate, isLocalIn } from './candidate-filter';
import { activePreference, nextStrongerCandidate, type LadderPosition } from './escalation';
import { filterContext, PlanBuilder, type SelectCandidatesInput } from './plan-builder';
import { asPreparedRouting, findTier, proposal, type PreparedRouting, type Proposal } from './prepare-routing';
import { needsWords } from './route-explanation';

export type { SelectCandidatesInput } from './plan-builder';

function primaryProposal(input: SelectCandidatesInput, reason: string, retries: number): Proposal | null {
  const id = input.primaryConnectionId;
  if (id === null) return null;
  const chosen = input.request.primaryModel;
  return proposal(id, chosen?.model, 'primary', chosen ? `${reason}; ${chosen.reason}` : reason, retries);
}

function overrideProposal(override: CandidateRef, retries: number): Proposal {
  return proposal(override.connectionId, override.model, 'override', `Requested directly (model override: ${override.model})`, retries);
}

// Returns false when the request named a route or tier that does not exist, so the usual rules apply.
function addNamedChain(builder: PlanBuilder, routing: PreparedRouting, request: RouteRequest): boolean {
  if (request.route !== undefined) {
    const route = routing.route(request.route);
    if (!route) {
      builder.notes.push(`Route "${request.route}" does not exist any more, so the usual rules applied`);
      return false;
    }
    route.targets.forEach((target, index) => {
      const reason = `Route "${route.name}" (v${route.version}), target ${index + 1} of ${route.targets.length}`;
      builder.consider(proposal(target.connectionId, target.model, 'route', reason, route.sameProviderRetries, { routeId: route.id }));
    });
    return true;
  }
  if (request.tier !== undefined) {
    const prepared = findTier(routing, request.tier);
    if (!prepared) {
      builder.notes.push(`Tier "${request.tier}" does not exist any more, so the usual rules applied`);
      return false;
    }
    for (const option of prepared.proposals) builder.consider(option);
    return true;
  }
  return false;
}

function addEscalationPreference(builder: PlanBuilder, input: SelectCandidatesInput, retries: number): void {
  const agent = input.request.agent;
  if (agent === undefined) return;
  const preference = activePreference(input.escalation, agent, input.now);
  if (!preference) return;
  const fromName = builder.context.connectionsById.get(preference.from.connectionId)?.name ?? preference.from.connectionId;
  const reason = `Agent ${agent} recently needed a stronger model (${preference.from.model} on ${fromName} gave a poor answer), so it starts here for a while`;
  builder.consider(proposal(preference.to.connectionId, preference.to.model, 'escalation', reason, retries));
}

function addRules(builder: PlanBuilder, input: SelectCandidatesInput, routing: PreparedRouting): boolean {
  const agent = input.request.agent;
  const agentRules = agent === undefined ? undefined : routing.ruleProposalsFor(`agent:${agent}`);
  const defaultRules = routing.ruleProposalsFor('default');
  for (const option of agentRules ?? []) builder.consider(option);
  for (const option of defaultRules) builder.consider(option);
  return (agentRules?.length ?? 0) + defaultRules.length > 0;
}

/** Capability-aware routing stops looking once it has this many models known to fit. */
export const capabilityPickLimit = 3;

// DESIGN.md point 4: the explicit candidates cannot do the job (or the user lets any healthy
// provider stand in), so pick a healthy connection that can, preferring the tier configured
// for the needed capability, then the ladder, then defaults.
// A few known fits make a sound fallback chain; walking on past them would only cost time.
function addCapabilityCandidates(builder: PlanBuilder, input: SelectCandidatesInput, routing: PreparedRouting): void {
  const { needs, localOnly, useResolved } = builder.context;
  const can = `Can handle ${needsWords(needs)} and is not failing`;
  const unconfirmed: RouteCandidate[] = [];
  if (localOnly) builder.setAsideCloudConnections(input.connections);
  // With cloud connections set aside, a prepared routing's local-only lists hold all that is left.
  const fast = localOnly && useResolved;
  sweep: {
    for (const item of routing.ladder()) {
      const preferred = item.tier.preferredFor;
      if (preferred === null || !needs.includes(preferred)) continue;
      const reason = `${can}; from tier "${item.tier.name}", preferred for ${needsWords([preferred])}`;
      for (const option of (fast && item.localCapabilityProposals) || item.capabilityProposals) {
        if (builder.consider(option, unconfirmed, reason) && builder.candidates.length >= capabilityPickLimit) break sweep;
      }
    }
    for (const item of routing.ladder()) {
      const reason = `${can}; from tier "${item.tier.name}"`;
      for (const option of (fast && item.localCapabilityProposals) || item.capabilityProposals) {
        if (builder.consider(option, unconfirmed, reason) && builder.candidates.length >= capabilityPickLimit) break sweep;
      }
    }
    const retries = routing.config.defaultSameProviderRetries;
    const reason = `${can}; its default model`;
    const prepared = useResolved ? (localOnly ? routing.localDefaultProposals : routing.defaultProposals) : undefined;
    const defaults = prepared ?? input.connections.map((connection) => proposal(connection.id, undefined, 'capability', '', retries));
    for (const option of defaults) {
      if (builder.consider(option, unconfirmed, reason) && builder.candidates.length >= capabilityPickLimit) break sweep;
    }
    // A local server says what each model it holds can do, so one known to fit serves as well
    // as a default model (an Ollama with llama3.2 as default and llava beside it).
    if (needs.every((need) => need === 'text')) break sweep;
    for (const connection of input.connections) {
      if (!isLocalIn(builder.context, connection)) continue;
      const heldReason = `${can}; a model ${connection.name} holds`;
      for (const facts of connection.models) {
        if (facts.id === connection.defaultModel || !needs.every((need) => facts.capabilities[need] === true)) continue;
        const option = proposal(connection.id, facts.id, 'capability', heldReason, retries);
        if (builder.consider(option, unconfirmed) && builder.candidates.length >= capabilityPickLimit) break sweep;
      }
    }
  }
  // Models whose capabilities are unknown go last: a known fit beats a guess.
  builder.candidates.push(...unconfirmed);
}

/**
 * The routing decision (DESIGN.md "How a call is routed", points 1 to 4 and 9): the ordered
 * candidates to try, and every candidate that was left out with its reason.
 */
export function selectCandidates(input: SelectCandidatesInput): RoutePlan {
  const routing = asPreparedRouting(input.routing);
  const builder = new PlanBuilder(filterContext(input));
  const { request } = input;
  const retries = routing.config.defaultSameProviderRetries;

  if (request.kind === 'chat') {
    // Rules never change where chat goes; only the model the user pinned to the conversation does.
    const pin = request.override;
    const chosen = pin
      ? proposal(pin.connectionId, pin.model, 'override', `Pinned to this conversation in the model picker (${pin.model})`, retries)
      : primaryProposal(input, 'Chat always uses Primary', retries);
    if (chosen) builder.consider(chosen);
    return builder.plan(input);
  }

  if (request.override) {
    builder.consider(overrideProposal(request.override, retries));
  } else {
    addEscalationPreference(builder, input, retries);
    if (!addNamedChain(builder, routing, request)) {
      const hadRules = addRules(builder, input, routing);
      const primary = primaryProposal(input, hadRules ? 'Primary, after the rules' : 'No rule for this task, so Primary', retries);
      if (primary) builder.consider(primary);
    }
  }
  if (builder.candidates.length === 0) {
    // Point 4: only when every explicit candidate lacks what the call needs; otherwise the other
    // connections stay idle and the work waits for its own, unless the user opted in.
    const lacking = builder.skipped.length > 0 && builder.standby.length === 0 && !builder.explicitMayFit;
    if (lacking) {
      addCapabilityCandidates(builder, input, routing);
    } else if (input.anyHealthyFallback) {
      builder.notes.push(
        'Nothing it was meant for can take it now, so any healthy provider may ("Use any healthy provider when nothing else can" is on)',
      );
      addCapabilityCandidates(builder, input, routing);
    }
  }
  return builder.plan(input);
}

/**
 * The next healthy backends for chat when its model fails (the Primary, or the connection pinned to
 * the conversation): what "Retry on X" offers, and what the opt-in automatic chat fallback tries.
 * The failing connection itself is never in this list.
 */
export function chatFallbackCandidates(input: SelectCandidatesInput): RoutePlan {
  const routing = asPreparedRouting(input.routing);
  const builder = new PlanBuilder(filterContext(input));
  const retries = routing.config.defaultSameProviderRetries;
  const answeringId = input.request.override?.connectionId ?? input.primaryConnectionId;
  const consider = (option: Proposal): void => {
    if (option.connectionId !== answeringId) builder.consider(option);
  };
  for (const option of routing.ruleProposalsFor('default')) consider(option);
  // The ladder runs weakest first: the cheapest working model is the right stand-in for chat.
  for (const item of routing.ladder()) for (const option of item.proposals) consider(option);
  const reason = `Can handle ${needsWords(builder.context.needs)} and is not failing; its default model`;
  for (const connection of input.connections) consider(proposal(connection.id, undefined, 'capability', reason, retries));
  return builder.plan({ ...input, request: { ...input.request, kind: 'chat' } });
}

/**
 * Where to escalate after an empty or malformed answer (DESIGN.md point 7): the next stronger
 * tier's first usable entry, else the plan's next candidate, filtered like any other candidate
 * so local-only work still never leaves the machine.
 */
export function strongerCandidate(input: SelectCandidatesInput, plan: RoutePlan, current: LadderPosition): RouteCandidate | undefined {
  const routing = asPreparedRouting(input.routing);
  const context = filterContext(input);
  const entryFor = (option: LadderPosition): TierEntry | undefined =>
    option.tierId === undefined
      ? undefined
      : findTier(routing, option.tierId)?.entries.find((item) => item.connectionId === option.connectionId && item.model === option.model);
  const choice = nextStrongerCandidate(routing, plan.candidates, current, (option) => {
    return checkCandidate(context, option.connectionId, option.model, entryFor(option)).ok;
  });
  if (!choice) return undefined;
  const check = checkCandidate(context, choice.connectionId, choice.model, entryFor(choice));
  if (!check.ok) return undefined;
  const candidate: RouteCandidate = {
    connectionId: choice.connectionId,
    connectionName: check.connection.name,
    model: choice.model,
    source: 'escalation',
    sameProviderRetries: routing.config.defaultSameProviderRetries,
    reason: choice.reason,
    notes: check.notes,
  };
  if (choice.tierId !== undefined) candidate.tierId = choice.tierId;
  if (check.maxOutputTokens !== undefined) candidate.maxOutputTokens = check.maxOutputTokens;
  return candidate;
}
