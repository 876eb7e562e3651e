import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationSearchHit } from '../../../src-shared/schemas/stored-conversation';
import { createConversationsRepository, type ConversationsRepository } from '../../../src-main/storage/conversations-repository';
import type { Database } from '../../../src-main/storage/database';
import { createMessagesRepository, type MessagesRepository } from '../../../src-main/storage/messages-repository';
import { manualClock, StorageFixture, failureCode } from './storage-fixture';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function highlighted(hit: ConversationSearchHit): string[] {
  return hit.highlights.map(([start, end]) => hit.snippet.slice(start, end));
}

describe('conversations repository', () => {
  let fixture: StorageFixture;
  let database: Database;
  let conversations: ConversationsRepository;
  let messages: MessagesRepository;
  const clock = manualClock();

  beforeEach(async () => {
    fixture = new StorageFixture();
    ({ database } = await fixture.open());
    conversations = createConversationsRepository(database, { now: clock.now, undoWindowMs: 10_000 });
    messages = createMessagesRepository(database, { now: clock.now });
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('creates, renames and flags a conversation local-only', async () => {
    const created = await conversations.create({ title: '  Trip plans  ' });
    expect(created).toMatchObject({ title: 'Trip plans', localOnly: false, messageCount: 0, preview: '', deletedAt: null });
    await conversations.rename(created.id, 'Trip to Lisbon');
    await conversations.setLocalOnly(created.id, true);
    expect(await conversations.get(created.id)).toMatchObject({ title: 'Trip to Lisbon', localOnly: true });
    expect((await conversations.create()).title).toBe('New conversation');
    expect(await failureCode(conversations.rename(created.id, '   '))).toBe('validation_failed');
    expect(await failureCode(conversations.rename('missing', 'x'))).toBe('not_found');
  });

  it('lists newest activity first with the last message preview and the message count', async () => {
    const older = await conversations.create({ title: 'Older' });
    clock.advance(1000);
    const newer = await conversations.create({ title: 'Newer' });
    clock.advance(1000);
    await messages.appendUserMessage({ conversationId: older.id, content: 'What is the capital\nof Portugal?' });
    clock.advance(1000);
    const answer = await messages.startAssistantMessage(older.id);
    let list = await conversations.list();
    // A message makes the older conversation the most recent; an empty streaming answer is not the preview.
    expect(list.map((item) => item.id)).toEqual([older.id, newer.id]);
    expect(list[0]).toMatchObject({ messageCount: 2, preview: 'What is the capital of Portugal?', previewRole: 'user' });
    await messages.appendText(answer.id, 'Lisbon.');
    list = await conversations.list();
    expect(list[0]).toMatchObject({ preview: 'Lisbon.', previewRole: 'assistant' });
    expect(list[1]).toMatchObject({ messageCount: 0, preview: '', previewRole: null });
    expect(await conversations.list({ limit: 1, offset: 1 })).toHaveLength(1);
  });

  it('deletes softly, restores within the undo window, and purges after it', async () => {
    const kept = await conversations.create({ title: 'Kept' });
    const gone = await conversations.create({ title: 'Gone' });
    await messages.appendUserMessage({ conversationId: gone.id, content: 'secret plans for the weekend' });

    await conversations.softDelete(gone.id);
    expect((await conversations.list()).map((item) => item.id)).toEqual([kept.id]);
    expect((await conversations.list({ deleted: true })).map((item) => item.id)).toEqual([gone.id]);
    expect(await conversations.search('weekend')).toEqual([]);
    expect(await failureCode(messages.appendUserMessage({ conversationId: gone.id, content: 'late' }))).toBe('not_found');

    clock.advance(5_000);
    expect(await conversations.purgeDeleted()).toBe(0);
    await conversations.restore(gone.id);
    expect((await conversations.list()).map((item) => item.id).sort()).toEqual([kept.id, gone.id].sort());
    expect((await conversations.search('weekend')).map((hit) => hit.conversationId)).toEqual([gone.id]);

    await conversations.softDelete(gone.id);
    clock.advance(10_001);
    expect(await failureCode(conversations.restore(gone.id))).toBe('not_found');
    expect(await conversations.purgeDeleted()).toBe(1);
    expect(await conversations.get(gone.id)).toBeNull();
    expect(await database.get('SELECT count(*) AS count FROM messages WHERE conversation_id = ?', [gone.id])).toEqual({ count: 0 });
    expect(await conversations.get(kept.id)).not.toBeNull();
    // The external-content search index still matches the messages table after cascaded deletes.
    await database.run("INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 1)");
  });

  it('searches titles and message text with full-text search, one hit per conversation, with highlights', async () => {
    const rust = await conversations.create({ title: 'Rust borrow checker' });
    const cooking = await conversations.create({ title: 'Dinner' });
    await messages.appendUserMessage({ conversationId: cooking.id, content: 'How long do I roast vegetables? Roasting times vary.' });
    await messages.appendUserMessage({ conversationId: rust.id, content: 'Why does the borrow checker reject this?' });
    const streaming = await messages.startAssistantMessage(cooking.id);
    await messages.appendText(streaming.id, 'Paprika goes well with it');

    const titleHits = await conversations.search('borrow');
    expect(titleHits).toHaveLength(1);
    expect(titleHits[0]).toMatchObject({ conversationId: rust.id, messageId: null, title: 'Rust borrow checker' });
    expect(highlighted(titleHits[0]!)).toEqual(['borrow']);

    // Prefix matching: "roast" finds "Roasting" too; every word must be present.
    const textHits = await conversations.search('roast veg');
    expect(textHits.map((hit) => hit.conversationId)).toEqual([cooking.id]);
    expect(textHits[0]!.messageId).not.toBeNull();
    expect(highlighted(textHits[0]!).map((word) => word.toLowerCase())).toEqual(['roast', 'vegetables', 'roasting']);
    expect(await conversations.search('roast chicken')).toEqual([]);

    // A streaming answer is indexed once it finishes.
    expect(await conversations.search('paprika')).toEqual([]);
    await messages.finishAssistantMessage(streaming.id, { status: 'complete' });
    expect((await conversations.search('paprika')).map((hit) => hit.conversationId)).toEqual([cooking.id]);

    await conversations.rename(rust.id, 'Ownership questions');
    expect((await conversations.search('ownership'))[0]).toMatchObject({ conversationId: rust.id, messageId: null });
    expect(await conversations.search('"  ')).toEqual([]);
    await database.run("INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 1)");
  });

  it('searches with LIKE when the database has no full-text index', async () => {
    const withoutSearchIndex: Database = { ...database, features: { ...database.features, fullTextSearch: false } };
    const likeConversations = createConversationsRepository(withoutSearchIndex, { now: clock.now });
    const rust = await likeConversations.create({ title: 'Rust borrow checker' });
    const literal = await likeConversations.create({ title: 'Percentages' });
    await messages.appendUserMessage({ conversationId: literal.id, content: 'Is 100% the same as 1.0? Also 50_50 odds.' });

    expect((await likeConversations.search('BORROW')).map((hit) => hit.conversationId)).toEqual([rust.id]);
    const hits = await likeConversations.search('100%');
    expect(hits.map((hit) => hit.conversationId)).toEqual([literal.id]);
    expect(highlighted(hits[0]!)).toEqual(['100%']);
    // % and _ are matched literally, not as wildcards.
    expect(await likeConversations.search('1%0')).toEqual([]);
    expect((await likeConversations.search('50_50')).map((hit) => hit.conversationId)).toEqual([literal.id]);
  });

  it('treats NUL and other control characters in the search box as spaces, with and without the full-text index', async () => {
    const withoutSearchIndex: Database = { ...database, features: { ...database.features, fullTextSearch: false } };
    const likeConversations = createConversationsRepository(withoutSearchIndex, { now: clock.now });
    const rust = await conversations.create({ title: 'Rust borrow checker' });
    for (const repository of [conversations, likeConversations]) {
      expect((await repository.search('borrow\u0000')).map((hit) => hit.conversationId)).toEqual([rust.id]);
      expect((await repository.search('rust\u0000borrow')).map((hit) => hit.conversationId)).toEqual([rust.id]);
      expect((await repository.search('\u0000borrow\u0001\u007f')).map((hit) => hit.conversationId)).toEqual([rust.id]);
      expect(await repository.search('\u0000')).toEqual([]);
    }
  });

  it('exports one conversation as Markdown with role headings, code verbatim and images named', async () => {
    const conversation = await conversations.create({ title: 'Sorting in Python' });
    const code = '```python\ndef sort(items):\n    return sorted(items, key=lambda x: x["name"])  # `keep` *this*\n```';
    await messages.appendUserMessage({
      conversationId: conversation.id,
      content: [
        { type: 'text', text: 'What is wrong with this screenshot?' },
        { type: 'image', mediaType: 'image/png', data: PNG },
      ],
    });
    const answer = await messages.startAssistantMessage(conversation.id);
    await messages.appendText(answer.id, `Use this:\n\n${code}`);
    await messages.finishAssistantMessage(answer.id, {
      status: 'complete',
      provenance: {
        connectionId: 'c1',
        connectionName: 'My Claude',
        providerKind: 'anthropic',
        modelRequested: 'claude-sonnet-4-5',
        attempts: 1,
      },
    });
    const cut = await messages.startAssistantMessage(conversation.id);
    await messages.appendText(cut.id, 'Partial');
    await messages.finishAssistantMessage(cut.id, { status: 'cut' });

    const markdown = await conversations.exportMarkdown(conversation.id);
    expect(markdown).toBe(
      [
        '# Sorting in Python',
        '## You',
        'What is wrong with this screenshot?\n\n_[image attached: image/png]_',
        '## Assistant',
        '_My Claude · claude-sonnet-4-5_',
        `Use this:\n\n${code}`,
        '## Assistant',
        'Partial',
        '_The answer was cut off at the output token limit._',
      ].join('\n\n') + '\n',
    );
    expect(markdown).not.toContain(PNG);
    expect(await failureCode(conversations.exportMarkdown('missing'))).toBe('not_found');
  });
});
