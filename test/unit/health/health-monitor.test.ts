import { describe, expect, it } from 'vitest';
import { appError, AppErrorException } from '../../../src-shared/errors/app-error';
import type { ConnectionHealth } from '../../../src-shared/schemas/health';
import { createHealthMonitor, IDLE_PROBE_MS } from '../../../src-main/health/health-monitor';

/** Timers on a clock the test moves by hand. */
function manualTimers() {
  let now = 1_000_000;
  let timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];
  return {
    now: () => now,
    setTimer(callback: () => void, ms: number) {
      const timer = { at: now + ms, callback, cancelled: false };
      timers.push(timer);
      return { cancel: () => void (timer.cancelled = true) };
    },
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((timer) => !timer.cancelled && timer.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        due.cancelled = true;
        due.callback();
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = end;
      timers = timers.filter((timer) => !timer.cancelled);
      await new Promise((resolve) => setImmediate(resolve));
    },
    pending: () => timers.filter((timer) => !timer.cancelled).length,
  };
}

function setUp(options: { routed?: string[]; online?: () => boolean; failWith?: () => string | null } = {}) {
  const clock = manualTimers();
  const probes: string[] = [];
  const changes: ConnectionHealth[][] = [];
  const monitor = createHealthMonitor({
    now: clock.now,
    setTimer: clock.setTimer,
    probe: async (connectionId) => {
      probes.push(connectionId);
      const code = options.failWith?.() ?? null;
      if (code) throw new AppErrorException(appError(code as 'network', `probe failed: ${code}`));
    },
    routedConnectionIds: () => options.routed ?? ['a'],
    isOnline: options.online ?? (() => true),
    onChange: (health) => changes.push(health),
  });
  return { clock, probes, changes, monitor };
}

describe('health monitor (timers and probes around the pure reducer)', () => {
  it('hands routing one copy of every connection’s health until something changes, then a new one', () => {
    const { monitor } = setUp();
    monitor.record('a', { type: 'failure', error: appError('auth_invalid', 'bad key') });
    const first = monitor.snapshot();
    expect(first['a']?.color).toBe('red');
    expect(monitor.snapshot()).toBe(first);
    monitor.record('b', { type: 'failure', error: appError('auth_invalid', 'bad key') });
    const second = monitor.snapshot();
    expect(second).not.toBe(first);
    expect(Object.keys(second).sort()).toEqual(['a', 'b']);
    monitor.forget('b');
    expect(Object.keys(monitor.snapshot())).toEqual(['a']);
  });

  it('probes a grey routed connection once, then leaves a healthy one alone until it goes quiet', async () => {
    const { clock, probes, monitor } = setUp();
    monitor.reschedule();
    await clock.advance(10);
    expect(probes).toEqual(['a']);
    expect(monitor.get('a').color).toBe('green');
    await clock.advance(IDLE_PROBE_MS - 1_000);
    expect(probes).toEqual(['a']);
    await clock.advance(2_000);
    expect(probes).toEqual(['a', 'a']);
  });

  it('never polls a connection that nothing routes to', async () => {
    const { clock, probes, monitor } = setUp({ routed: [] });
    monitor.record('idle', { type: 'failure', error: appError('auth_invalid', 'bad key') });
    monitor.reschedule();
    await clock.advance(60 * 60_000);
    expect(probes).toEqual([]);
  });

  it('probes a red connection after a cool-down that doubles while it stays down, capped at 5 minutes', async () => {
    const { clock, probes, monitor } = setUp({ failWith: () => 'network' });
    monitor.record('a', { type: 'failure', error: appError('auth_invalid', 'bad key') });
    expect(monitor.get('a').color).toBe('red');
    const probeTimes: number[] = [];
    const start = clock.now();
    for (let step = 0; step < 1_200 && probeTimes.length < 6; step += 1) {
      const before = probes.length;
      await clock.advance(1_000);
      if (probes.length > before) probeTimes.push(clock.now() - start);
    }
    const gaps = probeTimes.map((time, index) => time - (probeTimes[index - 1] ?? 0));
    expect(gaps.slice(0, 4).map((gap) => Math.round(gap / 1_000))).toEqual([15, 30, 60, 120]);
    await clock.advance(30 * 60_000);
    expect(monitor.get('a').cooldownMs).toBe(5 * 60_000);
  });

  it('runs one probe at a time per connection, however many ask', async () => {
    let release = () => {};
    const clock = manualTimers();
    let calls = 0;
    const monitor = createHealthMonitor({
      now: clock.now,
      setTimer: clock.setTimer,
      probe: () => {
        calls += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
      routedConnectionIds: () => ['a'],
      isOnline: () => true,
      onChange: () => {},
    });
    const all = Promise.all([monitor.probeNow('a'), monitor.probeNow('a'), monitor.probeNow('a')]);
    release();
    const results = await all;
    expect(calls).toBe(1);
    expect(results.every((health) => health.color === 'green')).toBe(true);
  });

  it('does not probe while the machine is offline, and resumes when it is back', async () => {
    let online = false;
    const { clock, probes, monitor } = setUp({ online: () => online });
    monitor.reschedule();
    await clock.advance(60_000);
    expect(probes).toEqual([]);
    online = true;
    await clock.advance(16_000);
    expect(probes).toEqual(['a']);
  });
});
