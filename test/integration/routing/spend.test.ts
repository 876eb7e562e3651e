import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../../src-shared/schemas/execution-event';
import type { Notice } from '../../../src-shared/schemas/notice';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';

async function collect(events: AsyncGenerator<ExecutionEvent, unknown>): Promise<ExecutionEvent[]> {
  const all: ExecutionEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('spend: prices from the price list', () => {
  let claude: FakeProviderServer;
  let custom: FakeProviderServer;
  let core: CoreHarness;

  beforeAll(async () => {
    claude = await startFakeProviderServer({ reply: 'From Claude.', models: ['claude-sonnet-4-6'], name: 'claude' });
    custom = await startFakeProviderServer({ reply: 'From my model.', models: ['my-finetune'], name: 'custom' });
  });
  afterAll(async () => {
    await Promise.all([claude.close(), custom.close()]);
  });
  afterEach(async () => {
    await core?.stop();
    await Promise.all([claude.reset(), custom.reset()]);
  });

  let notices: Notice[] = [];

  async function setUp() {
    notices = [];
    core = await startCore({ events: { notice: (notice) => notices.push(notice) } });
    await core.add({
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: claude.url,
      apiKey: 'sk-ant-spend-0001',
      defaultModel: 'claude-sonnet-4-6',
    });
    await core.add({ kind: 'custom', name: 'Mine', baseUrl: `${custom.url}/v1`, apiKey: 'sk-custom-0001', defaultModel: 'my-finetune' });
  }

  const ask = (connectionId: string, model: string) =>
    collect(
      core.services.runner.run({
        source: 'gateway',
        route: { kind: 'gateway', override: { connectionId, model }, needs: [], estimatedInputTokens: 10, localOnly: false },
        call: { messages: [{ role: 'user', content: 'Hello' }], continueAfterInterruption: true },
      }),
    );

  it('a call on the default Claude model costs more than nothing, logged and counted against the month', async () => {
    await setUp();
    const events = await ask('claude', 'claude-sonnet-4-6');
    const usage = events.find((event) => event.type === 'usage');
    expect(usage).toMatchObject({ type: 'usage', connectionId: 'claude' });
    const cost = usage?.type === 'usage' ? usage.costUsd : undefined;
    expect(cost).toBeGreaterThan(0);
    if (usage?.type === 'usage') expect(cost).toBeCloseTo((usage.inputTokens * 3 + usage.outputTokens * 15) / 1_000_000, 12);
    const page = await core.services.callLog.page({});
    expect(page.rows[0]?.costUsd).toBeCloseTo(cost ?? 0, 12);
    const spend = await core.services.callLog.monthToDateSpend();
    expect(spend.find((row) => row.connectionId === 'claude')).toMatchObject({ calls: 1, unpricedCalls: 0 });
  });

  it('an unknown price stays unknown: no cost on the call, and totals say they are a lower bound', async () => {
    await setUp();
    await ask('claude', 'claude-sonnet-4-6');
    const events = await ask('mine', 'my-finetune');
    const usage = events.find((event) => event.type === 'usage');
    expect(usage?.type === 'usage' && usage.inputTokens > 0).toBe(true);
    expect(usage).not.toHaveProperty('costUsd');
    const page = await core.services.callLog.page({ connectionIds: ['mine'] });
    expect(page.rows[0]?.costUsd).toBeNull();
    const aggregates = await core.services.callLog.aggregate({ bucket: 'day', groupBy: 'connection' });
    expect(aggregates.find((row) => row.key === 'mine')).toMatchObject({ unpricedCalls: 1, costUsd: 0 });
    expect(aggregates.find((row) => row.key === 'claude')).toMatchObject({ unpricedCalls: 0 });
  });

  it('a price the user typed wins over the list', async () => {
    await setUp();
    const view = (await core.services.connections.list()).find((item) => item.connection.id === 'claude');
    const facts = view?.connection.models.find((model) => model.id === 'claude-sonnet-4-6');
    expect(facts).toMatchObject({ inputPricePerMillion: 3, outputPricePerMillion: 15, pricedByUser: false });
    if (!facts) throw new Error('no facts');
    await core.services.connections.setModelFacts('claude', {
      ...facts,
      inputPricePerMillion: 30,
      outputPricePerMillion: 150,
      pricedByUser: true,
    });
    const events = await ask('claude', 'claude-sonnet-4-6');
    const usage = events.find((event) => event.type === 'usage');
    if (usage?.type !== 'usage') throw new Error('no usage');
    expect(usage.costUsd).toBeCloseTo((usage.inputTokens * 30 + usage.outputTokens * 150) / 1_000_000, 12);
  });

  describe('monthly caps', () => {
    const task = () =>
      collect(
        core.services.runner.run({
          source: 'task',
          route: { kind: 'task', needs: [], estimatedInputTokens: 10, localOnly: false },
          call: { messages: [{ role: 'user', content: 'Hello' }], continueAfterInterruption: true },
        }),
      );
    const answeredBy = (events: ExecutionEvent[]) => events.find((event) => event.type === 'finish');

    async function withCap(fraction: number) {
      await setUp();
      // Claude first for tasks, my model second.
      core.configure((settings) => ({
        ...settings,
        primaryConnectionId: 'claude',
        routing: {
          ...settings.routing,
          defaultSameProviderRetries: 0,
          rules: [
            { id: 'r1', context: 'default', connectionId: 'claude', priority: 0 },
            { id: 'r2', context: 'default', connectionId: 'mine', priority: 5 },
          ],
        },
      }));
      // One call tells what a call costs; the cap is set so that the next call crosses `fraction` of it.
      const first = await task();
      const usage = first.find((event) => event.type === 'usage');
      const cost = usage?.type === 'usage' ? (usage.costUsd ?? 0) : 0;
      expect(cost).toBeGreaterThan(0);
      const cap = (2 * cost) / fraction;
      const view = await core.services.connections.update({ id: 'claude', monthlyBudgetUsd: cap });
      expect(view.connection.monthlyBudgetUsd).toBeCloseTo(cap, 12);
      return { cost, cap };
    }

    const until = async (check: () => boolean) => {
      for (let waited = 0; !check() && waited < 15_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    };

    it('at 80% of the cap, a warning once; the connection still answers', async () => {
      await withCap(0.85);
      expect(answeredBy(await task())).toMatchObject({ connectionId: 'claude' });
      await until(() => notices.length > 0);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ id: 'budget-claude', level: 'warning', title: 'Claude has used 85% of its monthly cap' });
      // Still under the cap: Claude answers, which takes it over the cap (127%), and the user is told.
      expect(answeredBy(await task())).toMatchObject({ connectionId: 'claude' });
      await until(() => notices.length > 1);
      expect(notices.map((notice) => notice.level)).toEqual(['warning', 'error']);
      expect(answeredBy(await task())).toMatchObject({ connectionId: 'mine' });
      expect(notices).toHaveLength(2);
    });

    it('over the cap, the connection is skipped with that reason and the next backend answers; the notice names it', async () => {
      await withCap(1);
      expect(answeredBy(await task())).toMatchObject({ connectionId: 'claude' });
      await until(() => notices.some((notice) => notice.level === 'error'));
      const over = notices.find((notice) => notice.level === 'error');
      expect(over?.title).toBe('Claude reached its monthly cap');
      expect(over?.detail).toContain('now go to Mine (my-finetune)');
      const plan = await core.services.router.plan({ kind: 'task', needs: [], estimatedInputTokens: 10, localOnly: false });
      expect(plan.skipped).toContainEqual(expect.objectContaining({ connectionId: 'claude', reason: 'over_budget' }));
      expect(plan.skipped.find((skip) => skip.connectionId === 'claude')?.message).toMatch(/reached its monthly cap/);
      const events = await task();
      expect(answeredBy(events)).toMatchObject({ connectionId: 'mine' });
      expect(claude.counters.chat).toBe(2);
    });
  });
});
