import { randomUUID } from 'node:crypto';
import type { ChatMessage, ToolCall } from '../../../src-shared/schemas/chat-message';
import type { ModelRequest, ToolCallDelta } from '../../engine/ports';

/**
 * Tools on Ollama's native `/api/chat`: definitions go out in OpenAI's function form; calls come
 * back as `message.tool_calls` with arguments as an object and (on most servers) no id; results go
 * back as `tool` messages that name the tool. Ollama has no tool_choice and no parallel switch.
 */

/** `tools` for the request body; none when the caller said the model must not call any. */
export function ollamaTools(request: ModelRequest): Array<Record<string, unknown>> | undefined {
  if (!request.tools || request.tools.length === 0 || request.toolChoice === 'none') return undefined;
  return request.tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.parameters,
    },
  }));
}

/** Request fields about tools that Ollama cannot honour, as the call log names them. */
export function droppedToolFields(request: ModelRequest): string[] {
  if (!request.tools || request.tools.length === 0 || request.toolChoice === 'none') return [];
  const names: string[] = [];
  if (request.toolChoice !== undefined && request.toolChoice !== 'auto') names.push('tool_choice');
  if (request.parallelToolCalls === false) names.push('parallel_tool_calls');
  return names;
}

/** Arguments as Ollama wants them: an object, parsed from the JSON text the model wrote. */
function argumentsObject(call: ToolCall): unknown {
  try {
    const parsed: unknown = JSON.parse(call.arguments || '{}');
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** An assistant turn's tool calls in Ollama's form. */
export function ollamaToolCalls(message: ChatMessage): Array<Record<string, unknown>> | undefined {
  if (!message.toolCalls || message.toolCalls.length === 0) return undefined;
  return message.toolCalls.map((call) => ({ function: { name: call.name, arguments: argumentsObject(call) } }));
}

/** The tool's name for a result: its own, or the name of the call it answers earlier in the conversation. */
export function toolNameFor(message: ChatMessage, messages: readonly ChatMessage[]): string | undefined {
  if (message.toolName) return message.toolName;
  if (!message.toolCallId) return undefined;
  for (const earlier of messages) {
    const call = earlier.toolCalls?.find((item) => item.id === message.toolCallId);
    if (call) return call.name;
  }
  return undefined;
}

/**
 * Reads `message.tool_calls` of streamed chunks into ToolCallDeltas. Each call arrives whole, so
 * one delta carries its id, name and all of its arguments; a call without an id gets one that is
 * unique to this answer, so a later tool result can name it.
 */
export class OllamaToolCallReader {
  readonly #answerId = randomUUID().replace(/-/g, '').slice(0, 12);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  read(message: unknown): ToolCallDelta[] {
    const calls = typeof message === 'object' && message !== null ? (message as { tool_calls?: unknown }).tool_calls : undefined;
    if (!Array.isArray(calls)) return [];
    const deltas: ToolCallDelta[] = [];
    for (const item of calls) {
      const record = typeof item === 'object' && item !== null ? (item as { id?: unknown; function?: unknown }) : {};
      const fn = typeof record.function === 'object' && record.function !== null ? (record.function as Record<string, unknown>) : {};
      if (typeof fn['name'] !== 'string' || !fn['name']) continue;
      const index = this.#count;
      this.#count += 1;
      const args = fn['arguments'];
      deltas.push({
        index,
        id: typeof record.id === 'string' && record.id ? record.id : `call_${this.#answerId}_${index}`,
        name: fn['name'],
        argumentsDelta: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      });
    }
    return deltas;
  }
}
