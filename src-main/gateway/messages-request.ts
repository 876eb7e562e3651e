import { z } from 'zod';
import type { ChatMessage, ContentPart, ReasoningBlock, ToolCall, ToolChoice } from '../../src-shared/schemas/chat-message';
import type { PassThroughParameters } from '../engine/ports';
import { checkedImage, paramPath, toolNameMessage, toolNamePattern, type GatewayChatRequest } from './chat-request';
import { invalidRequest } from './gateway-errors';
import { checkMessageCounts } from './request-limits';

// Anthropic's Messages API request (docs.anthropic.com/en/api/messages), as far as the gateway reads
// it. Fields it does not act on pass unread; the ones a client would miss are named as dropped.

const blockSchema = z.looseObject({ type: z.string({ error: 'Give each content block its type' }) });
const contentSchema = z.union([z.string(), z.array(blockSchema)], { error: 'Send content as a string or an array of content blocks' });

const messageSchema = z.looseObject({
  role: z.enum(['user', 'assistant'], { error: 'Use the roles user and assistant; the system prompt goes in system' }),
  content: contentSchema,
});

const toolSchema = z.looseObject({
  type: z.string().nullish(),
  name: z.string({ error: toolNameMessage }).regex(toolNamePattern, toolNameMessage),
  description: z.string().nullish(),
  input_schema: z.record(z.string(), z.unknown()).nullish(),
});

const toolChoiceSchema = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().nullish() }),
    z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().nullish() }),
    z.looseObject({ type: z.literal('none') }),
    z.looseObject({
      type: z.literal('tool'),
      name: z.string().regex(toolNamePattern, toolNameMessage),
      disable_parallel_tool_use: z.boolean().nullish(),
    }),
  ],
  { error: 'Use tool_choice {"type": "auto"}, {"type": "any"}, {"type": "none"} or {"type": "tool", "name": ...}' },
);

export const messagesRequestSchema = z.looseObject({
  model: z.string({ error: 'Name a model: GET /v1/models lists them' }).min(1, 'Name a model: GET /v1/models lists them'),
  max_tokens: z
    .number({ error: 'Give max_tokens, the most tokens the answer may use (e.g. 1024)' })
    .int('Use a whole number')
    .positive('Use a number above 0'),
  messages: z.array(messageSchema, { error: 'Send messages as an array' }).min(1, 'Send at least one message'),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.literal('text'), text: z.string() }))]).nullish(),
  stream: z.boolean().nullish(),
  temperature: z.number().min(0, 'Use a temperature from 0 to 1').max(1, 'Use a temperature from 0 to 1').nullish(),
  top_p: z.number().min(0, 'Use a top_p from 0 to 1').max(1, 'Use a top_p from 0 to 1').nullish(),
  top_k: z.number().int().nonnegative().nullish(),
  stop_sequences: z.array(z.string()).max(16, 'Send at most 16 stop sequences').nullish(),
  metadata: z.looseObject({ user_id: z.string().max(256).nullish() }).nullish(),
  tools: z.array(toolSchema).max(128, 'Send at most 128 tools').nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  thinking: z.looseObject({ type: z.string() }).nullish(),
});

type Block = z.infer<typeof blockSchema>;

/** A Messages API request in our terms, with the fields the gateway itself could not honour. */
export interface GatewayMessagesRequest extends GatewayChatRequest {
  /** Request fields no backend is asked for (a thinking budget, top_k, server tools): named as dropped. */
  ignored: string[];
}

// Fields that change what Anthropic does but that no adapter carries; a client should know they were not applied.
const unsupportedFields = ['container', 'mcp_servers', 'context_management', 'output_config', 'service_tier'] as const;

function text(block: Block, param: string): string {
  if (typeof block['text'] !== 'string') throw invalidRequest('A text block needs a text string', `${param}.text`);
  return block['text'];
}

function imageBlock(block: Block, param: string): ContentPart {
  const source = block['source'] as Record<string, unknown> | undefined;
  if (source?.['type'] === 'url') {
    // Fetching arbitrary URLs from here would let any local caller make this machine download things.
    throw invalidRequest('The gateway does not download images: send the image inline as a base64 source', `${param}.source`);
  }
  if (source?.['type'] !== 'base64' || typeof source['media_type'] !== 'string' || typeof source['data'] !== 'string') {
    throw invalidRequest('Give the image as source {"type": "base64", "media_type": "image/png", "data": ...}', `${param}.source`);
  }
  return checkedImage(source['media_type'], source['data'], `${param}.source`);
}

function toolResultText(block: Block, param: string): string {
  const content = block['content'];
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalidRequest('Give a tool result as a string or text blocks', `${param}.content`);
  return content
    .map((part: Block, index) => {
      if (part?.type !== 'text')
        throw invalidRequest(
          'Tool results can carry text blocks only here: send images as a user image block',
          `${param}.content[${index}]`,
        );
      return text(part, `${param}.content[${index}]`);
    })
    .join('\n');
}

function unsupportedBlock(block: Block, param: string): never {
  throw invalidRequest(
    `Content blocks of type "${block.type}" are not supported here: use text, image, tool_use, tool_result and thinking blocks`,
    `${param}.type`,
  );
}

/** One user turn: its tool results become tool turns (first, as Anthropic orders them), the rest one user turn. */
function userTurns(content: Block[], param: string, earlier: readonly ChatMessage[]): ChatMessage[] {
  const results: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  content.forEach((block, index) => {
    const blockParam = `${param}[${index}]`;
    if (block.type === 'text') parts.push({ type: 'text', text: text(block, blockParam) });
    else if (block.type === 'image') parts.push(imageBlock(block, blockParam));
    else if (block.type === 'tool_result') {
      const id = block['tool_use_id'];
      if (typeof id !== 'string' || !id)
        throw invalidRequest('A tool_result needs the tool_use_id it answers', `${blockParam}.tool_use_id`);
      // Every provider refuses a result with no call before it; saying so here names the block.
      if (!earlier.some((turn) => turn.toolCalls?.some((call) => call.id === id))) {
        throw invalidRequest(
          `No earlier assistant turn made the tool call "${id}": send the assistant message with its tool_use block before the tool_result`,
          `${blockParam}.tool_use_id`,
        );
      }
      const name = earlier.flatMap((turn) => turn.toolCalls ?? []).find((call) => call.id === id)?.name;
      results.push({
        role: 'tool',
        content: toolResultText(block, blockParam),
        toolCallId: id,
        ...(name ? { toolName: name } : {}),
        ...(block['is_error'] === true ? { isError: true } : {}),
      });
    } else unsupportedBlock(block, blockParam);
  });
  return parts.length > 0 ? [...results, { role: 'user', content: parts }] : results;
}

// Blocks of a web search this gateway reported as sources: the search is done, nothing to pass on.
const searchBlocks = new Set(['server_tool_use', 'web_search_tool_result']);

function assistantTurn(content: Block[], param: string): ChatMessage {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningBlock[] = [];
  content.forEach((block, index) => {
    const blockParam = `${param}[${index}]`;
    if (block.type === 'text') texts.push(text(block, blockParam));
    else if (block.type === 'tool_use') {
      const { id, name, input } = block as Block & { id?: unknown; name?: unknown; input?: unknown };
      if (typeof id !== 'string' || !id) throw invalidRequest('Give each tool_use block its id', `${blockParam}.id`);
      if (typeof name !== 'string' || !toolNamePattern.test(name)) throw invalidRequest(toolNameMessage, `${blockParam}.name`);
      toolCalls.push({ id, name, arguments: JSON.stringify(input ?? {}) });
    } else if (block.type === 'thinking') {
      if (typeof block['thinking'] !== 'string' || typeof block['signature'] !== 'string')
        throw invalidRequest('Send thinking blocks back unchanged, with their thinking and signature', blockParam);
      reasoning.push({ provider: 'anthropic', text: block['thinking'], signature: block['signature'] });
    } else if (block.type === 'redacted_thinking') {
      if (typeof block['data'] !== 'string')
        throw invalidRequest('Send redacted_thinking blocks back unchanged, with their data', blockParam);
      reasoning.push({ provider: 'anthropic', text: '', redacted: block['data'] });
    } else if (!searchBlocks.has(block.type)) unsupportedBlock(block, blockParam);
  });
  const turn: ChatMessage = { role: 'assistant', content: texts.join('') };
  if (toolCalls.length > 0) turn.toolCalls = toolCalls;
  if (reasoning.length > 0) turn.reasoning = reasoning;
  return turn;
}

function toolChoiceOf(choice: z.infer<typeof toolChoiceSchema>): ToolChoice {
  if (choice.type === 'auto' || choice.type === 'none') return choice.type;
  if (choice.type === 'any') return 'required';
  return { type: 'tool', name: choice.name };
}

/**
 * Validates an Anthropic Messages body and turns it into the gateway's terms: tool_use blocks
 * become tool calls, tool_result blocks tool turns, thinking blocks reasoning to hand back.
 * Throws a GatewayHttpError (400) naming the field and what to send instead.
 */
export function parseMessagesRequest(body: unknown): GatewayMessagesRequest {
  checkMessageCounts(body);
  const parsed = messagesRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue ? paramPath(issue.path) : undefined;
    throw invalidRequest(`${param ? `${param}: ` : ''}${issue?.message ?? 'Invalid request body'}`, param || undefined);
  }
  const input = parsed.data;
  const ignored: string[] = unsupportedFields.filter((field) => input[field] != null);
  const messages: ChatMessage[] = [];
  input.messages.forEach((message, index) => {
    const param = `messages[${index}].content`;
    if (typeof message.content === 'string') messages.push({ role: message.role, content: message.content });
    else if (message.role === 'user') messages.push(...userTurns(message.content, param, messages));
    else messages.push(assistantTurn(message.content, param));
  });
  if (messages.length === 0) throw invalidRequest('Send at least one message with content', 'messages');

  const request: GatewayMessagesRequest = {
    model: input.model,
    stream: input.stream === true,
    includeUsage: true,
    messages,
    maxOutputTokens: input.max_tokens,
    ignored,
  };
  const system = typeof input.system === 'string' ? input.system : input.system?.map((block) => block.text).join('\n\n');
  if (system?.trim()) request.system = system;
  if (input.temperature != null) request.temperature = input.temperature;
  const tools = (input.tools ?? []).filter((tool, index) => {
    // Server tools (web search, code execution) run at Anthropic itself; no other backend has them.
    const custom = tool.type == null || tool.type === 'custom';
    if (!custom) ignored.push(`tools[${index}] (${tool.type})`);
    return custom;
  });
  if (tools.length > 0) {
    request.tools = tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.input_schema ?? { type: 'object', properties: {} },
    }));
  }
  if (input.tool_choice != null) {
    request.toolChoice = toolChoiceOf(input.tool_choice);
    if ('disable_parallel_tool_use' in input.tool_choice && input.tool_choice.disable_parallel_tool_use != null)
      request.parallelToolCalls = !input.tool_choice.disable_parallel_tool_use;
  }
  if (input.thinking != null && input.thinking.type !== 'disabled') ignored.push('thinking');
  if (input.top_k != null) ignored.push('top_k');
  const parameters: PassThroughParameters = {};
  if (input.top_p != null) parameters.topP = input.top_p;
  if (input.stop_sequences && input.stop_sequences.length > 0) parameters.stop = input.stop_sequences;
  if (input.metadata?.user_id != null) parameters.user = input.metadata.user_id;
  if (Object.keys(parameters).length > 0) request.parameters = parameters;
  return request;
}
