import type { SpendSnapshot } from '../../src-shared/schemas/route-plan';
import type { CallLogRepository } from '../storage/call-log-repository';

/**
 * Month-to-date spend per connection for budgets, kept in memory: read from the call log once,
 * then added to as calls are logged, and read again when a new month starts. Routing asks for it
 * on every call, so it must not query the log each time.
 */
export function createSpendTracker(callLog: Pick<CallLogRepository, 'monthToDateSpend'>, now: () => number = Date.now) {
  let totals = new Map<string, number>();
  let month = '';
  let loading: Promise<void> | null = null;
  const monthOf = (at: number) => {
    const date = new Date(at);
    return `${date.getFullYear()}-${date.getMonth()}`;
  };
  const load = () => {
    loading ??= callLog
      .monthToDateSpend()
      .then((rows) => {
        totals = new Map(rows.map((row) => [row.connectionId, row.costUsd]));
        month = monthOf(now());
      })
      .catch(() => undefined)
      .finally(() => {
        loading = null;
      });
    return loading;
  };
  return {
    load,
    /** Adds a logged call's cost. */
    add(connectionId: string, costUsd: number | undefined, at: number) {
      if (!costUsd || monthOf(at) !== month) return;
      totals.set(connectionId, (totals.get(connectionId) ?? 0) + costUsd);
    },
    async snapshot(): Promise<SpendSnapshot> {
      if (monthOf(now()) !== month) await load();
      return { monthToDateUsd: Object.fromEntries(totals), taskCostUsd: 0 };
    },
  };
}
