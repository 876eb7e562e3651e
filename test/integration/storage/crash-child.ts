// Run by crash-recovery.test.ts in its own Node process, which the test then kills with SIGKILL mid-answer.
import { openDatabase } from '../../../src-main/storage/database';
import { createConversationsRepository } from '../../../src-main/storage/conversations-repository';
import { createMessagesRepository } from '../../../src-main/storage/messages-repository';

const filePath = process.argv[2];
if (!filePath) throw new Error('usage: crash-child.ts <database file>');
const database = await openDatabase({ filePath, workerUrl: new URL('../../../src-main/storage/storage-worker.ts', import.meta.url) });
const conversations = createConversationsRepository(database);
const messages = createMessagesRepository(database);
const conversation = await conversations.create({ title: 'Crash' });
const question = await messages.appendUserMessage({ conversationId: conversation.id, content: 'Will this survive a crash?' });
const answer = await messages.startAssistantMessage(conversation.id);
for (const piece of ['Yes, ', 'every ', 'flush ', 'is ']) await messages.appendText(answer.id, piece);
process.stdout.write(`${JSON.stringify({ conversationId: conversation.id, questionId: question.id, answerId: answer.id })}\n`);
// Keep the process (and the open database) alive until the test kills it.
setInterval(() => undefined, 60_000);
