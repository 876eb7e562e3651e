import type { CandidateSource } from '../../../../src-shared/schemas/route-plan';

/** Why a candidate is in the list, as a short phrase: "Claude · claude-sonnet-4-6 (agent’s rule)". */
export const sourceWords: Record<CandidateSource, string> = {
  override: 'named for this task',
  route: 'route',
  tier: 'tier',
  'agent-rule': 'agent’s rule',
  'default-rule': 'rule for any task',
  primary: 'Primary',
  capability: 'can do what it needs',
  escalation: 'recently needed a stronger model',
};

export const sourceWord = (source: string): string => sourceWords[source as CandidateSource] ?? source;
