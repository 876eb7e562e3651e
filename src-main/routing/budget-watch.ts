import type { Notice } from '../../src-shared/schemas/notice';
import type { SpendSnapshot } from '../../src-shared/schemas/route-plan';
import { budgetLevel } from '../engine/limits';
import type { SettingsService } from '../settings/settings-service';
import type { RouterService } from './router-service';

const usd = (value: number) => `$${value.toFixed(2)}`;

/**
 * Tells the user once per month and level when a connection's spend reaches 80% of its monthly
 * cap and when it reaches the cap, saying then which backend takes over its tasks and gateway calls.
 */
export function createBudgetWatch(deps: {
  settings: SettingsService;
  spend(): Promise<SpendSnapshot>;
  router: Pick<RouterService, 'plan'>;
  notify(notice: Notice): void;
  now(): number;
}) {
  const announced = new Map<string, string>();
  const monthOf = (at: number) => {
    const date = new Date(at);
    return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
  };
  return {
    /** Called after a call of this connection was logged. */
    async check(connectionId: string): Promise<void> {
      const connection = deps.settings.get().connections.find((candidate) => candidate.id === connectionId);
      const cap = connection?.monthlyBudgetUsd ?? null;
      if (!connection || cap === null) return;
      const spent = (await deps.spend()).monthToDateUsd[connectionId] ?? 0;
      const level = budgetLevel(spent, cap);
      if (level !== 'near' && level !== 'over') return;
      const month = monthOf(deps.now());
      const key = `${month}:${level}`;
      if (announced.get(connectionId) === key || (level === 'near' && announced.get(connectionId) === `${month}:over`)) return;
      announced.set(connectionId, key);
      const figures = `${usd(spent)} of ${usd(cap)} spent this month`;
      if (level === 'near') {
        deps.notify({
          id: `budget-${connectionId}`,
          level: 'warning',
          title: `${connection.name} has used ${Math.floor((spent / cap) * 100)}% of its monthly cap`,
          detail: `${figures}. At the cap, tasks and gateway calls skip it. Raise the cap in Settings → Providers → Edit.`,
          at: deps.now(),
        });
        return;
      }
      // Which backend a default task now lands on, with this connection skipped for its cap.
      const plan = await deps.router.plan({ kind: 'task', needs: [], estimatedInputTokens: 0, localOnly: false });
      const next = plan.candidates.find((candidate) => candidate.connectionId !== connectionId);
      deps.notify({
        id: `budget-${connectionId}`,
        level: 'error',
        title: `${connection.name} reached its monthly cap`,
        detail: next
          ? `${figures}. Tasks and gateway calls now go to ${next.connectionName} (${next.model}) until next month or until you raise the cap.`
          : `${figures}. No other provider can take its tasks and gateway calls: they wait until next month or until you raise the cap.`,
        at: deps.now(),
      });
    },
  };
}
