// "What answers this conversation" (DESIGN.md point 1): the one rule the chat service routes by
// and the chat header shows. Main and the renderer both ask it, so what the header says is what answers.
import type { Connection } from './connection';
import { isLocalConnection } from './locality';
import type { ConversationPin } from './stored-conversation';

type AnswererConnection = Pick<Connection, 'id' | 'name' | 'kind' | 'defaultModel' | 'baseUrl' | 'local' | 'enabled'>;

/** Who answers a conversation, and with which model. */
export type ConversationAnswerer =
  | {
      /** The user pinned this connection and model to the conversation in the model picker. */
      source: 'pinned';
      connection: AnswererConnection;
      model: string;
    }
  | {
      /** New conversations, and those whose pinned connection was removed, follow the Primary. */
      source: 'primary';
      connection: AnswererConnection;
      /** The Primary's default model; when it is Anthropic the Claude model selection picks per message. */
      model: string;
      claudeSelection: boolean;
      /** The conversation had a pin whose connection no longer exists. */
      pinGone: boolean;
    }
  | { source: 'none'; reason: string };

export interface AnswererSettings {
  connections: readonly AnswererConnection[];
  primaryConnectionId: string | null;
}

export function conversationAnswerer(
  settings: AnswererSettings,
  conversation: { pinned: ConversationPin | null } | null | undefined,
): ConversationAnswerer {
  const pin = conversation?.pinned ?? null;
  const pinned = pin ? settings.connections.find((connection) => connection.id === pin.connectionId) : undefined;
  if (pin && pinned) return { source: 'pinned', connection: pinned, model: pin.model };
  const primary = settings.connections.find((connection) => connection.id === settings.primaryConnectionId);
  if (!primary) return { source: 'none', reason: 'Add a provider first: chat answers from your Primary provider.' };
  return {
    source: 'primary',
    connection: primary,
    model: primary.defaultModel,
    claudeSelection: primary.kind === 'anthropic',
    pinGone: pin !== null,
  };
}

/** The models a conversation may pin: a local-only conversation offers local connections only. */
export function pinnableConnections<T extends Pick<Connection, 'baseUrl' | 'local'>>(connections: readonly T[], localOnly: boolean): T[] {
  return localOnly ? connections.filter((connection) => isLocalConnection(connection)) : [...connections];
}
