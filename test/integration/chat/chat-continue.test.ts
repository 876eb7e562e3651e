// An answer that stopped part way (the connection dropped) says so and continues through the normal chat
// call: the partial answer and an ask to go on are sent, the new text is added to what the answer had, and
// the answer keeps how routing chose its backend ("Why this provider?").
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessageView } from '../../../src-shared/schemas/chat-ipc';
import { CONTINUE_INSTRUCTION } from '../../../src-main/chat/chat-service';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';

describe('continuing an interrupted answer', () => {
  let openai: FakeProviderServer;
  let core: CoreHarness;
  let views: ChatMessageView[] = [];

  beforeAll(async () => {
    openai = await startFakeProviderServer({ reply: 'One two three four five six seven eight.', models: ['gpt-4o-mini'], name: 'openai' });
  });
  afterAll(async () => {
    await openai.close();
  });
  afterEach(async () => {
    await core?.stop();
    await openai.reset();
  });

  async function finished(messageId: number, after = 0): Promise<ChatMessageView> {
    for (let waited = 0; waited < 20_000; waited += 20) {
      const view = views.slice(after).find((item) => item.message.id === messageId && item.message.status !== 'streaming');
      if (view) return view;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`answer ${messageId} did not finish`);
  }

  it('keeps the partial text, sends it with an ask to go on, and adds the new text to the same answer', async () => {
    views = [];
    core = await startCore({ events: { chatMessage: (view) => views.push(view) } });
    await core.add({ kind: 'openai', name: 'Main', baseUrl: `${openai.url}/v1`, apiKey: 'sk-main-cont-0001', defaultModel: 'gpt-4o-mini' });
    const chat = core.services.chat;
    const conversation = await chat.create();

    await openai.setFault('drop-mid-stream', { afterChunks: 2 });
    const sent = await chat.send(conversation.id, 'Count to eight');
    const broken = (await finished(sent.assistantMessage.id)).message;
    expect(broken.status).toBe('interrupted');
    expect(broken.error?.code).not.toBe('aborted');
    const partial = broken.content;
    expect(partial.length).toBeGreaterThan(0);
    expect('One two three four five six seven eight.'.startsWith(partial)).toBe(true);

    await openai.setFault(null);
    openai.setReply(' and on to the end.');
    const seen = views.length;
    const continued = await chat.continue(conversation.id, broken.id);
    expect(continued.assistantMessage).toMatchObject({ id: broken.id, status: 'streaming', content: partial });
    const done = (await finished(broken.id, seen)).message;
    expect(done).toMatchObject({ id: broken.id, status: 'complete', content: `${partial} and on to the end.`, error: null });

    // The same chat call, with the partial answer last and the ask to go on after it.
    const body = openai.requests.filter((request) => request.path === '/v1/chat/completions').at(-1)?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(body.messages.slice(-3).map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(body.messages.at(-2)?.content)).toContain(partial.trim().slice(0, 10));
    expect(JSON.stringify(body.messages.at(-1)?.content)).toContain(CONTINUE_INSTRUCTION);

    // Why this provider: the Primary, with what happened on the way, each line timed.
    const route = done.provenance?.route;
    expect(route).toMatchObject({ source: 'primary' });
    expect(route?.reason.length).toBeGreaterThan(0);
    expect(route?.trace.map((line) => line.type)).toEqual(expect.arrayContaining(['attempt-start', 'finish']));
    expect(route?.trace.every((line, index, all) => index === 0 || line.at >= all[index - 1]!.at)).toBe(true);

    // Only a stopped answer continues: a complete one is refused with a reason.
    await expect(chat.continue(conversation.id, broken.id)).rejects.toMatchObject({ appError: { code: 'conflict' } });
  }, 120_000);
});
