import type { RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import type { AnswerSource } from '../../../src-shared/schemas/chat-message';
import type { FinishReason, ProviderStreamPart } from '../../engine/ports';
import { StreamEndedEarly } from '../shared/stream-ended-early';

const finishReasons: Record<StopReason, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content_filter',
  tool_use: 'tool_calls',
  pause_turn: 'other',
};

/** What one open content block is turning into. */
type OpenBlock =
  { kind: 'tool'; toolIndex: number; sawArguments: boolean } | { kind: 'thinking'; text: string; signature: string } | { kind: 'other' };

function webSearchSources(content: unknown): AnswerSource[] {
  if (!Array.isArray(content)) return [];
  return content.flatMap((item): AnswerSource[] => {
    const result = item as { type?: unknown; url?: unknown; title?: unknown; page_age?: unknown };
    if (result.type !== 'web_search_result' || typeof result.url !== 'string') return [];
    const source: AnswerSource = { url: result.url };
    if (typeof result.title === 'string') source.title = result.title;
    if (typeof result.page_age === 'string') source.date = result.page_age;
    return [source];
  });
}

/**
 * Reads Anthropic's Messages stream into our parts: text, tool calls (`tool_use` start, then
 * `input_json_delta` pieces), thinking blocks with their signatures (whole, at block end, so they
 * can go back unchanged), web-search results as sources, then usage and finish.
 */
export async function* readAnthropicStream(events: AsyncIterable<RawMessageStreamEvent>): AsyncGenerator<ProviderStreamPart> {
  let inputTokens = 0;
  let outputTokens = 0;
  let cacheReadTokens = 0;
  let cacheWriteTokens = 0;
  let stopReason: StopReason | null = null;
  let stopped = false;
  let toolCount = 0;
  const blocks = new Map<number, OpenBlock>();
  const sources: AnswerSource[] = [];
  for await (const event of events) {
    switch (event.type) {
      case 'message_start': {
        const usage = event.message.usage;
        cacheReadTokens = usage?.cache_read_input_tokens ?? 0;
        cacheWriteTokens = usage?.cache_creation_input_tokens ?? 0;
        inputTokens = (usage?.input_tokens ?? 0) + cacheWriteTokens + cacheReadTokens;
        outputTokens = usage?.output_tokens ?? 0;
        yield { type: 'response-metadata', modelVersion: event.message.model, responseId: event.message.id };
        break;
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') {
          const toolIndex = toolCount++;
          blocks.set(event.index, { kind: 'tool', toolIndex, sawArguments: false });
          yield { type: 'tool-call-delta', delta: { index: toolIndex, id: block.id, name: block.name, argumentsDelta: '' } };
        } else if (block.type === 'thinking') {
          blocks.set(event.index, { kind: 'thinking', text: block.thinking ?? '', signature: block.signature ?? '' });
        } else if (block.type === 'redacted_thinking') {
          yield { type: 'reasoning', block: { provider: 'anthropic', text: '', redacted: block.data } };
        } else if (block.type === 'web_search_tool_result') {
          sources.push(...webSearchSources(block.content));
        } else if (block.type === 'text' && block.text) {
          yield { type: 'text-delta', text: block.text };
        }
        break;
      }
      case 'content_block_delta': {
        const open = blocks.get(event.index);
        const delta = event.delta;
        if (delta.type === 'text_delta' && delta.text) yield { type: 'text-delta', text: delta.text };
        else if (delta.type === 'input_json_delta' && open?.kind === 'tool') {
          if (delta.partial_json) {
            open.sawArguments = true;
            yield { type: 'tool-call-delta', delta: { index: open.toolIndex, argumentsDelta: delta.partial_json } };
          }
        } else if (delta.type === 'thinking_delta' && open?.kind === 'thinking') open.text += delta.thinking;
        else if (delta.type === 'signature_delta' && open?.kind === 'thinking') open.signature += delta.signature;
        break;
      }
      case 'content_block_stop': {
        const open = blocks.get(event.index);
        blocks.delete(event.index);
        // A tool called with no arguments streams none; OpenAI-style clients still expect a JSON object.
        if (open?.kind === 'tool' && !open.sawArguments) {
          yield { type: 'tool-call-delta', delta: { index: open.toolIndex, argumentsDelta: '{}' } };
        }
        if (open?.kind === 'thinking') {
          yield { type: 'reasoning', block: { provider: 'anthropic', text: open.text, signature: open.signature } };
        }
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        outputTokens = event.usage.output_tokens ?? outputTokens;
        if (event.usage.input_tokens != null) {
          cacheReadTokens = event.usage.cache_read_input_tokens ?? cacheReadTokens;
          cacheWriteTokens = event.usage.cache_creation_input_tokens ?? cacheWriteTokens;
          inputTokens = event.usage.input_tokens + cacheWriteTokens + cacheReadTokens;
        }
        break;
      case 'message_stop':
        stopped = true;
        break;
      default:
        break;
    }
  }
  if (!stopped) throw new StreamEndedEarly();
  if (sources.length > 0) yield { type: 'sources', sources };
  yield {
    type: 'usage',
    inputTokens,
    outputTokens,
    ...(cacheReadTokens > 0 ? { cacheReadTokens } : {}),
    ...(cacheWriteTokens > 0 ? { cacheWriteTokens } : {}),
  };
  yield { type: 'finish', reason: stopReason ? (finishReasons[stopReason] ?? 'other') : 'stop' };
}
