import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageProvenance } from '../../../src-shared/schemas/stored-conversation';
import { createConversationsRepository, type ConversationsRepository } from '../../../src-main/storage/conversations-repository';
import type { Database } from '../../../src-main/storage/database';
import { createMessagesRepository, type MessagesRepository } from '../../../src-main/storage/messages-repository';
import { manualClock, StorageFixture, failureCode } from './storage-fixture';

const provenance: MessageProvenance = {
  connectionId: 'anthropic-main',
  connectionName: 'Claude',
  providerKind: 'anthropic',
  modelRequested: 'claude-sonnet-4-5',
  modelVersion: 'claude-sonnet-4-5-20250929',
  claudeTier: 'sonnet',
  claudeTierReason: 'Code question of medium length',
  timeToFirstTokenMs: 420,
  totalMs: 3100,
  inputTokens: 812,
  outputTokens: 240,
  costUsd: 0.006,
  attempts: 2,
  fallbackNote: 'Retried once after a 529 overloaded answer',
};

describe('messages repository', () => {
  let fixture: StorageFixture;
  let database: Database;
  let conversations: ConversationsRepository;
  let messages: MessagesRepository;
  const clock = manualClock();

  beforeEach(async () => {
    fixture = new StorageFixture();
    ({ database } = await fixture.open());
    conversations = createConversationsRepository(database, { now: clock.now });
    messages = createMessagesRepository(database, { now: clock.now });
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('saves a user message, streams an answer into a second one and finishes it with provenance', async () => {
    const conversation = await conversations.create({ title: 'Chat' });
    const question = await messages.appendUserMessage({ conversationId: conversation.id, content: 'Explain WAL mode' });
    expect(question).toMatchObject({ sequence: 1, role: 'user', content: 'Explain WAL mode', status: 'complete', parts: null });

    const answer = await messages.startAssistantMessage(conversation.id);
    expect(answer).toMatchObject({ sequence: 2, role: 'assistant', content: '', status: 'streaming', provenance: null });
    for (const piece of ['Write-ahead ', 'logging ', 'appends ', 'changes.']) await messages.appendText(answer.id, piece);
    clock.advance(3100);
    const finished = await messages.finishAssistantMessage(answer.id, { status: 'complete', provenance });
    expect(finished).toMatchObject({ content: 'Write-ahead logging appends changes.', status: 'complete', provenance });
    expect(finished.updatedAt).toBe(clock.now());
    expect(await messages.get(answer.id)).toEqual(finished);

    expect(await failureCode(messages.appendText(answer.id, 'late text'))).toBe('conflict');
    expect(await failureCode(messages.appendUserMessage({ conversationId: 'missing', content: 'x' }))).toBe('not_found');
    expect(await failureCode(messages.finishAssistantMessage(question.id, { status: 'complete' }))).toBe('not_found');
  });

  it('keeps images as content parts and their text searchable as content', async () => {
    const conversation = await conversations.create();
    const stored = await messages.appendUserMessage({
      conversationId: conversation.id,
      content: [
        { type: 'text', text: 'What bird is this?' },
        { type: 'image', mediaType: 'image/jpeg', data: 'AAEC' },
      ],
    });
    expect(stored.content).toBe('What bird is this?');
    expect(stored.parts).toEqual([
      { type: 'text', text: 'What bird is this?' },
      { type: 'image', mediaType: 'image/jpeg', data: 'AAEC' },
    ]);
    expect(await failureCode(messages.appendUserMessage({ conversationId: conversation.id, content: [] }))).toBe('validation_failed');
  });

  it('finishes answers as interrupted, cut or error, keeping the partial text and the error', async () => {
    const conversation = await conversations.create();
    const interrupted = await messages.startAssistantMessage(conversation.id);
    await messages.appendText(interrupted.id, 'Half an answ');
    expect(await messages.finishAssistantMessage(interrupted.id, { status: 'interrupted' })).toMatchObject({
      status: 'interrupted',
      content: 'Half an answ',
    });
    const failed = await messages.startAssistantMessage(conversation.id);
    const error = {
      code: 'rate_limited' as const,
      message: 'Claude is rate-limited',
      retryable: true,
      fallbackable: true,
      retryAfterMs: 2000,
    };
    expect(await messages.finishAssistantMessage(failed.id, { status: 'error', error })).toMatchObject({
      status: 'error',
      error,
      content: '',
    });
    const replaced = await messages.startAssistantMessage(conversation.id);
    await messages.appendText(replaced.id, 'from the first provider');
    expect(await messages.finishAssistantMessage(replaced.id, { status: 'cut', content: 'from the fallback' })).toMatchObject({
      status: 'cut',
      content: 'from the fallback',
    });
  });

  it('edits a user message and drops every message after it, for edit-and-resend', async () => {
    const conversation = await conversations.create();
    const other = await conversations.create();
    await messages.appendUserMessage({ conversationId: other.id, content: 'untouched' });
    const first = await messages.appendUserMessage({ conversationId: conversation.id, content: 'first question' });
    const firstAnswer = await messages.startAssistantMessage(conversation.id);
    await messages.finishAssistantMessage(firstAnswer.id, { status: 'complete', content: 'first answer' });
    const second = await messages.appendUserMessage({ conversationId: conversation.id, content: 'second question, typo' });
    const dropped = await messages.startAssistantMessage(conversation.id);

    const { message, removed } = await messages.editUserMessage(second.id, 'second question, fixed');
    expect(removed).toBe(1);
    expect(message).toMatchObject({ id: second.id, sequence: 3, content: 'second question, fixed' });
    const page = await messages.listPage({ conversationId: conversation.id });
    expect(page.messages.map((item) => item.content)).toEqual(['first question', 'first answer', 'second question, fixed']);
    expect(page.totalCount).toBe(3);
    // The next message continues the sequence and never reuses a dropped id.
    const resent = await messages.startAssistantMessage(conversation.id);
    expect(resent.sequence).toBe(4);
    expect(resent.id).toBeGreaterThan(dropped.id);

    expect((await messages.editUserMessage(first.id, 'only question')).removed).toBe(3);
    expect((await messages.listPage({ conversationId: other.id })).totalCount).toBe(1);
    expect(await failureCode(messages.editUserMessage(firstAnswer.id, 'x'))).toBe('not_found');
    // Edits and drops keep the full-text index in step with the messages table.
    await database.run("INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 1)");
  });

  it('pages a 10,000-message conversation newest first by sequence, with the total count', async () => {
    const conversation = await conversations.create({ title: 'Long' });
    const other = await conversations.create({ title: 'Other' });
    await database.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
      INSERT INTO messages (conversation_id, sequence, role, content, status, created_at, updated_at)
      SELECT '${conversation.id}', i, CASE i % 2 WHEN 1 THEN 'user' ELSE 'assistant' END, 'message ' || i, 'complete', i, i FROM n`);
    await messages.appendUserMessage({ conversationId: other.id, content: 'not part of the long one' });

    const first = await messages.listPage({ conversationId: conversation.id });
    expect(first.totalCount).toBe(10_000);
    expect(first.hasOlder).toBe(true);
    expect(first.messages).toHaveLength(100);
    expect(first.messages[0]!.content).toBe('message 9901');
    expect(first.messages.at(-1)!.content).toBe('message 10000');
    expect(first.messages.map((message) => message.sequence)).toEqual(Array.from({ length: 100 }, (_, index) => 9901 + index));

    const second = await messages.listPage({ conversationId: conversation.id, beforeSequence: first.messages[0]!.sequence });
    expect(second.messages.map((message) => message.sequence)).toEqual(Array.from({ length: 100 }, (_, index) => 9801 + index));

    const last = await messages.listPage({ conversationId: conversation.id, beforeSequence: 51, limit: 100 });
    expect(last.messages.map((message) => message.sequence)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(last.hasOlder).toBe(false);
    expect((await conversations.list()).find((item) => item.id === conversation.id)?.messageCount).toBe(10_000);
    expect(await failureCode(messages.listPage({ conversationId: 'missing' }))).toBe('not_found');
  });

  it('marks answers left streaming as interrupted at start-up, keeping their text', async () => {
    const conversation = await conversations.create();
    const done = await messages.startAssistantMessage(conversation.id);
    await messages.finishAssistantMessage(done.id, { status: 'complete', content: 'done' });
    const left = await messages.startAssistantMessage(conversation.id);
    await messages.appendText(left.id, 'partial');
    expect(await messages.markStreamingAsInterrupted()).toEqual([left.id]);
    expect(await messages.get(left.id)).toMatchObject({ status: 'interrupted', content: 'partial' });
    expect(await messages.get(done.id)).toMatchObject({ status: 'complete' });
    expect(await messages.markStreamingAsInterrupted()).toEqual([]);
  });
});
