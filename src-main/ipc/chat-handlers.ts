import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import {
  chatEditInputSchema,
  chatMessageRefSchema,
  chatRetryInputSchema,
  chatSendInputSchema,
  conversationCreateSchema,
  conversationPinInputSchema,
  conversationRefSchema,
  conversationRenameSchema,
  conversationSearchSchema,
} from '../../src-shared/schemas/chat-ipc';
import { messagePageQuerySchema } from '../../src-shared/schemas/stored-conversation';
import type { ChatService } from '../chat/chat-service';
import type { HandlerMap } from './handler-types';

type ChatChannel = Extract<keyof InvokeContract, `app:chat.${string}` | `app:clipboard.${string}`>;

export function createChatHandlers(deps: {
  chat: ChatService;
  writeClipboard(text: string): Promise<void> | void;
}): HandlerMap<ChatChannel> {
  const { chat } = deps;
  return {
    'app:chat.list': { payload: z.undefined(), handle: () => chat.list() },
    'app:chat.search': { payload: conversationSearchSchema, handle: ({ query }) => chat.search(query) },
    'app:chat.create': { payload: conversationCreateSchema, handle: ({ localOnly }) => chat.create(localOnly) },
    'app:chat.rename': { payload: conversationRenameSchema, handle: ({ id, title }) => chat.rename(id, title) },
    'app:chat.pin': { payload: conversationPinInputSchema, handle: ({ id, pinned }) => chat.pin(id, pinned) },
    'app:chat.remove': { payload: conversationRefSchema, handle: ({ id }) => chat.remove(id) },
    'app:chat.restore': { payload: conversationRefSchema, handle: ({ id }) => chat.restore(id) },
    'app:chat.export': { payload: conversationRefSchema, handle: ({ id }) => chat.exportMarkdown(id) },
    'app:chat.messages': { payload: messagePageQuerySchema.strict(), handle: (query) => chat.messages(query) },
    'app:chat.send': { payload: chatSendInputSchema, handle: ({ conversationId, content }) => chat.send(conversationId, content) },
    'app:chat.edit': {
      payload: chatEditInputSchema,
      handle: ({ conversationId, messageId, content }) => chat.edit(conversationId, messageId, content),
    },
    'app:chat.regenerate': {
      payload: chatMessageRefSchema,
      handle: ({ conversationId, messageId }) => chat.regenerate(conversationId, messageId),
    },
    'app:chat.retry': {
      payload: chatRetryInputSchema,
      handle: ({ conversationId, messageId, connectionId }) => chat.retry(conversationId, messageId, connectionId),
    },
    'app:chat.answerAnyway': {
      payload: chatMessageRefSchema,
      handle: ({ conversationId, messageId }) => chat.answerAnyway(conversationId, messageId),
    },
    'app:chat.continue': {
      payload: chatMessageRefSchema,
      handle: ({ conversationId, messageId }) => chat.continue(conversationId, messageId),
    },
    'app:chat.stop': { payload: chatMessageRefSchema, handle: ({ messageId }) => chat.stop(messageId) },
    'app:clipboard.write': {
      payload: z.object({ text: z.string().max(5_000_000) }).strict(),
      handle: ({ text }) => deps.writeClipboard(text),
    },
  };
}
