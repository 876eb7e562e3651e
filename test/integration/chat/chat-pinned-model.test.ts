import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessageView } from '../../../src-shared/schemas/chat-ipc';
import { createGatewayServer } from '../../../src-main/gateway/gateway-server';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';

const GATEWAY_TOKEN = 'pinned-model-gateway-token-0123456789';

describe('a model pinned to one conversation', () => {
  let openai: FakeProviderServer;
  let claude: FakeProviderServer;
  let core: CoreHarness;
  let views: ChatMessageView[] = [];

  beforeAll(async () => {
    openai = await startFakeProviderServer({ reply: 'From the Primary.', models: ['gpt-4o-mini', 'gpt-4o'], name: 'openai' });
    claude = await startFakeProviderServer({ reply: 'From Claude.', models: ['claude-haiku-4-5', 'claude-sonnet-4-6'], name: 'claude' });
  });
  afterAll(async () => {
    await Promise.all([openai.close(), claude.close()]);
  });
  afterEach(async () => {
    await core?.stop();
    await Promise.all([openai.reset(), claude.reset()]);
  });

  async function finished(messageId: number): Promise<ChatMessageView> {
    for (let waited = 0; waited < 15_000; waited += 20) {
      const view = views.find((item) => item.message.id === messageId && item.message.status !== 'streaming');
      if (view) return view;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`answer ${messageId} did not finish`);
  }

  /** OpenAI first (so it is the Primary), then Claude; both said to be cloud connections. */
  async function twoProviders() {
    views = [];
    core = await startCore({ events: { chatMessage: (view) => views.push(view) } });
    await core.add({
      kind: 'openai',
      name: 'OpenAI',
      baseUrl: `${openai.url}/v1`,
      apiKey: 'sk-openai-pin-0001',
      defaultModel: 'gpt-4o-mini',
      local: false,
    });
    await core.add({
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: claude.url,
      apiKey: 'sk-ant-pin-0001',
      defaultModel: 'claude-sonnet-4-6',
      local: false,
    });
    expect(core.services.settings.get().primaryConnectionId).toBe('openai');
  }

  const claudeModelsAsked = () =>
    claude.requests.filter((request) => request.path === '/v1/messages').map((request) => (request.body as { model?: string }).model);

  it('answers there, while other conversations, tasks and switchboard/primary still use the Primary', async () => {
    await twoProviders();
    const chat = core.services.chat;
    const pinnedConversation = await chat.create();
    const other = await chat.create();

    const pinned = await chat.pin(pinnedConversation.id, { connectionId: 'claude', model: 'claude-haiku-4-5' });
    expect(pinned.pinned).toEqual({ connectionId: 'claude', model: 'claude-haiku-4-5' });
    // Stored with the conversation: the list read back from SQLite carries it.
    expect((await chat.list()).find((item) => item.id === pinnedConversation.id)?.pinned).toEqual(pinned.pinned);

    const there = await chat.send(pinnedConversation.id, 'Which model is pinned here?');
    const thereAnswer = (await finished(there.assistantMessage.id)).message;
    expect(thereAnswer).toMatchObject({ status: 'complete', content: 'From Claude.' });
    expect(thereAnswer.provenance).toMatchObject({ connectionId: 'claude', modelRequested: 'claude-haiku-4-5' });
    // The pinned model, not the Claude selection's choice of the moment.
    expect(claudeModelsAsked()).toContain('claude-haiku-4-5');

    const elsewhere = await chat.send(other.id, 'And who answers here?');
    const elsewhereAnswer = (await finished(elsewhere.assistantMessage.id)).message;
    expect(elsewhereAnswer).toMatchObject({ status: 'complete', content: 'From the Primary.' });
    expect(elsewhereAnswer.provenance).toMatchObject({ connectionId: 'openai', modelRequested: 'gpt-4o-mini' });

    const task = await core.services.tasks.create({ agent: 'research', instruction: 'Find out about tides' });
    const done = await core.waitForTask(task.id, ['done', 'failed']);
    expect(done.status).toBe('done');
    expect(done.answer).toBe('From the Primary.');

    const gateway = createGatewayServer({
      runner: core.services.runner,
      settings: core.services.settings,
      tokenCounter: core.services.tokenCounter,
      tokens: () => ({ live: [{ client: 'test', token: GATEWAY_TOKEN }] }),
      allowedOrigins: () => [],
      logger: { debug: () => undefined, warn: () => undefined },
    });
    const address = await gateway.listen(0);
    try {
      const client = new OpenAI({ baseURL: `${address.url}/v1`, apiKey: GATEWAY_TOKEN, maxRetries: 0 });
      const { data, response } = await client.chat.completions
        .create({ model: 'switchboard/primary', messages: [{ role: 'user', content: 'Hello from a tool' }] })
        .withResponse();
      expect(data.choices[0]?.message.content).toBe('From the Primary.');
      expect(response.headers.get('x-switchboard-connection')).toBe('openai');
    } finally {
      await gateway.close();
    }

    // Unpinned, the conversation follows the Primary again.
    await chat.pin(pinnedConversation.id, null);
    const back = await chat.send(pinnedConversation.id, 'Back on the Primary?');
    expect((await finished(back.assistantMessage.id)).message.provenance?.connectionId).toBe('openai');
  });

  it('refuses a cloud model for a local-only conversation, and a connection that does not exist', async () => {
    await twoProviders();
    const local = await core.services.chat.create(true);
    await expect(core.services.chat.pin(local.id, { connectionId: 'claude', model: 'claude-haiku-4-5' })).rejects.toThrow(
      /Claude is not local, and this conversation is local only/,
    );
    await expect(core.services.chat.pin(local.id, { connectionId: 'gone', model: 'x' })).rejects.toThrow(/disconnected/);
    expect((await core.services.chat.list()).find((item) => item.id === local.id)?.pinned).toBeNull();
  });

  it('"Make this my Primary" changes the Primary and nothing else', async () => {
    await twoProviders();
    core.configure((settings) => ({
      ...settings,
      routing: {
        ...settings.routing,
        rules: [
          ...settings.routing.rules,
          { id: 'builder-rule', context: 'agent:builder', connectionId: 'openai', model: 'gpt-4o', priority: 0 },
        ],
      },
    }));
    const conversation = await core.services.chat.create();
    await core.services.chat.pin(conversation.id, { connectionId: 'claude', model: 'claude-haiku-4-5' });
    const before = core.services.settings.get();
    const builderBefore = await core.services.router.plan({
      kind: 'task',
      agent: 'builder',
      needs: [],
      estimatedInputTokens: 0,
      localOnly: false,
    });

    await core.services.connections.setPrimary('claude');

    const after = core.services.settings.get();
    expect(after.primaryConnectionId).toBe('claude');
    // Every other part of the settings (connections and their default models, rules, tiers, routes, agents) is as it was.
    expect({ ...after, primaryConnectionId: before.primaryConnectionId }).toEqual(before);
    const builderAfter = await core.services.router.plan({
      kind: 'task',
      agent: 'builder',
      needs: [],
      estimatedInputTokens: 0,
      localOnly: false,
    });
    expect(builderAfter.candidates[0]).toEqual(builderBefore.candidates[0]);
    expect(builderAfter.candidates[0]).toMatchObject({ connectionId: 'openai', model: 'gpt-4o' });
    // The conversation keeps its pin.
    expect((await core.services.chat.list()).find((item) => item.id === conversation.id)?.pinned).toEqual({
      connectionId: 'claude',
      model: 'claude-haiku-4-5',
    });
  });
});
