import type { RouteCandidate, RoutePlan } from '../../../../src-shared/schemas/route-plan';

/** Candidates as a chain a user reads: each provider once per model, in the order they are tried. */
export function chainLinks(plan: RoutePlan): Array<Pick<RouteCandidate, 'connectionId' | 'connectionName' | 'model'>> {
  return plan.candidates.map(({ connectionId, connectionName, model }) => ({ connectionId, connectionName, model }));
}

/** "Claude, then DeepSeek": the providers of a plan in the order they are tried (plain text, for labels and tests). */
export function chainText(plan: RoutePlan): string {
  return chainLinks(plan)
    .map((link) => link.connectionName)
    .join(', then ');
}

/** The chain with each model after its provider: "Claude claude-sonnet-4-6, then DeepSeek deepseek-chat". */
export function ChainLine(props: { plan: RoutePlan }) {
  const links = chainLinks(props.plan);
  return (
    <>
      {links.map((link, index) => (
        <span key={`${link.connectionId}/${link.model}`}>
          {index > 0 ? ', then ' : null}
          <strong>{link.connectionName}</strong> <span className="mono muted chain-model">{link.model}</span>
        </span>
      ))}
    </>
  );
}
