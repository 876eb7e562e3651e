// The never-lose guarantee: what the user typed, and the part of the answer already shown, survive a crash.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConversationsRepository } from '../../../src-main/storage/conversations-repository';
import { createMessagesRepository } from '../../../src-main/storage/messages-repository';
import { StorageFixture } from './storage-fixture';

describe('crash recovery', () => {
  let fixture: StorageFixture;
  beforeEach(() => {
    fixture = new StorageFixture();
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('keeps the user message and the partial answer when the worker is terminated without closing', async () => {
    const before = await fixture.open();
    const conversations = createConversationsRepository(before.database);
    const messages = createMessagesRepository(before.database);
    const conversation = await conversations.create({ title: 'Crash' });
    const question = await messages.appendUserMessage({ conversationId: conversation.id, content: 'Do not lose me' });
    const answer = await messages.startAssistantMessage(conversation.id);
    await messages.appendText(answer.id, 'The first ');
    await messages.appendText(answer.id, 'half');
    await before.workers[0]!.terminate();

    const after = await fixture.open();
    const reopened = createMessagesRepository(after.database);
    expect(await reopened.markStreamingAsInterrupted()).toEqual([answer.id]);
    const page = await reopened.listPage({ conversationId: conversation.id });
    expect(page.messages.map(({ id, role, content, status }) => ({ id, role, content, status }))).toEqual([
      { id: question.id, role: 'user', content: 'Do not lose me', status: 'complete' },
      { id: answer.id, role: 'assistant', content: 'The first half', status: 'interrupted' },
    ]);
  });

  it('keeps them when the whole process is killed (SIGKILL) mid-answer', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./crash-child.ts', import.meta.url)), fixture.filePath],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error(`the child process exited early: ${stderr}`)));
    });
    const ids = JSON.parse(line) as { conversationId: string; questionId: number; answerId: number };
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const { database } = await fixture.open();
    const messages = createMessagesRepository(database);
    expect(await messages.markStreamingAsInterrupted()).toEqual([ids.answerId]);
    const page = await messages.listPage({ conversationId: ids.conversationId });
    expect(page.messages.map(({ id, content, status }) => ({ id, content, status }))).toEqual([
      { id: ids.questionId, content: 'Will this survive a crash?', status: 'complete' },
      { id: ids.answerId, content: 'Yes, every flush is ', status: 'interrupted' },
    ]);
  });
});
