import type { HealthMonitor } from '../health/health-monitor';

const FIRST_CHECK_MS = 15_000;
const MAX_CHECK_MS = 5 * 60_000;

/**
 * Paused tasks and the connections they wait for. Recovery is noticed from health changes; the
 * only active checks are token-free probes of the awaited connections, one timer for all of them,
 * backing off from 15 s to 5 min: no polling storm however many tasks wait.
 */
export function createPauseBook(deps: {
  health: HealthMonitor;
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
  onRecheck(): void;
}) {
  const waiting = new Map<string, string[]>();
  let delay = FIRST_CHECK_MS;
  let timer: { cancel(): void } | null = null;
  let wakeTimer: { cancel(): void } | null = null;

  const schedule = () => {
    timer?.cancel();
    timer = null;
    if (waiting.size === 0) {
      delay = FIRST_CHECK_MS;
      return;
    }
    timer = deps.setTimer(() => {
      timer = null;
      const awaited = new Set([...waiting.values()].flat());
      // Red connections are already probed on the health monitor's own cool-down.
      const probes = [...awaited]
        .filter((id) => deps.health.get(id).color !== 'red')
        .map((id) => deps.health.probeNow(id).catch(() => undefined));
      void Promise.all(probes).then(() => deps.onRecheck());
      delay = Math.min(delay * 2, MAX_CHECK_MS);
      schedule();
    }, delay);
  };

  return {
    add(taskId: string, connectionIds: string[]) {
      waiting.set(taskId, connectionIds);
      delay = FIRST_CHECK_MS;
      schedule();
    },
    remove(taskId: string) {
      waiting.delete(taskId);
      if (waiting.size === 0) schedule();
    },
    ids: () => [...waiting.keys()],
    /** Something changed (a dot turned green, settings changed): look again, once, shortly. */
    wake() {
      if (waiting.size === 0 || wakeTimer) return;
      wakeTimer = deps.setTimer(() => {
        wakeTimer = null;
        deps.onRecheck();
      }, 50);
    },
    stop() {
      timer?.cancel();
      wakeTimer?.cancel();
      waiting.clear();
    },
  };
}
