import { toAppError } from '../../src-shared/errors/app-error';
import type { ConnectionHealth } from '../../src-shared/schemas/health';
import { admitsCall, dueForProbe, initialHealth, reduceHealth, type HealthEvent } from '../engine/health';

export interface HealthMonitorPorts {
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
  /** Token-free probe (list models); throws AppErrorException on failure. */
  probe(connectionId: string, signal: AbortSignal): Promise<void>;
  /** Connections that something routes to (Primary, rules, tiers, routes): only these are polled. */
  routedConnectionIds(): string[];
  isOnline(): boolean;
  onChange(health: ConnectionHealth[]): void;
  /** How long a routed connection may go unheard before a probe; default IDLE_PROBE_MS. */
  idleProbeMs?: number;
}

export interface HealthMonitor {
  snapshot(): Record<string, ConnectionHealth>;
  list(): ConnectionHealth[];
  get(connectionId: string): ConnectionHealth;
  /** Passive health: the outcome of real traffic. */
  record(connectionId: string, event: HealthEvent): void;
  /** "Test connection": probe now, whatever the schedule says. */
  probeNow(connectionId: string): Promise<ConnectionHealth>;
  forget(connectionId: string): void;
  /**
   * Asked just before each real call: false while the connection is red, or on trial with its one
   * deciding call already under way elsewhere. A true answer for a connection on trial takes the trial.
   */
  admit(connectionId: string): boolean;
  /** The call that took a trial has its outcome (or ended without one): the trial is free again. */
  release(connectionId: string): void;
  /** Re-plans the next wake-up (after settings change, or the machine came back online). */
  reschedule(): void;
  stop(): void;
}

/** A routed connection not heard from for this long gets a token-free probe. */
export const IDLE_PROBE_MS = 5 * 60_000;
const OFFLINE_RECHECK_MS = 15_000;
const PROBE_TIMEOUT_MS = 15_000;

/**
 * Timers and probes around the pure health reducer. One timer for the whole monitor (the
 * earliest due probe), one probe at a time per connection, nothing while offline.
 */
export function createHealthMonitor(ports: HealthMonitorPorts): HealthMonitor {
  const states = new Map<string, ConnectionHealth>();
  // Connections on trial whose one deciding call is under way.
  const trialsTaken = new Set<string>();
  const inFlight = new Map<string, Promise<ConnectionHealth>>();
  let timer: { cancel(): void } | null = null;
  // When the timer fires (the earliest due probe or cool-off when it was set).
  let timerAt = Infinity;
  let stopped = false;

  const get = (connectionId: string) => states.get(connectionId) ?? initialHealth(connectionId);
  // Routing reads every connection's health for each call: one copy per change, not one per call.
  let snapshot: Record<string, ConnectionHealth> | null = null;
  const emit = () => {
    snapshot = null;
    ports.onChange([...states.values()]);
  };

  const apply = (connectionId: string, event: HealthEvent) => {
    const before = get(connectionId);
    const after = reduceHealth(before, event, ports.now());
    if (after === before) return;
    if (!after.onTrial) trialsTaken.delete(connectionId);
    states.set(connectionId, after);
    emit();
  };

  const runProbe = (connectionId: string): Promise<ConnectionHealth> => {
    const running = inFlight.get(connectionId);
    if (running) return running;
    const controller = new AbortController();
    const timeout = ports.setTimer(() => controller.abort(), PROBE_TIMEOUT_MS);
    const probe = ports
      .probe(connectionId, controller.signal)
      .then(
        () => apply(connectionId, { type: 'probe-success' }),
        (error: unknown) => apply(connectionId, { type: 'probe-failure', error: toAppError(error, 'network') }),
      )
      .then(() => {
        timeout.cancel();
        inFlight.delete(connectionId);
        schedule();
        return get(connectionId);
      });
    inFlight.set(connectionId, probe);
    return probe;
  };

  /** When this connection should next be probed, or null when it should not be. */
  const nextProbeAt = (connectionId: string): number | null => {
    const state = get(connectionId);
    if (state.color === 'red') return state.nextProbeAt;
    if (state.color === 'grey') return ports.now();
    const lastHeard = Math.max(state.lastSuccessAt ?? 0, state.lastFailureAt ?? 0);
    return lastHeard + (ports.idleProbeMs ?? IDLE_PROBE_MS);
  };

  // A cool-off that has passed is cleared with a change, so waiting work looks again at once.
  const clearPassedCoolOffs = () => {
    const now = ports.now();
    let cleared = false;
    for (const [connectionId, state] of states) {
      if (state.coolOff && state.coolOff.until <= now) {
        states.set(connectionId, { ...state, coolOff: null });
        cleared = true;
      }
    }
    if (cleared) emit();
  };

  const tick = () => {
    timer = null;
    if (stopped) return;
    clearPassedCoolOffs();
    if (!ports.isOnline()) {
      timer = ports.setTimer(tick, OFFLINE_RECHECK_MS);
      timerAt = ports.now() + OFFLINE_RECHECK_MS;
      return;
    }
    const now = ports.now();
    for (const connectionId of ports.routedConnectionIds()) {
      if (inFlight.has(connectionId)) continue;
      const due = nextProbeAt(connectionId);
      const state = get(connectionId);
      if (due !== null && due <= now && (state.color !== 'red' || dueForProbe(state, now))) void runProbe(connectionId);
    }
    schedule();
  };

  function schedule(): void {
    if (stopped) return;
    timer?.cancel();
    timer = null;
    let earliest: number | null = null;
    for (const connectionId of ports.routedConnectionIds()) {
      if (inFlight.has(connectionId)) continue;
      const due = nextProbeAt(connectionId);
      if (due !== null && (earliest === null || due < earliest)) earliest = due;
    }
    for (const state of states.values()) {
      const until = state.coolOff?.until;
      if (until !== undefined && (earliest === null || until < earliest)) earliest = until;
    }
    timerAt = earliest ?? Infinity;
    if (earliest === null) return;
    timer = ports.setTimer(tick, Math.max(0, earliest - ports.now()));
  }

  /** The earliest moment this connection needs the timer: its next probe or the end of its cool-off. */
  const needsTimerAt = (connectionId: string): number => {
    const probeAt = nextProbeAt(connectionId) ?? Infinity;
    return Math.min(probeAt, get(connectionId).coolOff?.until ?? Infinity);
  };

  return {
    snapshot: () => (snapshot ??= Object.fromEntries(states)),
    list: () => [...states.values()],
    get,
    record(connectionId, event) {
      apply(connectionId, event);
      // Traffic mostly moves a connection's next probe later, which the timer finds out when it
      // fires (tick looks at everything again); only something due before the timer re-plans it,
      // so a busy gateway does not walk every connection and routing rule on every call.
      if (timer === null || needsTimerAt(connectionId) < timerAt) schedule();
    },
    probeNow: runProbe,
    admit(connectionId) {
      const state = get(connectionId);
      if (!admitsCall(state, trialsTaken.has(connectionId))) return false;
      if (state.onTrial) trialsTaken.add(connectionId);
      return true;
    },
    release(connectionId) {
      trialsTaken.delete(connectionId);
    },
    forget(connectionId) {
      states.delete(connectionId);
      emit();
      schedule();
    },
    reschedule: schedule,
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
