import type { ConnectionSpend } from '../../../../../src-shared/schemas/call-log';
import { formatSpend, formatUsd, unpricedNote } from '../../../lib/money';

/** Where a connection stands against its monthly cap: spend so far, the cap, and a bar. */
export function MonthSpend({ spend, cap }: { spend: ConnectionSpend | undefined; cap: number | null }) {
  const spent = spend?.costUsd ?? 0;
  const unpriced = spend?.unpricedCalls ?? 0;
  const share = cap === null ? null : cap === 0 ? 1 : spent / cap;
  const level = share === null ? 'none' : share >= 1 ? 'over' : share >= 0.8 ? 'near' : 'ok';
  return (
    <div className={`month-spend month-spend-${level}`} data-testid="month-spend" title={unpricedNote(unpriced)}>
      <span>
        This month: <strong>{formatSpend(spent, unpriced)}</strong>
        {cap === null ? ' · no cap' : ` of ${formatUsd(cap)} cap (${Math.floor((share ?? 0) * 100)}%)`}
        {level === 'over' ? ' · over the cap: skipped for tasks and gateway calls' : level === 'near' ? ' · near the cap' : ''}
      </span>
      {share !== null ? (
        <span className="month-spend-bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, share * 100)}%` }} />
        </span>
      ) : null}
    </div>
  );
}
