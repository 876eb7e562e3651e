import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
  ChatCompletionFunctionTool,
} from 'openai/resources/chat/completions';
import type { ModelRequest, PassThroughParameters } from '../../engine/ports';
import { messageText, type ChatMessage, type ToolChoice, type ToolDefinition } from '../../../src-shared/schemas/chat-message';
import { jsonOnlyInstruction } from '../shared/json-instruction';
import { droppedReasoningName } from '../shared/dropped';

/** The wire names of the pass-through parameters, as OpenAI spells them. */
export const openAIParameterNames: Record<keyof PassThroughParameters, string> = {
  topP: 'top_p',
  stop: 'stop',
  seed: 'seed',
  presencePenalty: 'presence_penalty',
  frequencyPenalty: 'frequency_penalty',
  user: 'user',
};

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
  /** Wire parameters the server rejects or ignores: not sent, and named as dropped. */
  unsupportedParameters?: readonly string[];
  /** False for servers with no tool calling at all (the tools are dropped and named). */
  tools?: boolean;
}

function toContentParts(message: ChatMessage): string | ChatCompletionContentPart[] {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part): ChatCompletionContentPart =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.data}` } },
  );
}

function toOpenAIMessage(message: ChatMessage): ChatCompletionMessageParam {
  if (message.role === 'tool') {
    // OpenAI has no error flag on a tool result: the content says it.
    const text = messageText(message);
    return {
      role: 'tool',
      tool_call_id: message.toolCallId ?? '',
      content: message.isError && !/error/i.test(text) ? `Error: ${text}` : text,
    };
  }
  if (message.role === 'assistant') {
    const text = messageText(message);
    const calls = message.toolCalls ?? [];
    if (calls.length === 0) return { role: 'assistant', content: text };
    return {
      role: 'assistant',
      content: text.length > 0 ? text : null,
      tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    };
  }
  return { role: 'user', content: toContentParts(message) };
}

export function toOpenAIMessages(request: ModelRequest, extraSystem?: string): ChatCompletionMessageParam[] {
  const system = [request.system, extraSystem].filter((part): part is string => !!part?.trim()).join('\n\n');
  const messages: ChatCompletionMessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of request.messages) messages.push(toOpenAIMessage(message));
  return messages;
}

export function toOpenAITools(tools: readonly ToolDefinition[]): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.parameters,
      ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
    },
  }));
}

export function toOpenAIToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/** The streamed request for one chat completion, and what of the request the server cannot take. */
export interface BuiltChatParams {
  params: ChatCompletionCreateParamsStreaming;
  dropped: string[];
}

function responseFormatFor(
  request: ModelRequest,
  dialect: OpenAIChatDialect,
): { responseFormat?: ChatCompletionCreateParamsStreaming['response_format']; instruction?: string } {
  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    if (dialect.json.schema) {
      return { responseFormat: { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, strict: true } } };
    }
    // Without schema support the schema still has to reach the model, in words.
    return { instruction: jsonOnlyInstruction(format.schema), ...(dialect.json.object ? { responseFormat: { type: 'json_object' } } : {}) };
  }
  if (format?.type === 'json') {
    // OpenAI's JSON mode insists the word "JSON" appears in the messages.
    const instruction = jsonOnlyInstruction();
    if (dialect.json.object) return { instruction, responseFormat: { type: 'json_object' } };
    if (dialect.json.schema) {
      return { instruction, responseFormat: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } } };
    }
    return { instruction };
  }
  return {};
}

/** The request body for one streamed chat completion; `model` is the wire name (an Azure deployment). */
export function buildChatParams(request: ModelRequest, dialect: OpenAIChatDialect, wireModel: string = request.model): BuiltChatParams {
  const { responseFormat, instruction } = responseFormatFor(request, dialect);
  const dropped: string[] = [];
  const unsupported = new Set(dialect.unsupportedParameters ?? []);
  const params: ChatCompletionCreateParamsStreaming = {
    model: wireModel,
    messages: toOpenAIMessages(request, instruction),
    stream: true,
  };
  if (request.messages.some((message) => (message.reasoning?.length ?? 0) > 0)) dropped.push(droppedReasoningName);
  if (dialect.streamUsage) params.stream_options = { include_usage: true };
  if (request.maxOutputTokens !== undefined) params[dialect.maxTokensParameter] = request.maxOutputTokens;
  if (request.temperature !== undefined) {
    if (dialect.omitsTemperature?.(request.model) || unsupported.has('temperature')) dropped.push('temperature');
    else params.temperature = request.temperature;
  }
  if (responseFormat) params.response_format = responseFormat;
  if (request.tools && request.tools.length > 0) {
    if (dialect.tools === false) dropped.push('tools');
    else {
      params.tools = toOpenAITools(request.tools);
      if (request.toolChoice !== undefined) params.tool_choice = toOpenAIToolChoice(request.toolChoice);
      if (request.parallelToolCalls !== undefined) {
        if (unsupported.has('parallel_tool_calls')) dropped.push('parallel_tool_calls');
        else params.parallel_tool_calls = request.parallelToolCalls;
      }
    }
  }
  const wire = params as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(request.parameters ?? {})) {
    if (value === undefined) continue;
    const name = openAIParameterNames[key as keyof PassThroughParameters];
    if (unsupported.has(name)) dropped.push(name);
    else wire[name] = value;
  }
  return { params, dropped };
}
