import type { Capability } from '../../src-shared/schemas/connection';
import type { CallKind, SkippedCandidate, SkipReasonCode } from '../../src-shared/schemas/route-plan';
import { capabilityWord } from './candidate-filter';

/** "A", "A or B", "A, B or C", "A, B, C or 2 others". */
export function joinWithOr(names: readonly string[], limit = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  const shown = names.length > limit + 1 ? names.slice(0, limit) : names.slice(0, -1);
  const last = names.length > limit + 1 ? `${names.length - limit} others` : (names[names.length - 1] ?? '');
  return `${shown.join(', ')} or ${last}`;
}

function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** Words for "what this call needs": "images (vision) and structured output". */
export function needsWords(needs: readonly Capability[]): string {
  const words = needs.filter((need) => need !== 'text').map(capabilityWord);
  if (words.length === 0) return 'this request';
  if (words.length === 1) return words[0]!;
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Why nothing is left to try, and which connections' recovery would unblock the work. */
export interface PauseExplanation {
  pausedReason: string;
  waitingFor: string[];
}

/**
 * Names who the work waits for when no candidate is left (DESIGN.md point 8): "Waiting for
 * Claude or DeepSeek to recover". Local-only work says plainly that it was not sent.
 * `sweepReasons` and `sweepSummary` cover what capability routing passed over without listing.
 */
export function explainPause(
  kind: CallKind,
  skipped: readonly SkippedCandidate[],
  hasConnections: boolean,
  sweepReasons: ReadonlySet<SkipReasonCode> = new Set(),
  sweepSummary?: string,
): PauseExplanation {
  if (!hasConnections) return { pausedReason: 'No connections yet: add a provider to get started', waitingFor: [] };
  if (skipped.length === 0 && sweepReasons.size === 0) {
    const pausedReason =
      kind === 'chat' ? 'No Primary connection: mark a connection as Primary' : 'Nothing to route to: add a rule or a Primary connection';
    return { pausedReason, waitingFor: [] };
  }
  const waitingFor: string[] = [];
  const waitingNames: string[] = [];
  let notLocal = sweepReasons.has('not_local');
  let coolingOff: SkippedCandidate | undefined;
  for (const skip of skipped) {
    if (skip.reason === 'not_local') notLocal = true;
    if (skip.reason === 'cooling_off') coolingOff ??= skip;
    if ((skip.reason === 'unhealthy' || skip.reason === 'cooling_off') && !waitingFor.includes(skip.connectionId)) {
      waitingFor.push(skip.connectionId);
      if (skip.reason === 'unhealthy') waitingNames.push(skip.connectionName);
    }
  }
  const parts: string[] = [];
  if (notLocal) parts.push('not sent: would leave this machine');
  if (waitingNames.length > 0 || coolingOff) {
    if (waitingNames.length > 0) parts.push(`waiting for ${joinWithOr(waitingNames)} to recover`);
    if (coolingOff) parts.push(coolingOff.message);
  } else {
    const budget = skipped.find((skip) => skip.reason === 'over_budget');
    const other = skipped.find((skip) => skip.reason !== 'not_local');
    if (budget) parts.push(`waiting for budget: ${budget.message}`);
    else if (other) parts.push(other.message);
    else if (sweepSummary && !notLocal) parts.push(`nothing can take it (${sweepSummary})`);
    else if (notLocal) parts.push('no local connection is available');
  }
  return { pausedReason: capitalize(parts.join('; ')), waitingFor };
}
