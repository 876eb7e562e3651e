import type { EscalationMemory, EscalationPreference } from '../../src-shared/schemas/escalation-memory';
import type { CandidateRef } from '../../src-shared/schemas/route-plan';
import type { RoutingConfig } from '../../src-shared/schemas/routing';
import { asPreparedRouting, type PreparedRouting } from './prepare-routing';

/** How long an agent prefers the stronger backend after an escalation. */
export const defaultEscalationMemoryMs = 6 * 60 * 60_000;

/** Where an escalation goes, and why in plain words. */
export interface StrongerChoice extends CandidateRef {
  tierId?: string;
  via: 'tier' | 'next-candidate';
  reason: string;
}

/** A candidate as escalation sees it: a pair, maybe known to come from a tier. */
export type LadderPosition = CandidateRef & { tierId?: string };

function rankOf(routing: PreparedRouting, current: LadderPosition): { rank: number; name: string } | undefined {
  if (current.tierId) {
    const tier = routing.ladder().find((item) => item.tier.id === current.tierId)?.tier;
    if (tier) return { rank: tier.rank, name: tier.name };
  }
  const found = routing.rankOf(current.connectionId, current.model);
  if (!found) return undefined;
  const tier = routing.ladder().find((item) => item.tier.id === found.tierId)?.tier;
  return { rank: found.rank, name: tier?.name ?? found.tierId };
}

function same(left: CandidateRef, right: CandidateRef): boolean {
  return left.connectionId === right.connectionId && left.model === right.model;
}

/**
 * The next stronger place to send a call whose answer was empty or malformed: the best entry of
 * the next tier up the ladder (standard -> premium -> enterprise) when the current model sits
 * in a tier, else the next candidate of the plan. `isUsable` lets the caller apply its filters.
 */
export function nextStrongerCandidate(
  routing: RoutingConfig | PreparedRouting,
  candidates: readonly LadderPosition[],
  current: LadderPosition,
  isUsable: (choice: LadderPosition) => boolean = () => true,
): StrongerChoice | undefined {
  const prepared = asPreparedRouting(routing);
  const position = rankOf(prepared, current);
  if (position) {
    for (const item of prepared.ladder()) {
      if (item.tier.rank <= position.rank) continue;
      for (const entry of item.entries) {
        const choice = { connectionId: entry.connectionId, model: entry.model, tierId: item.tier.id };
        if (same(choice, current) || !isUsable(choice)) continue;
        return { ...choice, via: 'tier', reason: `Escalated from tier "${position.name}" to "${item.tier.name}"` };
      }
    }
  }
  const index = candidates.findIndex((candidate) => same(candidate, current));
  for (let next = index + 1; next < candidates.length; next += 1) {
    const candidate = candidates[next];
    if (!candidate || same(candidate, current) || !isUsable(candidate)) continue;
    const choice: StrongerChoice = {
      connectionId: candidate.connectionId,
      model: candidate.model,
      via: 'next-candidate',
      reason: 'Escalated to the next candidate',
    };
    if (candidate.tierId) choice.tierId = candidate.tierId;
    return choice;
  }
  return undefined;
}

/** Remembers that an agent needed a stronger backend, so its next tasks start there; forgets expired ones. */
export function recordEscalation(
  memory: EscalationMemory,
  agent: string,
  from: CandidateRef,
  to: CandidateRef,
  now: number,
  durationMs: number = defaultEscalationMemoryMs,
): EscalationMemory {
  const preference: EscalationPreference = {
    agent,
    from: { connectionId: from.connectionId, model: from.model },
    to: { connectionId: to.connectionId, model: to.model },
    recordedAt: now,
    expiresAt: now + durationMs,
  };
  // Expired preferences go as a new one is written, so the stored memory does not grow forever.
  return { ...pruneEscalations(memory, now), [agent]: preference };
}

/** The agent's current preference, or undefined once it has expired. */
export function activePreference(memory: EscalationMemory | undefined, agent: string, now: number): EscalationPreference | undefined {
  const preference = memory?.[agent];
  return preference && now < preference.expiresAt ? preference : undefined;
}

/** Forgets the agent's preference (the user asked, or the stronger backend was removed). */
export function clearEscalation(memory: EscalationMemory, agent: string): EscalationMemory {
  if (!(agent in memory)) return memory;
  const { [agent]: _removed, ...rest } = memory;
  return rest;
}

/** Drops expired preferences, so stored memory does not grow forever. */
export function pruneEscalations(memory: EscalationMemory, now: number): EscalationMemory {
  const kept: EscalationMemory = {};
  for (const [agent, preference] of Object.entries(memory)) if (now < preference.expiresAt) kept[agent] = preference;
  return kept;
}
