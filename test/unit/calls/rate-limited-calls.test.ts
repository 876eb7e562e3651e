import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src-shared/schemas/connection';
import type { ExecutionEvent } from '../../../src-shared/schemas/execution-event';
import type { RoutePlan } from '../../../src-shared/schemas/route-plan';
import { createCallRunner, type CallRunnerDependencies, type CallSpec } from '../../../src-main/calls/call-runner';
import { createRateLimiter } from '../../../src-main/calls/rate-limiter';
import { createHealthMonitor } from '../../../src-main/health/health-monitor';
import { FakeClock } from '../engine/helpers/fake-clock';
import { candidate, planOf } from '../engine/helpers/execution';
import { connection, ending, ofType } from '../engine/helpers/fixtures';
import { answer, ScriptedAdapter } from '../engine/helpers/scripted-adapter';

const second = 1_000;

/** The real call runner, rate limiter and health monitor over scripted providers and a fake clock. */
function setup(connections: Connection[]) {
  const clock = new FakeClock();
  const health = createHealthMonitor({
    now: () => clock.now(),
    setTimer: () => ({ cancel: () => undefined }),
    probe: async () => undefined,
    routedConnectionIds: () => [],
    isOnline: () => true,
    onChange: () => undefined,
  });
  const rateLimiter = createRateLimiter({
    now: () => clock.now(),
    limits: (id) => connections.find((item) => item.id === id)?.rateLimits,
    onHold: (id, coolOff) => health.record(id, { type: 'cool-off', coolOff }),
  });
  const adapters = new Map(connections.map((item) => [item.id, new ScriptedAdapter(item.id, [answer(`from ${item.id}`)], clock)]));
  const deps = {
    router: {},
    connections: { adapter: async (id: string) => adapters.get(id)! },
    health,
    settings: { get: () => ({ connections, routing: { tiers: [] } }) },
    clock,
    random: { next: () => 0.5 },
    rateLimiter,
  } as unknown as CallRunnerDependencies;
  const runner = createCallRunner(deps);
  const run = async (
    plan: RoutePlan,
    source: CallSpec['source'] = 'task',
    text = 'hello',
    extra: Partial<CallSpec['call']> = {},
  ): Promise<ExecutionEvent[]> => {
    const events: ExecutionEvent[] = [];
    const spec: CallSpec = {
      source,
      route: { kind: source, needs: [], estimatedInputTokens: 1, localOnly: false },
      call: { messages: [{ role: 'user', content: text }], ...extra },
    };
    for await (const event of runner.run(spec, plan)) events.push(event);
    return events;
  };
  return { clock, health, rateLimiter, adapters, run };
}

const twoPerMinute = { requestsPerMinute: 2, tokensPerMinute: null, concurrentCalls: null };

describe('calls kept within a connection’s rate limits', () => {
  it('a connection with a 2-requests-per-minute limit passes the third call to the next candidate', async () => {
    const { run, health, clock } = setup([connection('a', { rateLimits: twoPerMinute }), connection('b')]);
    const plan = planOf(candidate('a'), candidate('b'));
    const started = clock.now();

    expect(ending(await run(plan))).toMatchObject({ type: 'finish', connectionId: 'a' });
    expect(ending(await run(plan))).toMatchObject({ type: 'finish', connectionId: 'a' });
    // The second call filled the minute: the health monitor holds it, so plans skip it too.
    expect(health.get('a').coolOff).toEqual({ until: started + 60 * second, reason: 'is at its limit of 2 requests per minute' });

    const third = await run(plan);
    expect(ending(third)).toMatchObject({ type: 'finish', connectionId: 'b', text: 'from b' });
    expect(ofType(third, 'cool-off')[0]).toMatchObject({
      connectionId: 'a',
      waiting: false,
      message: 'A is at its limit of 2 requests per minute: skipped for another 60 s',
    });
    expect(ofType(third, 'attempt-start').map((event) => event.connectionId)).toEqual(['b']);
    expect(clock.now()).toBe(started);
  });

  it('with no other candidate the call waits for the minute, and its trace says so', async () => {
    const { run, clock, adapters } = setup([connection('a', { rateLimits: twoPerMinute })]);
    const plan = planOf(candidate('a'));
    const started = clock.now();
    await run(plan);
    await clock.advance(15 * second);
    await run(plan);

    const third = await run(plan);
    expect(ending(third)).toMatchObject({ type: 'finish', connectionId: 'a' });
    // Free again when the first call leaves the minute.
    expect(clock.now()).toBe(started + 60 * second);
    const waited = ofType(third, 'cool-off').find((event) => event.waiting);
    expect(waited).toMatchObject({ connectionId: 'a', until: started + 60 * second });
    expect(waited!.message).toBe('Nothing else left: waiting 45 s for A, which is at its limit of 2 requests per minute');
    expect(adapters.get('a')!.requests).toHaveLength(3);
  });

  it('a call that may not wait that long fails as rate_limited with the wait as its Retry-After', async () => {
    const { run } = setup([connection('a', { rateLimits: { ...twoPerMinute, requestsPerMinute: 1 } })]);
    const plan = planOf(candidate('a'));
    await run(plan);
    const refused = ending(await run(plan, 'gateway', 'hello', { maxRetryAfterMs: 10 * second }));
    expect(refused).toMatchObject({ type: 'error', error: { code: 'rate_limited', retryAfterMs: 60 * second } });
    expect(refused.type === 'error' && refused.error.message).toBe(
      'A is at its limit of 1 request per minute for 60 s, longer than this call may wait',
    );
  });

  it('counts tokens per minute from the usage providers report', async () => {
    // Each scripted answer reports 100 input + 20 output tokens.
    const { run, health, clock } = setup([
      connection('a', { rateLimits: { requestsPerMinute: null, tokensPerMinute: 200, concurrentCalls: null } }),
      connection('b'),
    ]);
    const plan = planOf(candidate('a'), candidate('b'));
    expect(ending(await run(plan))).toMatchObject({ connectionId: 'a' });
    expect(health.get('a').coolOff).toBeNull();
    expect(ending(await run(plan))).toMatchObject({ connectionId: 'a' });
    expect(health.get('a').coolOff).toEqual({ until: clock.now() + 60 * second, reason: 'is at its limit of 200 tokens per minute' });
    expect(ending(await run(plan))).toMatchObject({ connectionId: 'b' });
  });

  it('calls at once: a second concurrent call goes to the next candidate, and the slot frees when the first ends', async () => {
    const { run, clock, adapters } = setup([
      connection('a', { rateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentCalls: 1 } }),
      connection('b'),
    ]);
    const slow = new ScriptedAdapter('a', [[{ wait: 5 * second }, { text: 'slow a' }, { finish: 'stop' }], answer('from a')], clock);
    adapters.set('a', slow);
    const plan = planOf(candidate('a'), candidate('b'));
    const first = run(plan);
    await clock.advance(second / 2);
    const second2 = await run(plan);
    expect(ending(second2)).toMatchObject({ connectionId: 'b' });
    expect(ofType(second2, 'cool-off')[0]!.message).toContain('A is at its limit of 1 call at once');
    expect(ending(await first)).toMatchObject({ connectionId: 'a', text: 'slow a' });
    await clock.advance(2 * second);
    expect(ending(await run(plan))).toMatchObject({ connectionId: 'a', text: 'from a' });
  });

  it('chat goes first: a task and a chat message waiting for the same slot, the chat message takes it', async () => {
    const { run, clock, adapters } = setup([connection('a', { rateLimits: { ...twoPerMinute, requestsPerMinute: 1 } })]);
    const plan = planOf(candidate('a'));
    const started = clock.now();
    await run(plan);
    // The task starts waiting first, the chat message just after it.
    const task = run(plan, 'task', 'the task');
    const chat = run({ ...plan, kind: 'chat' }, 'chat', 'the chat message');
    const [taskEvents, chatEvents] = await Promise.all([task, chat]);

    const order = adapters.get('a')!.requests.map((request) => request.messages[0]!.content);
    expect(order).toEqual(['hello', 'the chat message', 'the task']);
    expect(ending(chatEvents)).toMatchObject({ type: 'finish' });
    expect(ending(taskEvents)).toMatchObject({ type: 'finish' });
    expect(clock.now()).toBe(started + 120 * second);
    expect(ofType(taskEvents, 'cool-off').map((event) => event.message)).toContain(
      'A is keeping its next free slot for a chat message: skipped for another 1 s',
    );
  });
});
