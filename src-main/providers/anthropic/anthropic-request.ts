import type { ContentBlockParam, MessageCreateParamsStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatMessage } from '../../../src-shared/schemas/chat-message';
import type { ModelRequest } from '../../engine/ports';
import { jsonOnlyInstruction } from '../shared/json-instruction';

/** Used when neither the request nor any known fact says how long an answer may be. */
export const fallbackMaxTokens = 4096;

function toContent(message: ChatMessage): string | ContentBlockParam[] {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part): ContentBlockParam =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } },
  );
}

/** Anthropic has no JSON mode: the system prompt asks for JSON (and the schema) in words. */
function systemPrompt(request: ModelRequest): string | undefined {
  const format = request.responseFormat;
  const instruction =
    format?.type === 'json_schema' ? jsonOnlyInstruction(format.schema) : format?.type === 'json' ? jsonOnlyInstruction() : undefined;
  const parts = [request.system, instruction].filter((part): part is string => !!part?.trim());
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/**
 * The Messages request for one streamed answer. `temperature` is not sent: the SDK's request type
 * (and so the API version it targets) no longer has it.
 */
export function buildAnthropicParams(request: ModelRequest, maxTokens: number): MessageCreateParamsStreaming {
  const messages: MessageParam[] = request.messages.map((message) => ({
    role: message.role,
    content: toContent(message),
  }));
  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? maxTokens,
    messages,
    stream: true,
  };
  const system = systemPrompt(request);
  if (system) params.system = system;
  return params;
}
