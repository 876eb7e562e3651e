import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTaskHandlers } from '../../../src-main/ipc/task-handlers';
import { routeHostsTo, startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';

const PLAN = JSON.stringify({ goal: 'Ship it', steps: [{ title: 'Write the code' }, { title: 'Test it' }] });
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('background tasks through agents', () => {
  let claude: FakeProviderServer;
  let deepseek: FakeProviderServer;
  let ollama: FakeProviderServer;
  let core: CoreHarness;

  beforeAll(async () => {
    claude = await startFakeProviderServer({ reply: 'Claude here.', models: ['claude-sonnet-4-6'], name: 'claude' });
    deepseek = await startFakeProviderServer({ reply: 'DeepSeek here.', models: ['deepseek-chat'], name: 'deepseek' });
    ollama = await startFakeProviderServer({ reply: 'Ollama here.', models: ['llama3.1:8b'], name: 'ollama' });
  });
  afterAll(async () => {
    await Promise.all([claude.close(), deepseek.close(), ollama.close()]);
  });
  afterEach(async () => {
    await core?.stop();
    await Promise.all([claude.reset(), deepseek.reset(), ollama.reset()]);
  });

  /** The product docs' seed: Primary DeepSeek; builder and planner rules to Claude; default to DeepSeek. */
  async function seed(options: { withOllama?: boolean } = {}) {
    core = await startCore({ fetch: routeHostsTo({ 'api.anthropic.example': claude.url, 'api.deepseek.example': deepseek.url }) });
    await core.add({
      kind: 'deepseek',
      name: 'DeepSeek',
      baseUrl: 'https://api.deepseek.example/v1',
      apiKey: 'sk-deepseek-task-01',
      defaultModel: 'deepseek-chat',
    });
    await core.add({
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: 'https://api.anthropic.example',
      apiKey: 'sk-ant-task-01',
      defaultModel: 'claude-sonnet-4-6',
    });
    if (options.withOllama) await core.add({ kind: 'ollama', name: 'Ollama', baseUrl: ollama.url, defaultModel: 'llama3.1:8b' });
    core.configure((settings) => ({
      ...settings,
      routing: {
        ...settings.routing,
        defaultSameProviderRetries: 0,
        rules: [
          { id: 'r1', context: 'agent:builder', connectionId: 'claude', priority: 0 },
          { id: 'r2', context: 'agent:planner', connectionId: 'claude', priority: 0 },
          { id: 'r3', context: 'default', connectionId: 'deepseek', priority: 0 },
        ],
      },
    }));
  }

  it('sends builder tasks to Claude and research tasks to DeepSeek, as the rules say', async () => {
    await seed();
    const builder = await core.services.tasks.create({ agent: 'builder', instruction: 'Write a function' });
    expect(await core.waitForTask(builder.id, ['done', 'failed'])).toMatchObject({ status: 'done', answer: 'Claude here.' });
    const research = await core.services.tasks.create({ agent: 'research', instruction: 'Find out about tides' });
    expect(await core.waitForTask(research.id, ['done', 'failed'])).toMatchObject({ status: 'done', answer: 'DeepSeek here.' });
    expect([claude.counters.chat, deepseek.counters.chat]).toEqual([1, 1]);
    const trace = (await core.services.tasks.get(builder.id)).trace;
    expect(trace.find((event) => event.type === 'attempt-start')).toMatchObject({ connectionId: 'claude', source: 'agent-rule' });
  });

  it('skips a text-only backend for an image task and picks one that can see', async () => {
    await seed();
    const task = await core.services.tasks.create({
      agent: 'research',
      instruction: 'What is in this picture?',
      attachments: [{ type: 'image', mediaType: 'image/png', data: PIXEL }],
    });
    expect(await core.waitForTask(task.id, ['done', 'failed'])).toMatchObject({ status: 'done', answer: 'Claude here.' });
    expect(deepseek.counters.chat).toBe(0);
    const body = JSON.stringify(claude.lastChatRequest()?.body);
    expect(body).toContain(PIXEL);
  });

  it.each([
    ['an answer that breaks the schema', 'Sure! Here is my plan: step one, then step two.'],
    ['an empty answer', ''],
  ])('escalates %s on the cheap backend and keeps the valid answer', async (_label, cheapReply) => {
    await seed();
    // planner -> DeepSeek first (cheap), then the premium tier's Claude.
    core.configure((settings) => ({
      ...settings,
      routing: {
        ...settings.routing,
        rules: [{ id: 'p', context: 'agent:planner', connectionId: 'deepseek', priority: 0 }],
        tiers: settings.routing.tiers.map((tier) =>
          tier.id === 'standard'
            ? {
                ...tier,
                entries: [{ connectionId: 'deepseek', model: 'deepseek-chat', priority: 0, maxInputTokens: null, maxOutputTokens: null }],
              }
            : tier.id === 'premium'
              ? {
                  ...tier,
                  entries: [
                    { connectionId: 'claude', model: 'claude-sonnet-4-6', priority: 0, maxInputTokens: null, maxOutputTokens: null },
                  ],
                }
              : tier,
        ),
      },
    }));
    deepseek.setReply(cheapReply);
    if (cheapReply === '') await deepseek.setFault('empty-answer');
    claude.setReply(PLAN);
    const task = await core.services.tasks.create({ agent: 'planner', instruction: 'Plan the release' });
    const done = await core.waitForTask(task.id, ['done', 'failed']);
    expect(done).toMatchObject({ status: 'done', output: JSON.parse(PLAN) });
    const starts = done.trace.filter((event) => event.type === 'attempt-start');
    expect(starts.map((event) => event.connectionId)).toEqual(['deepseek', 'claude']);
    expect(done.trace.find((event) => event.type === 'fallback')).toMatchObject({ escalation: true });
    // The planner now prefers the stronger backend for a while.
    expect(core.services.settings.get().escalations.planner).toMatchObject({ to: { connectionId: 'claude' } });
    const next = await core.services.router.plan({ kind: 'task', agent: 'planner', needs: [], estimatedInputTokens: 10, localOnly: false });
    expect(next.candidates[0]).toMatchObject({ connectionId: 'claude', source: 'escalation' });
  });

  it('pauses when every backend is down and resumes by itself when one comes back', async () => {
    await seed();
    await claude.setFault('refused');
    await deepseek.setFault('refused');
    const task = await core.services.tasks.create({ agent: 'builder', instruction: 'Write a function' });
    const paused = await core.waitForTask(task.id, ['paused', 'failed', 'done']);
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toMatch(/Waiting for (Claude|DeepSeek)/);
    await claude.setFault(null);
    // Health learns of the recovery from a token-free probe; the task then resumes on its own.
    await core.services.health.probeNow('claude');
    const done = await core.waitForTask(task.id, ['done', 'failed']);
    expect(done).toMatchObject({ status: 'done', answer: 'Claude here.' });
  });

  it('keeps a local-only task paused while Ollama is down, and never sends it to the cloud', async () => {
    await seed({ withOllama: true });
    await ollama.setFault('refused');
    const task = await core.services.tasks.create({ agent: 'research', instruction: 'Summarise my private notes', localOnly: true });
    const paused = await core.waitForTask(task.id, ['paused', 'failed', 'done']);
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toContain('Ollama');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await core.services.tasks.get(task.id)).status).toBe('paused');
    expect(claude.counters.chat + deepseek.counters.chat).toBe(0);
    for (const request of [...claude.requests, ...deepseek.requests])
      expect(JSON.stringify(request.body ?? '')).not.toContain('private notes');
    const plan = await core.services.router.plan({ kind: 'task', agent: 'research', needs: [], estimatedInputTokens: 10, localOnly: true });
    expect(plan.skipped.filter((skip) => skip.reason === 'not_local').map((skip) => skip.connectionId)).toContain('deepseek');

    await ollama.setFault(null);
    await core.services.health.probeNow('ollama');
    await core.services.tasks.retry(task.id);
    expect(await core.waitForTask(task.id, ['done', 'failed'])).toMatchObject({ status: 'done', answer: 'Ollama here.' });
    expect(claude.counters.chat + deepseek.counters.chat).toBe(0);
  });

  it('runs a task on the model it names (request model override), past the rules, and the next task routes as before', async () => {
    await seed();
    // Through the IPC handler, as the New task form sends it: builder's rule says Claude, this task names DeepSeek.
    const create = createTaskHandlers({ tasks: core.services.tasks, settings: core.services.settings })['app:tasks.create'];
    const payload = create.payload.parse({
      agent: 'builder',
      instruction: 'Write a function',
      modelOverride: { connectionId: 'deepseek', model: 'deepseek-chat' },
    });
    const named = await create.handle(payload);
    expect(named.modelOverride).toEqual({ connectionId: 'deepseek', model: 'deepseek-chat' });
    const done = await core.waitForTask(named.id, ['done', 'failed']);
    expect(done).toMatchObject({ status: 'done', answer: 'DeepSeek here.', modelOverride: { connectionId: 'deepseek' } });
    expect(done.trace.find((event) => event.type === 'attempt-start')).toMatchObject({
      connectionId: 'deepseek',
      model: 'deepseek-chat',
      source: 'override',
    });
    expect(deepseek.lastChatRequest()?.body).toMatchObject({ model: 'deepseek-chat' });
    expect(claude.counters.chat).toBe(0);

    // The override belonged to that one task: the next builder task follows the rule to Claude.
    const next = await core.services.tasks.create({ agent: 'builder', instruction: 'Write another' });
    expect(await core.waitForTask(next.id, ['done', 'failed'])).toMatchObject({
      status: 'done',
      answer: 'Claude here.',
      modelOverride: null,
    });

    // Naming a provider that does not exist is refused with the field it is about.
    await expect(
      core.services.tasks.create({ agent: 'builder', instruction: 'x', modelOverride: { connectionId: 'gone', model: 'm' } }),
    ).rejects.toMatchObject({ appError: { code: 'not_found', field: 'modelOverride' } });
  });
});
describe('tasks that can never run, and tasks that wait (DESIGN.md point 4)', () => {
  let deepseek: FakeProviderServer;
  let ollama: FakeProviderServer;
  let core: CoreHarness;

  beforeAll(async () => {
    deepseek = await startFakeProviderServer({ reply: 'DeepSeek here.', models: ['deepseek-chat'], name: 'deepseek' });
    ollama = await startFakeProviderServer({ reply: 'Ollama here.', models: ['llama3.1:8b'], name: 'ollama' });
  });
  afterAll(async () => {
    await Promise.all([deepseek.close(), ollama.close()]);
  });
  afterEach(async () => {
    await core?.stop();
    await Promise.all([deepseek.reset(), ollama.reset()]);
  });

  /** Primary DeepSeek (cloud, text only); Ollama added beside it but named by no rule. */
  async function seed(options: { withOllama?: boolean } = {}) {
    core = await startCore({ fetch: routeHostsTo({ 'api.deepseek.example': deepseek.url }) });
    await core.add({
      kind: 'deepseek',
      name: 'DeepSeek',
      baseUrl: 'https://api.deepseek.example/v1',
      apiKey: 'sk-deepseek-never-01',
      defaultModel: 'deepseek-chat',
    });
    if (options.withOllama) await core.add({ kind: 'ollama', name: 'Ollama', baseUrl: ollama.url, defaultModel: 'llama3.1:8b' });
    core.configure((settings) => ({ ...settings, routing: { ...settings.routing, defaultSameProviderRetries: 0 } }));
  }

  /** The state right after the task is created and one pump has run: no waiting on timers or health. */
  async function settled(id: string) {
    return core.waitForTask(id, ['failed', 'paused', 'done'], 1_000);
  }

  it('fails a task whose prompt is larger than every model allows, at once and with that reason', async () => {
    await seed();
    core.configure((settings) => ({
      ...settings,
      connections: settings.connections.map((connection) => ({
        ...connection,
        models: connection.models.map((facts) => ({ ...facts, contextWindow: 1_000, maxInputTokens: 1_000 })),
      })),
    }));
    const task = await core.services.tasks.create({ agent: 'research', instruction: 'Summarise this. '.repeat(2_000) });
    const ended = await settled(task.id);
    expect(ended.status).toBe('failed');
    expect(ended.error?.message).toMatch(/larger than every (candidate )?model allows/);
    expect(deepseek.counters.chat).toBe(0);
  });

  it('fails a task that needs a capability no connection has, at once and naming it', async () => {
    await seed();
    const task = await core.services.tasks.create({
      agent: 'research',
      instruction: 'What is in this picture?',
      attachments: [{ type: 'image', mediaType: 'image/png', data: PIXEL }],
    });
    const ended = await settled(task.id);
    expect(ended).toMatchObject({ status: 'failed', error: { code: 'unroutable' } });
    expect(ended.error?.message).toBe(
      'No connection has a model that can handle images (vision): add or enable a model that can, or remove what needs it',
    );
    expect(deepseek.counters.chat).toBe(0);
  });

  it('fails a local-only task at once when there is no local connection', async () => {
    await seed();
    const task = await core.services.tasks.create({ agent: 'research', instruction: 'Summarise my private notes', localOnly: true });
    const ended = await settled(task.id);
    expect(ended).toMatchObject({ status: 'failed', error: { code: 'unroutable' } });
    expect(ended.error?.message).toMatch(/^This work is local-only and there is no local connection/);
    expect(deepseek.counters.chat).toBe(0);
  });

  it('pauses while its own backend is red and leaves other connections idle, until the user lets any healthy provider answer', async () => {
    await seed({ withOllama: true });
    // The model list fails too: a list that answered would admit DeepSeek on trial (yellow) again.
    await deepseek.setFault('unauthorized', { on: 'all' });
    const first = await core.services.tasks.create({ agent: 'research', instruction: 'Find out about tides' });
    expect(await core.waitForTask(first.id, ['paused', 'failed', 'done'])).toMatchObject({ status: 'paused' });
    expect(core.services.health.get('deepseek').color).toBe('red');

    // DeepSeek is red now: the next task pauses before any call, and Ollama is not asked.
    const second = await core.services.tasks.create({ agent: 'research', instruction: 'Find out about currents' });
    const paused = await core.waitForTask(second.id, ['paused', 'failed', 'done']);
    expect(paused).toMatchObject({ status: 'paused', pausedReason: expect.stringMatching(/^Waiting for DeepSeek to recover/) });
    expect(ollama.counters.chat).toBe(0);

    core.configure((settings) => ({ ...settings, tasks: { ...settings.tasks, anyHealthyFallback: true } }));
    for (const id of [first.id, second.id]) {
      expect(await core.waitForTask(id, ['done', 'failed'])).toMatchObject({ status: 'done', answer: 'Ollama here.' });
    }
    const trace = (await core.services.tasks.get(second.id)).trace;
    expect(trace.find((event) => event.type === 'attempt-start')).toMatchObject({ connectionId: 'ollama', source: 'capability' });
  });
});

describe('an agent cost ceiling', () => {
  it('stops routing a task to paid models once the task has spent its ceiling', async () => {
    const server = await startFakeProviderServer({ reply: 'Paid answer.', models: ['gpt-4o'] });
    const core = await startCore({ fetch: routeHostsTo({ 'api.openai.example': server.url }) });
    try {
      await core.add({
        kind: 'openai',
        name: 'OpenAI',
        baseUrl: 'https://api.openai.example/v1',
        apiKey: 'sk-ceiling-0001',
        defaultModel: 'gpt-4o',
      });
      core.configure((settings) => ({
        ...settings,
        agents: [
          {
            name: 'frugal',
            description: '',
            systemPrompt: '',
            requiredCapabilities: [],
            outputSchema: null,
            latencyBudgetMs: null,
            costCeilingUsd: 0.000001,
            localOnly: false,
            builtIn: false,
          },
        ],
      }));
      const first = await core.services.tasks.create({ agent: 'frugal', instruction: 'Spend a little' });
      const done = await core.waitForTask(first.id, ['done', 'failed', 'paused']);
      expect(done.status).toBe('done');
      expect(done.costUsd).toBeGreaterThan(0.000001);
      const plan = await core.services.router.plan(
        { kind: 'task', agent: 'frugal', needs: [], estimatedInputTokens: 10, localOnly: false },
        { taskId: first.id },
      );
      expect(plan.candidates).toEqual([]);
      expect(plan.skipped.map((skip) => skip.reason)).toContain('over_budget');
    } finally {
      await core.stop();
      await server.close();
    }
  });
});
