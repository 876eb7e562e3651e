import { describe, expect, it } from 'vitest';
import { coalesceStreamedText, STREAMED_TEXT_WAIT_MS, type Timers } from '../../../src-main/app/event-sender';

function harness() {
  const sent: Array<[string, unknown]> = [];
  const due: Array<{ callback: () => void; ms: number; cleared: boolean }> = [];
  const timers: Timers = {
    set: (callback, ms) => {
      const entry = { callback, ms, cleared: false };
      due.push(entry);
      return entry;
    },
    clear: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  };
  const send = coalesceStreamedText((channel, payload) => sent.push([channel, payload]), timers);
  const tick = () => due.splice(0).forEach((entry) => !entry.cleared && entry.callback());
  return { sent, due, send, tick };
}

const delta = (text: string, messageId = 7) => ({ conversationId: 'c1', messageId, text });

describe('streamed text to the window', () => {
  it('joins the tokens of one answer into one message about a frame later', () => {
    const { sent, due, send, tick } = harness();
    for (const token of ['Hel', 'lo', ', wor', 'ld']) send('app:chat.delta', delta(token));
    expect(sent).toEqual([]);
    expect(due.map((entry) => entry.ms)).toEqual([STREAMED_TEXT_WAIT_MS]);
    tick();
    expect(sent).toEqual([['app:chat.delta', delta('Hello, world')]]);
    send('app:chat.delta', delta('!'));
    tick();
    expect(sent.at(-1)).toEqual(['app:chat.delta', delta('!')]);
  });

  it('sends waiting text before any other event, so the window sees main’s order', () => {
    const { sent, send, tick } = harness();
    send('app:chat.delta', delta('The answer'));
    send('app:chat.delta', delta(' is 42'));
    send('app:chat.conversations', []);
    expect(sent).toEqual([
      ['app:chat.delta', delta('The answer is 42')],
      ['app:chat.conversations', []],
    ]);
    tick();
    expect(sent).toHaveLength(2);
  });

  it('keeps streams apart and never joins a loading marker or a task reset', () => {
    const { sent, send, tick } = harness();
    send('app:chat.delta', delta('a', 1));
    send('app:chat.delta', delta('b', 2));
    send('app:chat.delta', delta('c', 2));
    send('app:chat.delta', {
      conversationId: 'c1',
      messageId: 2,
      text: '',
      loading: { connectionName: 'Ollama', model: 'llama3', startedAt: 1 },
    });
    send('app:chat.delta', delta('d', 2));
    send('app:tasks.delta', { taskId: 't', text: 'x', reset: false });
    send('app:tasks.delta', { taskId: 't', text: '', reset: true });
    send('app:tasks.delta', { taskId: 't', text: 'y', reset: false });
    send('app:tasks.delta', { taskId: 't', text: 'z', reset: false });
    tick();
    expect(sent).toEqual([
      ['app:chat.delta', delta('a', 1)],
      ['app:chat.delta', delta('bc', 2)],
      [
        'app:chat.delta',
        { conversationId: 'c1', messageId: 2, text: '', loading: { connectionName: 'Ollama', model: 'llama3', startedAt: 1 } },
      ],
      ['app:chat.delta', delta('d', 2)],
      ['app:tasks.delta', { taskId: 't', text: 'x', reset: false }],
      ['app:tasks.delta', { taskId: 't', text: '', reset: true }],
      ['app:tasks.delta', { taskId: 't', text: 'yz', reset: false }],
    ]);
  });
});
