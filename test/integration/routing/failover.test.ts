import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../../src-shared/schemas/execution-event';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer, type FaultName } from '../../helpers/fake-provider-server';

async function collect(events: AsyncGenerator<ExecutionEvent, unknown>): Promise<ExecutionEvent[]> {
  const all: ExecutionEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('routing through real SDKs and fake providers', () => {
  let first: FakeProviderServer;
  let second: FakeProviderServer;
  let core: CoreHarness;

  beforeAll(async () => {
    first = await startFakeProviderServer({ reply: 'From Claude.', models: ['claude-sonnet-4-6'], name: 'claude' });
    second = await startFakeProviderServer({ reply: 'From DeepSeek.', models: ['deepseek-chat'], name: 'deepseek' });
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
  });
  afterEach(async () => {
    await core?.stop();
    await Promise.all([first.reset(), second.reset()]);
  });

  async function setUp(sameProviderRetries = 0) {
    core = await startCore();
    await core.add({
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: first.url,
      apiKey: 'sk-ant-first-0001',
      defaultModel: 'claude-sonnet-4-6',
    });
    await core.add({
      kind: 'deepseek',
      name: 'DeepSeek',
      baseUrl: `${second.url}/v1`,
      apiKey: 'sk-deepseek-0002',
      defaultModel: 'deepseek-chat',
    });
    core.configure((settings) => ({
      ...settings,
      routing: {
        ...settings.routing,
        defaultSameProviderRetries: sameProviderRetries,
        routes: [
          {
            id: 'main',
            name: 'Main',
            description: '',
            version: 1,
            sameProviderRetries,
            targets: [
              { connectionId: 'claude', model: 'claude-sonnet-4-6' },
              { connectionId: 'deepseek', model: 'deepseek-chat' },
            ],
          },
        ],
      },
    }));
  }

  const run = (call: Partial<Parameters<CoreHarness['services']['runner']['run']>[0]['call']> = {}) =>
    collect(
      core.services.runner.run({
        source: 'task',
        route: { kind: 'task', route: 'main', needs: [], estimatedInputTokens: 10, localOnly: false },
        call: { messages: [{ role: 'user', content: 'Hello' }], continueAfterInterruption: true, ...call },
      }),
    );

  const faults: FaultName[] = [
    'refused',
    'reset',
    'unauthorized',
    'insufficient-quota',
    'forbidden',
    'model-not-found',
    'context-too-long',
    'rate-limited',
    'server-error',
    'unavailable',
    'overloaded',
    'malformed-chunk',
    'empty-answer',
  ];
  it.each(faults)('answers from the next backend when the first one fails with %s, and shows the attempts', async (fault) => {
    await setUp();
    await first.setFault(fault, { retryAfterSeconds: 0 });
    const events = await run({ rejectEmpty: true });
    const finish = events.find((event) => event.type === 'finish');
    expect(finish, JSON.stringify(events.filter((event) => event.type !== 'text-delta'))).toMatchObject({
      type: 'finish',
      connectionId: 'deepseek',
      text: 'From DeepSeek.',
    });
    expect(finish && finish.type === 'finish' && finish.attempts).toBeGreaterThanOrEqual(2);
    expect(
      events.some((event) => event.type === 'fallback' && event.from.connectionId === 'claude' && event.to.connectionId === 'deepseek'),
    ).toBe(true);
    expect(
      events.filter((event) => event.type === 'attempt-start').map((event) => event.type === 'attempt-start' && event.connectionId),
    ).toEqual(['claude', 'deepseek']);
    expect(second.counters.chat).toBe(1);
  });

  it('skips a provider the user turned off, saying so, and calls it again once it is back on', async () => {
    await setUp();
    const turnedOff = await core.services.connections.update({ id: 'claude', enabled: false });
    expect(turnedOff.connection.enabled).toBe(false);
    const plan = await core.services.router.plan({ kind: 'task', route: 'main', needs: [], estimatedInputTokens: 10, localOnly: false });
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['deepseek']);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ connectionId: 'claude', reason: 'disabled', message: 'Claude is turned off' }),
    ]);
    expect((await run()).at(-1)).toMatchObject({ type: 'finish', connectionId: 'deepseek', text: 'From DeepSeek.' });
    expect(first.counters.chat).toBe(0);
    await core.services.connections.update({ id: 'claude', enabled: true });
    expect((await run()).at(-1)).toMatchObject({ type: 'finish', connectionId: 'claude', text: 'From Claude.' });
    expect(first.counters.chat).toBe(1);
  });

  it('does not fall over on a bad request that would fail anywhere', async () => {
    await setUp();
    await first.setFault('bad-request');
    const events = await run();
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'bad_request' } });
    expect(second.counters.chat).toBe(0);
    expect(core.services.health.get('claude').color).not.toBe('red');
  });

  it('retries the same provider once with retries 1, then moves on', async () => {
    await setUp(1);
    await first.setFault('unavailable');
    const events = await run();
    expect(first.counters.chat).toBe(2);
    expect(
      events
        .filter((event) => event.type === 'attempt-error' && event.connectionId === 'claude')
        .map((event) => event.type === 'attempt-error' && event.willRetry),
    ).toEqual([true, false]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', connectionId: 'deepseek' });
  });

  it('a 429 with Retry-After: 30 answers from the next backend at once and leaves the first alone until then', async () => {
    await setUp(2);
    await first.setFault('rate-limited', { retryAfterSeconds: 30, on: 'all' });
    const started = Date.now();
    const events = await run();
    expect(events.at(-1)).toMatchObject({ type: 'finish', connectionId: 'deepseek', text: 'From DeepSeek.' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(first.counters.chat).toBe(1);
    const coolOff = core.services.health.get('claude').coolOff;
    expect(coolOff?.until).toBeGreaterThanOrEqual(started + 30_000);
    expect(coolOff?.until).toBeLessThanOrEqual(Date.now() + 30_000);

    // Later calls are planned around it, with the reason, and never reach it.
    const plan = await core.services.router.plan({ kind: 'task', route: 'main', needs: [], estimatedInputTokens: 10, localOnly: false });
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['deepseek']);
    expect(plan.skipped[0]).toMatchObject({ connectionId: 'claude', reason: 'cooling_off' });
    expect(plan.skipped[0]!.message).toMatch(/^Claude asked to wait \(rate limited\): skipped for another (29|30) s$/);
    for (let call = 0; call < 3; call += 1) expect((await run()).at(-1)).toMatchObject({ type: 'finish', connectionId: 'deepseek' });
    expect(first.counters.chat).toBe(1);
  });

  it('stops calling a backend once it is red, except for the single health probe', async () => {
    await setUp();
    await first.setFault('unavailable', { on: 'all' });
    for (let call = 0; call < 3; call += 1) await run();
    expect(core.services.health.get('claude').color).toBe('red');
    const chatCallsWhenRed = first.counters.chat;
    for (let call = 0; call < 4; call += 1) {
      const events = await run();
      expect(events.at(-1)).toMatchObject({ type: 'finish', connectionId: 'deepseek' });
    }
    expect(first.counters.chat).toBe(chatCallsWhenRed);
    // One token-free probe at a time, however many callers ask.
    const before = first.counters.models;
    await Promise.all([
      core.services.health.probeNow('claude'),
      core.services.health.probeNow('claude'),
      core.services.health.probeNow('claude'),
    ]);
    expect(first.counters.models - before).toBe(1);
    expect(first.counters.chat).toBe(chatCallsWhenRed);
  });

  it('a backend whose model list answers while its completions fail gets at most one real call per cool-down', async () => {
    await setUp();
    // Only completions fail: every token-free probe of the model list passes.
    await first.setFault('unavailable', { on: 'chat' });
    // Failures in a row turn it red (a passing start-up probe may first reset a yellow dot to green).
    for (let call = 0; call < 10 && core.services.health.get('claude').color !== 'red'; call += 1) await run();
    expect(core.services.health.get('claude').color).toBe('red');
    for (let coolDown = 0; coolDown < 3; coolDown += 1) {
      const before = first.counters.chat;
      // The cool-down passes: the monitor's probe finds the list answering and lets Claude in on trial.
      await core.services.health.probeNow('claude');
      expect(core.services.health.get('claude')).toMatchObject({ color: 'yellow', onTrial: true });
      // Callers at once and one after another: one real call decides, the rest go to DeepSeek.
      const together = await Promise.all([run(), run(), run()]);
      for (let call = 0; call < 3; call += 1) together.push(await run());
      for (const events of together) expect(events.at(-1)).toMatchObject({ type: 'finish', connectionId: 'deepseek' });
      expect(first.counters.chat - before).toBe(1);
      expect(core.services.health.get('claude')).toMatchObject({ color: 'red', onTrial: false });
    }
  });

  it('Test connection sends a one-token completion, so an account out of credits shows there', async () => {
    await setUp();
    await first.setFault('insufficient-quota');
    const failed = await core.services.connections.test('claude');
    expect(failed.ok).toBe(false);
    expect(failed.message).toContain('out of credits');
    expect(failed.health).toMatchObject({ color: 'red', reason: 'Out of credits' });
    const request = first.lastChatRequest()?.body as { max_tokens?: number };
    expect(request.max_tokens).toBe(1);

    await first.reset();
    const passed = await core.services.connections.test('claude');
    expect(passed.ok).toBe(true);
    expect(passed.message).toContain('claude-sonnet-4-6 answered');
    expect(passed.health).toMatchObject({ color: 'green', onTrial: false });
  });

  it('fails over after the latency budget when the first token stalls', async () => {
    await setUp();
    await first.setFault('slow-first-token', { delayMs: 3_000 });
    const started = Date.now();
    const events = await run({ firstTokenTimeoutMs: 400 });
    expect(events.at(-1)).toMatchObject({ type: 'finish', connectionId: 'deepseek', text: 'From DeepSeek.' });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(events.find((event) => event.type === 'attempt-error')).toMatchObject({ error: { code: 'timeout' } });
  });

  it('reports a stream that drops mid-answer, and never as a complete answer', async () => {
    await setUp();
    first.setReply('This answer is long enough to be cut off in the middle of its stream.');
    await first.setFault('drop-mid-stream', { afterChunks: 2 });
    const stopped = await run({ continueAfterInterruption: false });
    expect(stopped.some((event) => event.type === 'text-delta')).toBe(true);
    expect(stopped.some((event) => event.type === 'finish')).toBe(false);
    expect(stopped.find((event) => event.type === 'stream-interrupted')).toMatchObject({ connectionId: 'claude', continuing: false });
    expect(stopped.at(-1)).toMatchObject({ type: 'error', interrupted: true });

    const continued = await run({ continueAfterInterruption: true });
    expect(continued.find((event) => event.type === 'stream-interrupted')).toMatchObject({ continuing: true });
    expect(continued.at(-1)).toMatchObject({ type: 'finish', connectionId: 'deepseek', interrupted: true });
  });

  it('records every attempt in the call log, without keys', async () => {
    await setUp();
    await first.setFault('unavailable', { times: 1 });
    await run();
    const page = await core.services.callLog.page({});
    const rows = page.rows.slice(0, 2).reverse();
    expect(rows.map((row) => [row.connectionId, row.outcome, row.fallbackPosition])).toEqual([
      ['claude', 'error', 0],
      ['deepseek', 'success', 1],
    ]);
    const detail = await core.services.callLog.get(rows[1]!.id);
    expect(JSON.stringify(detail)).not.toContain('sk-ant-first-0001');
    expect(detail?.modelVersion).toContain('deepseek-chat');
  });
});
