import { capabilityWord, type Capability, type Connection, type ModelFacts } from '../../src-shared/schemas/connection';
import type { ConnectionHealth } from '../../src-shared/schemas/health';
import type { SkipReasonCode, SpendSnapshot } from '../../src-shared/schemas/route-plan';
import type { TierEntry } from '../../src-shared/schemas/routing';
import { activeCoolOff, coolOffMessage } from './cool-off';
import { isRoutable } from './health';
import { budgetLevel, effectiveMaxInput } from './limits';
import { isLocalConnection } from './local-connection';

/** Everything the filter needs for one decision, looked up once per call. */
export interface FilterContext {
  connectionsById: ReadonlyMap<string, Connection>;
  health: Readonly<Record<string, ConnectionHealth>>;
  /** Epoch ms of the decision, for cool-offs that expire. */
  now: number;
  spend: SpendSnapshot;
  needs: readonly Capability[];
  localOnly: boolean;
  estimatedInputTokens: number;
  /** Connection ids the Route preview marks as down. */
  simulateDown: ReadonlySet<string> | null;
  /** The agent's per-task cost ceiling in USD, if any. */
  costCeilingUsd: number | null;
  /** "Answer anyway this once": the monthly cap does not skip a connection for this call. */
  overCapOnce?: boolean;
  /** Local connection ids when known in advance; otherwise each base URL is parsed. */
  localConnectionIds: ReadonlySet<string> | null;
  /** Each connection's position, for the per-decision verdict memo. */
  connectionSlots: ReadonlyMap<string, number>;
  /** Per-decision memo of whole-connection verdicts by slot: many candidates share a connection. */
  verdicts: (CandidateRejected | null | undefined)[];
  /** Model facts per connection id and model id, when indexed in advance. */
  factsIndex: ReadonlyMap<string, ReadonlyMap<string, ModelFacts>> | null;
  /** The prepared routing's resolved targets belong to these very connections and may be used. */
  useResolved: boolean;
  /** Dense numbers for prepared targets, so a decision can mark them seen in a byte array. */
  targetIndex: TargetIndex | null;
  /** Per-decision memo of words shared by many messages. */
  words: { estimate?: string; ceiling?: string };
}

/** Numbers each distinct connection + model key once, densely from 0. */
export interface TargetIndex {
  /** The key's number, or undefined when it was never numbered. */
  numberOf(key: string): number | undefined;
  /** The key's number, assigning the next one when new. */
  intern(key: string): number;
  readonly size: number;
}

/** A fresh, empty target index. */
export function createTargetIndex(): TargetIndex {
  const numbers = new Map<string, number>();
  return {
    numberOf: (key) => numbers.get(key),
    intern(key) {
      let number = numbers.get(key);
      if (number === undefined) {
        number = numbers.size;
        numbers.set(key, number);
      }
      return number;
    },
    get size() {
      return numbers.size;
    },
  };
}

/** A candidate that passed, with what the filter learned along the way. */
export interface CandidateAccepted {
  ok: true;
  connection: Connection;
  facts: ModelFacts | undefined;
  notes: string[];
  maxOutputTokens: number | undefined;
  /** Every needed capability is known to be there (not merely "unknown"). */
  capabilitiesConfirmed: boolean;
}

/** A candidate that was left out. */
export interface CandidateRejected {
  ok: false;
  reason: SkipReasonCode;
  message: string;
  connectionName: string;
  /** The whole connection is out (any model on it would be), not just this model. */
  connectionLevel: boolean;
  /** Cooling off (reason `cooling_off`): when the connection may be called again. */
  availableAt?: number;
  /** Cooling off only: the candidate as it would have been accepted, so a call with nothing else left can wait for it. */
  standby?: CandidateAccepted;
}

export type CandidateCheck = CandidateAccepted | CandidateRejected;

export { capabilityWord };

/** 12345 -> "12,345" without depending on the host's locale data. */
export function formatCount(value: number): string {
  const digits = Math.round(Math.abs(value)).toString();
  const head = digits.length % 3 || 3;
  let result = digits.slice(0, head);
  for (let index = head; index < digits.length; index += 3) result += `,${digits.slice(index, index + 3)}`;
  return value < 0 ? `-${result}` : result;
}

function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

function rejected(reason: SkipReasonCode, message: string, connectionName: string, connectionLevel: boolean): CandidateRejected {
  return { ok: false, reason, message, connectionName, connectionLevel };
}

export function findFacts(connection: Connection, model: string): ModelFacts | undefined {
  for (const facts of connection.models) if (facts.id === model) return facts;
  return undefined;
}

/** Model facts by connection id and model id (the first entry wins, as in findFacts). */
export function indexFacts(connections: readonly Connection[]): Map<string, Map<string, ModelFacts>> {
  const index = new Map<string, Map<string, ModelFacts>>();
  for (const connection of connections) {
    if (index.has(connection.id)) continue;
    const byModel = new Map<string, ModelFacts>();
    for (const facts of connection.models) if (!byModel.has(facts.id)) byModel.set(facts.id, facts);
    index.set(connection.id, byModel);
  }
  return index;
}

/** Whether the connection is local, from the prepared index when there is one. */
export function isLocalIn(context: FilterContext, connection: Connection): boolean {
  return context.localConnectionIds ? context.localConnectionIds.has(connection.id) : isLocalConnection(connection);
}

/** Why the whole connection is out for this call (null: it is in), computed once per decision. */
export function connectionVerdict(
  context: FilterContext,
  connection: Connection,
  slot: number = context.connectionSlots.get(connection.id) ?? -1,
): CandidateRejected | null {
  if (slot < 0) return connectionCheck(context, connection);
  let verdict = context.verdicts[slot];
  if (verdict === undefined) {
    verdict = connectionCheck(context, connection);
    context.verdicts[slot] = verdict;
  }
  return verdict;
}

function connectionCheck(context: FilterContext, connection: Connection): CandidateRejected | null {
  const name = connection.name;
  if (!connection.enabled) return rejected('disabled', `${name} is turned off`, name, true);
  if (context.localOnly && !isLocalIn(context, connection)) {
    return rejected(
      'not_local',
      `Not sent: would leave this machine (${name} is a cloud connection and this work is local-only)`,
      name,
      true,
    );
  }
  if (context.simulateDown?.has(connection.id)) {
    return rejected('unhealthy', `${name} is marked down in this preview`, name, true);
  }
  const health = context.health[connection.id];
  if (health && !isRoutable(health)) {
    return rejected('unhealthy', `${name} is failing repeatedly (red): ${health.reason}`, name, true);
  }
  const coolOff = activeCoolOff(health, context.now);
  if (coolOff) {
    return { ...rejected('cooling_off', coolOffMessage(name, coolOff, context.now), name, true), availableAt: coolOff.until };
  }
  const cap = connection.monthlyBudgetUsd;
  const spent = context.spend.monthToDateUsd[connection.id] ?? 0;
  if (budgetLevel(spent, cap) === 'over' && cap !== null && !context.overCapOnce) {
    return rejected('over_budget', `${name} reached its monthly cap of ${usd(cap)} (${usd(spent)} spent this month)`, name, true);
  }
  return null;
}

/** What checking a connection + model needs that does not change between decisions. */
export interface ResolvedTarget {
  connection: Connection | undefined;
  /** The connection's slot in FilterContext.connectionSlots; -1 when it no longer exists. */
  slot: number;
  /** The model, with "the connection's default" resolved. */
  model: string;
  /** The key duplicates collapse on. */
  key: string;
  /** A dense number for the key in the prepared routing's target index; -1 when it has none. */
  index: number;
  facts: ModelFacts | undefined;
  /** effectiveMaxInput of the facts and the tier entry. */
  maxInput: number | null;
  maxOutputTokens: number | undefined;
}

/** Looks up a connection + model once; a prepared routing keeps these for every decision. */
export function resolveTarget(
  index: Pick<FilterContext, 'connectionsById' | 'connectionSlots' | 'factsIndex' | 'targetIndex'>,
  connectionId: string,
  model: string | undefined,
  tierEntry?: TierEntry,
): ResolvedTarget {
  const { connectionsById, factsIndex } = index;
  const connection = connectionsById.get(connectionId);
  const resolvedModel = model ?? connection?.defaultModel ?? '(default model)';
  let facts: ModelFacts | undefined;
  if (connection) facts = factsIndex ? factsIndex.get(connectionId)?.get(resolvedModel) : findFacts(connection, resolvedModel);
  const key = `${connectionId}\u0000${resolvedModel}`;
  return {
    connection,
    slot: connection ? (index.connectionSlots.get(connectionId) ?? -1) : -1,
    model: resolvedModel,
    key,
    index: index.targetIndex?.numberOf(key) ?? -1,
    facts,
    maxInput: effectiveMaxInput(facts, tierEntry),
    maxOutputTokens: tierEntry?.maxOutputTokens ?? facts?.maxOutputTokens ?? undefined,
  };
}

/** The first capability the call needs that the model is known to lack (unknown is not lacking). */
export function missingCapability(context: Pick<FilterContext, 'needs'>, facts: ModelFacts | undefined): Capability | undefined {
  for (const need of context.needs) if (facts?.capabilities[need] === false) return need;
  return undefined;
}

/** The prompt is larger than the model's known input limit. */
export function promptTooLarge(context: Pick<FilterContext, 'estimatedInputTokens'>, target: Pick<ResolvedTarget, 'maxInput'>): boolean {
  return target.maxInput !== null && context.estimatedInputTokens > target.maxInput;
}

/**
 * Why this model could never take the call, whatever its connection's health, budget or on/off
 * state: work that must stay local, a capability it is known to lack, a prompt too large for it.
 * Null when it could (DESIGN.md point 4 asks this of the explicit candidates).
 */
export function misfit(context: FilterContext, connection: Connection, target: ResolvedTarget): SkipReasonCode | null {
  if (context.localOnly && !isLocalIn(context, connection)) return 'not_local';
  if (missingCapability(context, target.facts) !== undefined) return 'missing_capability';
  if (promptTooLarge(context, target)) return 'input_too_large';
  return null;
}

/**
 * Decides whether one connection + model may be tried for this call (DESIGN.md point 3).
 * Checks run from the whole connection down to the model so the first reason is the most basic.
 */
export function checkCandidate(
  context: FilterContext,
  connectionId: string,
  model: string,
  tierEntry?: TierEntry,
  describe = true,
): CandidateCheck {
  const target = resolveTarget(context, connectionId, model, tierEntry);
  return checkTarget(context, connectionId, target, describe);
}

/** checkCandidate for an already resolved target. With `describe` false, model-level rejections come without words (a sweep only counts them). */
export function checkTarget(context: FilterContext, connectionId: string, target: ResolvedTarget, describe: boolean): CandidateCheck {
  const { connection, model, facts } = target;
  if (!connection) {
    return rejected('disconnected', `"${connectionId}" is no longer connected, so this no longer matches`, connectionId, true);
  }
  const connectionProblem = connectionVerdict(context, connection, target.slot);
  // A connection that is only cooling off still gets the model checks: it may be waited for.
  if (connectionProblem && connectionProblem.availableAt === undefined) return connectionProblem;

  const name = connection.name;
  const ceiling = context.costCeilingUsd;
  // A model known to be free cannot push a task past its ceiling, so local work may go on.
  const knownFree = facts?.inputPricePerMillion === 0 && facts.outputPricePerMillion === 0;
  if (ceiling !== null && context.spend.taskCostUsd >= ceiling && !knownFree) {
    const message = describe
      ? (context.words.ceiling ??= `This task reached its cost ceiling of ${usd(ceiling)} (${usd(context.spend.taskCostUsd)} spent)`)
      : '';
    return rejected('over_budget', message, name, false);
  }

  const missing = missingCapability(context, facts);
  if (missing !== undefined) {
    const message = describe ? `${model} on ${name} cannot handle ${capabilityWord(missing)}` : '';
    return rejected('missing_capability', message, name, false);
  }
  let capabilitiesConfirmed = true;
  for (const need of context.needs) {
    // Text is what every chat model does; only the other capabilities are worth a caveat.
    if (facts?.capabilities[need] !== true && need !== 'text') capabilitiesConfirmed = false;
  }

  const maxInput = target.maxInput;
  if (maxInput !== null && promptTooLarge(context, target)) {
    // A local server would cut the prompt silently at the context it runs with: say that is the limit.
    const runContext = facts?.runContextTokens === maxInput ? ', the context it runs with' : '';
    const message = describe
      ? `The prompt (about ${(context.words.estimate ??= formatCount(context.estimatedInputTokens))} tokens) is larger than ${model} on ${name} allows (${formatCount(maxInput)}${runContext})`
      : '';
    return rejected('input_too_large', message, name, false);
  }

  const notes: string[] = [];
  if (!capabilitiesConfirmed) {
    for (const need of context.needs) {
      if (need !== 'text' && facts?.capabilities[need] !== true) {
        notes.push(`Support for ${capabilityWord(need)} is unknown for ${model}; trying anyway`);
      }
    }
  }
  const accepted: CandidateAccepted = {
    ok: true,
    connection,
    facts,
    notes,
    maxOutputTokens: target.maxOutputTokens,
    capabilitiesConfirmed,
  };
  if (connectionProblem) return { ...connectionProblem, standby: accepted };
  return accepted;
}
