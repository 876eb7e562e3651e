import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { ModelRequest } from '../../engine/ports';
import { messageText, type ChatMessage } from '../../../src-shared/schemas/chat-message';
import { jsonOnlyInstruction } from '../shared/json-instruction';

/** How one OpenAI-style server wants a chat request shaped. Data, so profiles can state it. */
export interface OpenAIChatDialect {
  /** `max_completion_tokens` (OpenAI, Azure) or the older `max_tokens` most compatible servers use. */
  maxTokensParameter: 'max_completion_tokens' | 'max_tokens';
  /** Which `response_format` types the server honours. */
  json: { object: boolean; schema: boolean };
  /** Whether `stream_options.include_usage` is understood (else usage only if the server sends it anyway). */
  streamUsage: boolean;
  /** Models that reject `temperature` (OpenAI reasoning models). */
  omitsTemperature?: (model: string) => boolean;
}

function toContentParts(message: ChatMessage): string | ChatCompletionContentPart[] {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part): ChatCompletionContentPart =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.data}` } },
  );
}

export function toOpenAIMessages(request: ModelRequest, extraSystem?: string): ChatCompletionMessageParam[] {
  const system = [request.system, extraSystem].filter((part): part is string => !!part?.trim()).join('\n\n');
  const messages: ChatCompletionMessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of request.messages) {
    if (message.role === 'assistant') messages.push({ role: 'assistant', content: messageText(message) });
    else messages.push({ role: 'user', content: toContentParts(message) });
  }
  return messages;
}

/** The request body for one streamed chat completion; `model` is the wire name (an Azure deployment). */
export function buildChatParams(
  request: ModelRequest,
  dialect: OpenAIChatDialect,
  wireModel: string = request.model,
): ChatCompletionCreateParamsStreaming {
  const format = request.responseFormat;
  let responseFormat: ChatCompletionCreateParamsStreaming['response_format'];
  let instruction: string | undefined;
  if (format?.type === 'json_schema') {
    if (dialect.json.schema) {
      responseFormat = { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, strict: true } };
    } else {
      // Without schema support the schema still has to reach the model, in words.
      instruction = jsonOnlyInstruction(format.schema);
      if (dialect.json.object) responseFormat = { type: 'json_object' };
    }
  } else if (format?.type === 'json') {
    // OpenAI's JSON mode insists the word "JSON" appears in the messages.
    instruction = jsonOnlyInstruction();
    if (dialect.json.object) responseFormat = { type: 'json_object' };
    else if (dialect.json.schema) {
      responseFormat = { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } };
    }
  }

  const params: ChatCompletionCreateParamsStreaming = {
    model: wireModel,
    messages: toOpenAIMessages(request, instruction),
    stream: true,
  };
  if (dialect.streamUsage) params.stream_options = { include_usage: true };
  if (request.maxOutputTokens !== undefined) params[dialect.maxTokensParameter] = request.maxOutputTokens;
  if (request.temperature !== undefined && !dialect.omitsTemperature?.(request.model)) {
    params.temperature = request.temperature;
  }
  if (responseFormat) params.response_format = responseFormat;
  return params;
}
