import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { routeHostsTo, startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';

describe('tasks kept within a connection’s rate limits (real services, real SDKs)', () => {
  let claude: FakeProviderServer;
  let deepseek: FakeProviderServer;
  let core: CoreHarness;

  beforeAll(async () => {
    claude = await startFakeProviderServer({ reply: 'Claude here.', models: ['claude-sonnet-4-6'], name: 'claude' });
    deepseek = await startFakeProviderServer({ reply: 'DeepSeek here.', models: ['deepseek-chat'], name: 'deepseek' });
  });
  afterAll(async () => {
    await Promise.all([claude.close(), deepseek.close()]);
  });
  afterEach(async () => {
    await core?.stop();
    await Promise.all([claude.reset(), deepseek.reset()]);
  });

  it('a connection with a 2-requests-per-minute limit passes the third task to the next candidate, and says why', async () => {
    core = await startCore({ fetch: routeHostsTo({ 'api.anthropic.example': claude.url, 'api.deepseek.example': deepseek.url }) });
    await core.add({
      kind: 'deepseek',
      name: 'DeepSeek',
      baseUrl: 'https://api.deepseek.example/v1',
      apiKey: 'sk-deepseek-limit-01',
      defaultModel: 'deepseek-chat',
    });
    await core.add({
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: 'https://api.anthropic.example',
      apiKey: 'sk-ant-limit-01',
      defaultModel: 'claude-sonnet-4-6',
      rateLimits: { requestsPerMinute: 2, tokensPerMinute: null, concurrentCalls: null },
    });
    core.configure((settings) => ({
      ...settings,
      routing: {
        ...settings.routing,
        defaultSameProviderRetries: 0,
        rules: [
          { id: 'r1', context: 'agent:builder', connectionId: 'claude', priority: 0 },
          { id: 'r2', context: 'default', connectionId: 'deepseek', priority: 0 },
        ],
      },
    }));

    const answers: string[] = [];
    for (const instruction of ['Write a function', 'Write a test', 'Write the docs']) {
      const task = await core.services.tasks.create({ agent: 'builder', instruction });
      answers.push((await core.waitForTask(task.id, ['done', 'failed'])).answer ?? '');
    }
    expect(answers).toEqual(['Claude here.', 'Claude here.', 'DeepSeek here.']);
    expect([claude.counters.chat, deepseek.counters.chat]).toEqual([2, 1]);

    // The plan (and so the Route preview and the call log) names the reason.
    const plan = await core.services.router.plan({ kind: 'task', agent: 'builder', needs: [], estimatedInputTokens: 10, localOnly: false });
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['deepseek']);
    expect(plan.skipped[0]).toMatchObject({ connectionId: 'claude', reason: 'cooling_off' });
    expect(plan.skipped[0]!.message).toMatch(/^Claude is at its limit of 2 requests per minute: skipped for another (59|60) s$/);
    const [newest] = (await core.services.callLog.page()).rows;
    const third = await core.services.callLog.get(newest!.id);
    expect(third!.connectionId).toBe('deepseek');
    expect(third!.reasons.some((reason) => reason.message.startsWith('Claude is at its limit of 2 requests per minute'))).toBe(true);
  });

  it('with no other candidate a task waits for the provider’s window to open, and its trace says it waited', async () => {
    core = await startCore({ fetch: routeHostsTo({ 'api.anthropic.example': claude.url }) });
    await core.add({
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: 'https://api.anthropic.example',
      apiKey: 'sk-ant-limit-02',
      defaultModel: 'claude-sonnet-4-6',
    });
    // The provider's own word: no requests left for the next 2 seconds.
    claude.setChatResponseHeaders(() => ({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': new Date(Date.now() + 2_000).toISOString(),
    }));
    const first = await core.services.tasks.create({ agent: 'research', instruction: 'Find out about tides' });
    await core.waitForTask(first.id, ['done']);
    claude.setChatResponseHeaders(null);
    const connections = await core.services.connections.list();
    expect(connections[0]!.learnedRateLimits?.requests).toMatchObject({ limit: 50, remaining: 0 });

    const second = await core.services.tasks.create({ agent: 'research', instruction: 'Find out about waves' });
    const done = await core.waitForTask(second.id, ['done', 'failed']);
    expect(done).toMatchObject({ status: 'done', answer: 'Claude here.' });
    const waited = done.trace.find((event) => event.type === 'cool-off' && event.waiting);
    expect(waited).toBeDefined();
    expect(waited!.type === 'cool-off' && waited!.message).toMatch(
      /^Nothing else left: waiting [12] s for Claude, which has no requests left, the provider says$/,
    );
    const [firstCall, secondCall] = claude.requests.filter((request) => request.path === '/v1/messages');
    expect(secondCall!.at - firstCall!.at).toBeGreaterThanOrEqual(1_000);
  });
});
