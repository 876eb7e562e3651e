// How a message row is selected and turned into the shared StoredMessage shape.
import { z } from 'zod';
import { appErrorSchema, type AppError } from '../../src-shared/errors/app-error';
import { contentPartSchema, type ContentPart } from '../../src-shared/schemas/chat-message';
import {
  messageProvenanceSchema,
  type MessageProvenance,
  type MessageStatus,
  type StoredMessage,
} from '../../src-shared/schemas/stored-conversation';
import { readJson } from './storage-helpers';

export const messageColumns = `id, conversation_id AS conversationId, sequence, role, content, parts, status, provenance, error,
  created_at AS createdAt, updated_at AS updatedAt`;

export interface MessageRow {
  id: number;
  conversationId: string;
  sequence: number;
  role: 'user' | 'assistant';
  content: string;
  parts: string | null;
  status: MessageStatus;
  provenance: string | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

const partsSchema = z.array(contentPartSchema);

export function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversationId,
    sequence: row.sequence,
    role: row.role,
    content: row.content,
    parts: readJson<ContentPart[] | null>(row.parts, partsSchema, null),
    status: row.status,
    provenance: readJson<MessageProvenance | null>(row.provenance, messageProvenanceSchema, null),
    error: readJson<AppError | null>(row.error, appErrorSchema, null),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Text for the column that search and previews read, and parts only when there is an image to keep. */
export function splitContent(content: string | readonly ContentPart[]): { text: string; parts: string | null } {
  if (typeof content === 'string') return { text: content, parts: null };
  const text = content
    .filter((part): part is Extract<ContentPart, { type: 'text' }> => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
  const hasImage = content.some((part) => part.type === 'image');
  return { text, parts: hasImage ? JSON.stringify(content) : null };
}
