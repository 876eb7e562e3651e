import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessageView } from '../../../src-shared/schemas/chat-ipc';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';

describe('chat on a Primary over its monthly cap', () => {
  let claude: FakeProviderServer;
  let custom: FakeProviderServer;
  let core: CoreHarness;
  let views: ChatMessageView[] = [];

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

  /** The finished view of an answer (sent when it stops streaming). */
  async function finished(messageId: number): Promise<ChatMessageView> {
    for (let waited = 0; waited < 15_000; waited += 20) {
      const view = views.find((item) => item.message.id === messageId && item.message.status !== 'streaming');
      if (view) return view;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`answer ${messageId} did not finish`);
  }

  /** Chat requests Claude received carrying this question (the conversation's title call aside). */
  const sentToClaude = (question: string) =>
    claude.requests.filter((request) => request.path === '/v1/messages' && JSON.stringify(request.body).includes(question)).length;

  it('says so and offers "Retry on X" and "Answer anyway this once", which lifts the cap for that one answer only', async () => {
    views = [];
    core = await startCore({ events: { chatMessage: (view) => views.push(view) } });
    await core.add({
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: claude.url,
      apiKey: 'sk-ant-cap-0001',
      defaultModel: 'claude-sonnet-4-6',
    });
    await core.add({
      kind: 'custom',
      name: 'Mine',
      baseUrl: `${custom.url}/v1`,
      apiKey: 'sk-custom-cap-0001',
      defaultModel: 'my-finetune',
    });
    const chat = core.services.chat;
    const conversation = await chat.create();

    // One answer from Claude (Primary) costs something; then the cap is set below what was spent.
    const first = await chat.send(conversation.id, 'Hello');
    const cost = (await finished(first.assistantMessage.id)).message.provenance?.costUsd ?? 0;
    expect(cost).toBeGreaterThan(0);
    await core.services.connections.update({ id: 'claude', monthlyBudgetUsd: cost / 2 });

    const over = await chat.send(conversation.id, 'And again?');
    const refused = await finished(over.assistantMessage.id);
    expect(refused.message.status).toBe('error');
    expect(refused.message.error).toMatchObject({ code: 'budget_exceeded', provider: 'claude' });
    expect(refused.message.error?.message).toMatch(/^Claude reached its monthly cap of \$0\.00 \(\$0\.00 spent this month\)\.$/);
    expect(refused.retryOn).toEqual({ connectionId: 'mine', connectionName: 'Mine' });
    expect(sentToClaude('And again?')).toBe(0);

    // "Retry on Mine" answers from the next backend.
    const retried = await chat.retry(conversation.id, over.assistantMessage.id, 'mine');
    expect((await finished(retried.assistantMessage.id)).message).toMatchObject({ status: 'complete', content: 'From my model.' });

    // "Answer anyway this once" sends this one message on Claude...
    const anyway = await chat.answerAnyway(conversation.id, retried.assistantMessage.id);
    const answered = await finished(anyway.assistantMessage.id);
    expect(answered.message).toMatchObject({ status: 'complete', content: 'From Claude.' });
    expect(answered.message.provenance?.connectionId).toBe('claude');
    expect(sentToClaude('And again?')).toBe(1);

    // ...and only that one: the next message is refused again.
    const next = await chat.send(conversation.id, 'One more?');
    expect((await finished(next.assistantMessage.id)).message.error?.code).toBe('budget_exceeded');
    expect(sentToClaude('One more?')).toBe(0);
  }, 120_000);
});
