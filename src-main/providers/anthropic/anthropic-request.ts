import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  Tool,
  ToolChoice as AnthropicToolChoice,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { messageText, type ChatMessage, type ToolChoice, type ToolDefinition } from '../../../src-shared/schemas/chat-message';
import type { ModelRequest } from '../../engine/ports';
import { droppedReasoningName } from '../shared/dropped';
import { jsonOnlyInstruction } from '../shared/json-instruction';

/** Used when neither the request nor any known fact says how long an answer may be. */
export const fallbackMaxTokens = 4096;

function toContent(message: ChatMessage): ContentBlockParam[] {
  if (typeof message.content === 'string') return message.content.length > 0 ? [{ type: 'text', text: message.content }] : [];
  return message.content.map((part): ContentBlockParam =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } },
  );
}

/** Tool arguments arrive as JSON text; Anthropic wants the object. Text that is not an object is kept under `input`. */
function toolInput(argumentsText: string): Record<string, unknown> {
  if (!argumentsText.trim()) return {};
  try {
    const value: unknown = JSON.parse(argumentsText);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return { input: value };
  } catch {
    return { input: argumentsText };
  }
}

/** An assistant turn: its own thinking blocks first (unchanged, as Anthropic requires), then text, then tool calls. */
function assistantContent(message: ChatMessage, dropped: Set<string>): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const block of message.reasoning ?? []) {
    if (block.provider === 'anthropic' && block.redacted !== undefined) blocks.push({ type: 'redacted_thinking', data: block.redacted });
    else if (block.provider === 'anthropic' && block.signature !== undefined) {
      blocks.push({ type: 'thinking', thinking: block.text, signature: block.signature });
    } else dropped.add(droppedReasoningName); // unsigned reasoning from another provider cannot be verified
  }
  const text = messageText(message);
  if (text.length > 0) blocks.push({ type: 'text', text });
  for (const call of message.toolCalls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call.arguments) });
  }
  return blocks;
}

function toolResult(message: ChatMessage): ToolResultBlockParam {
  const content = typeof message.content === 'string' ? message.content : toContent(message);
  const block: ToolResultBlockParam = {
    type: 'tool_result',
    tool_use_id: message.toolCallId ?? '',
    content: content as ToolResultBlockParam['content'],
  };
  if (message.isError) block.is_error = true;
  return block;
}

/**
 * Our turns as Anthropic messages: tool results travel in the next user turn (results first, then
 * any text the user added), and turns of the same role are joined, as the API expects.
 */
export function toAnthropicMessages(messages: readonly ChatMessage[], dropped: Set<string>): MessageParam[] {
  const result: MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]): void => {
    const last = result.at(-1);
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else result.push({ role, content: blocks });
  };
  for (const message of messages) {
    if (message.role === 'assistant') push('assistant', assistantContent(message, dropped));
    else if (message.role === 'tool') push('user', [toolResult(message)]);
    else push('user', toContent(message));
  }
  // A turn with only an empty string would be rejected; one with plain text reads best as a string.
  return result.map((message) => {
    const blocks = message.content as ContentBlockParam[];
    if (blocks.length === 0) return { role: message.role, content: '' };
    if (blocks.length === 1 && blocks[0]!.type === 'text') return { role: message.role, content: blocks[0]!.text };
    return message;
  });
}

export function toAnthropicTools(tools: readonly ToolDefinition[]): Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    input_schema: { type: 'object', ...tool.parameters } as Tool.InputSchema,
  }));
}

export function toAnthropicToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): AnthropicToolChoice | undefined {
  const disable = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...disable };
  if (typeof choice === 'object') return { type: 'tool', name: choice.name, ...disable };
  if (choice === 'auto' || parallel === false) return { type: 'auto', ...disable };
  return undefined;
}

/** Anthropic has no JSON mode: the system prompt asks for JSON (and the schema) in words. */
function systemPrompt(request: ModelRequest): string | undefined {
  const format = request.responseFormat;
  const instruction =
    format?.type === 'json_schema' ? jsonOnlyInstruction(format.schema) : format?.type === 'json' ? jsonOnlyInstruction() : undefined;
  const parts = [request.system, instruction].filter((part): part is string => !!part?.trim());
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/** The streamed Messages request for one answer, and what of the request Anthropic cannot take. */
export interface BuiltAnthropicParams {
  params: MessageCreateParamsStreaming;
  dropped: string[];
}

/**
 * The Messages request for one streamed answer. `temperature`, `top_p` and the OpenAI penalties are
 * not part of the Messages API version the SDK targets: they are named as dropped.
 */
export function buildAnthropicParams(request: ModelRequest, maxTokens: number): BuiltAnthropicParams {
  const dropped = new Set<string>();
  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? maxTokens,
    messages: toAnthropicMessages(request.messages, dropped),
    stream: true,
  };
  const system = systemPrompt(request);
  if (system) params.system = system;
  if (request.tools && request.tools.length > 0) {
    params.tools = toAnthropicTools(request.tools);
    const choice = toAnthropicToolChoice(request.toolChoice, request.parallelToolCalls);
    if (choice) params.tool_choice = choice;
  }
  if (request.temperature !== undefined) dropped.add('temperature');
  const parameters = request.parameters ?? {};
  if (parameters.stop && parameters.stop.length > 0) params.stop_sequences = parameters.stop;
  if (parameters.user !== undefined) params.metadata = { user_id: parameters.user };
  if (parameters.topP !== undefined) dropped.add('top_p');
  if (parameters.seed !== undefined) dropped.add('seed');
  if (parameters.presencePenalty !== undefined) dropped.add('presence_penalty');
  if (parameters.frequencyPenalty !== undefined) dropped.add('frequency_penalty');
  return { params, dropped: [...dropped] };
}
