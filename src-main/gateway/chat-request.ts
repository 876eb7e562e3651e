import { z } from 'zod';
import {
  imageMediaTypes,
  type ChatMessage,
  type ContentPart,
  type ResponseFormat,
  type ToolChoice,
  type ToolDefinition,
} from '../../src-shared/schemas/chat-message';
import type { PassThroughParameters } from '../engine/ports';
import { invalidRequest } from './gateway-errors';
import { checkMessageCounts, checkResponseSchema } from './request-limits';

// Fields the gateway acts on are checked; fields it does not know pass through unread, so clients
// written for OpenAI work without edits.
const contentSchema = z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).nullable();

export const toolNamePattern = /^[A-Za-z0-9_.-]{1,64}$/;
export const toolNameMessage = 'Name a tool with 1 to 64 letters, digits, _, . or -';

const toolCallSchema = z.looseObject({
  id: z.string({ error: 'Give each tool call its id' }).min(1, 'Give each tool call its id'),
  type: z.literal('function', { error: 'Tool calls are of type "function"' }).optional(),
  function: z.looseObject({
    name: z.string().regex(toolNamePattern, toolNameMessage),
    arguments: z.string({ error: 'Give the arguments as JSON text' }),
  }),
});

const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool'], {
    error: 'Use the roles system, developer, user, assistant or tool',
  }),
  content: contentSchema.optional(),
  tool_calls: z.array(toolCallSchema).max(128, 'Send at most 128 tool calls in one turn').nullish(),
  tool_call_id: z.string().nullish(),
  name: z.string().nullish(),
});

const toolSchema = z.looseObject({
  type: z.literal('function', { error: 'Only tools of type "function" are supported' }),
  function: z.looseObject({
    name: z.string({ error: toolNameMessage }).regex(toolNamePattern, toolNameMessage),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown(), { error: 'Give the parameters as a JSON Schema object' }).nullish(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoiceSchema = z.union(
  [
    z.enum(['auto', 'none', 'required']),
    z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string().regex(toolNamePattern, toolNameMessage) }) }),
  ],
  { error: 'Use tool_choice "auto", "none", "required" or {"type": "function", "function": {"name": ...}}' },
);

const stopSchema = z.union([z.string(), z.array(z.string()).max(4, 'Send at most 4 stop sequences')]);
const penaltySchema = z.number().min(-2, 'Use a penalty from -2 to 2').max(2, 'Use a penalty from -2 to 2').nullish();

const nullishPositive = z.number().int('Use a whole number').positive('Use a number above 0').nullish();

const responseFormatSchema = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('text') }),
    z.looseObject({ type: z.literal('json_object') }),
    z.looseObject({
      type: z.literal('json_schema'),
      json_schema: z.looseObject({
        name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Name the schema with 1 to 64 letters, digits, _ or -'),
        schema: z.record(z.string(), z.unknown()).optional(),
      }),
    }),
  ],
  { error: 'Use response_format type "text", "json_object" or "json_schema"' },
);

/** The OpenAI chat completions request, as far as the gateway reads it. */
export const chatCompletionRequestSchema = z.looseObject({
  model: z.string({ error: 'Name a model: GET /v1/models lists them' }).min(1, 'Name a model: GET /v1/models lists them'),
  messages: z.array(messageSchema, { error: 'Send messages as an array' }).min(1, 'Send at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: nullishPositive,
  max_completion_tokens: nullishPositive,
  temperature: z.number().min(0, 'Use a temperature from 0 to 2').max(2, 'Use a temperature from 0 to 2').nullish(),
  response_format: responseFormatSchema.nullish(),
  n: z
    .number()
    .int()
    .min(1)
    .max(1, 'n: no provider behind the gateway can return more than one choice here: leave n out or set it to 1')
    .nullish(),
  tools: z.array(toolSchema).max(128, 'Send at most 128 tools').nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  functions: z.array(z.unknown()).max(0, 'functions is the old form of tools: send tools instead').nullish(),
  top_p: z.number().min(0, 'Use a top_p from 0 to 1').max(1, 'Use a top_p from 0 to 1').nullish(),
  stop: stopSchema.nullish(),
  seed: z.number().int('Use a whole number').nullish(),
  presence_penalty: penaltySchema,
  frequency_penalty: penaltySchema,
  user: z.string().max(256).nullish(),
});

/** A chat completions request in our own terms. */
export interface GatewayChatRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  system?: string;
  messages: ChatMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  responseFormat?: ResponseFormat;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  parameters?: PassThroughParameters;
}

/** `messages[1].content[0]`, the way OpenAI names a field in `param`. */
export function paramPath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const key of path) result += typeof key === 'number' ? `[${key}]` : `${result ? '.' : ''}${String(key)}`;
  return result;
}

const dataUrlPattern = /^data:([^;,]+);base64,(.*)$/s;
const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;
const mediaTypeAliases: Record<string, string> = { 'image/jpg': 'image/jpeg' };

function isImageMediaType(value: string): value is (typeof imageMediaTypes)[number] {
  return (imageMediaTypes as readonly string[]).includes(value);
}

function imagePart(part: Record<string, unknown>, param: string): ContentPart {
  const field = part['image_url'];
  const url =
    typeof field === 'string' ? field : typeof field === 'object' && field !== null ? (field as Record<string, unknown>)['url'] : undefined;
  if (typeof url !== 'string') throw invalidRequest('Give the image as image_url.url', `${param}.image_url.url`);
  if (/^https?:/i.test(url)) {
    // Fetching arbitrary URLs from here would let any local caller make this machine download things.
    throw invalidRequest(
      'The gateway does not download images: send the image inline as a data: URL, e.g. data:image/png;base64,<base64 data>',
      `${param}.image_url.url`,
    );
  }
  const match = dataUrlPattern.exec(url);
  if (!match)
    throw invalidRequest('An image must be a base64 data: URL, e.g. data:image/png;base64,<base64 data>', `${param}.image_url.url`);
  return checkedImage(match[1]!, match[2]!, `${param}.image_url.url`);
}

/** An inline image part once its media type and base64 data are checked (both request shapes use this). */
export function checkedImage(declaredType: string, data: string, param: string): ContentPart {
  const declared = declaredType.trim().toLowerCase();
  const mediaType = mediaTypeAliases[declared] ?? declared;
  if (!isImageMediaType(mediaType)) {
    throw invalidRequest(`Images of type ${declared} are not supported: send PNG, JPEG, GIF or WebP`, param);
  }
  if (!base64Pattern.test(data)) throw invalidRequest('The image data is not valid base64', param);
  return { type: 'image', mediaType, data };
}

function contentParts(content: Array<Record<string, unknown>>, param: string, imagesAllowed: boolean): ContentPart[] {
  return content.map((part, index): ContentPart => {
    const partParam = `${param}[${index}]`;
    if (part['type'] === 'text') {
      if (typeof part['text'] !== 'string') throw invalidRequest('A text part needs a text string', `${partParam}.text`);
      return { type: 'text', text: part['text'] };
    }
    if (part['type'] === 'image_url') {
      if (!imagesAllowed) throw invalidRequest('Only user messages can carry images', partParam);
      return imagePart(part, partParam);
    }
    throw invalidRequest(`Content parts of type "${String(part['type'])}" are not supported: use text and image_url`, `${partParam}.type`);
  });
}

function plainText(parts: ContentPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

function responseFormatOf(format: z.infer<typeof responseFormatSchema> | null | undefined): ResponseFormat | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json' };
  return { type: 'json_schema', name: format.json_schema.name, schema: format.json_schema.schema ?? { type: 'object' } };
}

/**
 * Validates an OpenAI chat completions body and turns it into our terms: system and developer
 * turns become the system prompt, image_url parts with data: URLs become image parts. Throws a
 * GatewayHttpError (400) naming the field and what to send instead.
 */
export function parseChatRequest(body: unknown): GatewayChatRequest {
  checkMessageCounts(body);
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue ? paramPath(issue.path) : undefined;
    throw invalidRequest(`${param ? `${param}: ` : ''}${issue?.message ?? 'Invalid request body'}`, param || undefined);
  }
  const input = parsed.data;
  if (input.response_format?.type === 'json_schema' && input.response_format.json_schema.schema !== undefined)
    checkResponseSchema(input.response_format.json_schema.schema);
  const systemTexts: string[] = [];
  const messages: ChatMessage[] = [];
  input.messages.forEach((message, index) => {
    const param = `messages[${index}].content`;
    const content = message.content ?? '';
    if (message.role === 'system' || message.role === 'developer') {
      const text = typeof content === 'string' ? content : plainText(contentParts(content, param, false));
      if (text.trim()) systemTexts.push(text);
      return;
    }
    if (message.role === 'tool') {
      if (!message.tool_call_id) {
        throw invalidRequest('A tool message needs the tool_call_id it answers', `messages[${index}].tool_call_id`);
      }
      // Every provider refuses a result with no call before it; saying so here names the turn.
      if (!messages.some((turn) => turn.toolCalls?.some((call) => call.id === message.tool_call_id))) {
        throw invalidRequest(
          `No earlier assistant turn made the tool call "${message.tool_call_id}": send the assistant message with its tool_calls before the tool result`,
          `messages[${index}].tool_call_id`,
        );
      }
      const text = typeof content === 'string' ? content : plainText(contentParts(content, param, false));
      messages.push({ role: 'tool', content: text, toolCallId: message.tool_call_id, ...(message.name ? { toolName: message.name } : {}) });
      return;
    }
    const parts = typeof content === 'string' ? content : contentParts(content, param, message.role === 'user');
    // Our messages take either a string or at least one part.
    const turn: ChatMessage = { role: message.role, content: typeof parts === 'string' || parts.length > 0 ? parts : '' };
    if (message.role === 'assistant' && message.tool_calls && message.tool_calls.length > 0) {
      turn.toolCalls = message.tool_calls.map((call) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments }));
    }
    messages.push(turn);
  });
  if (messages.length === 0) throw invalidRequest('Send at least one user message besides the system prompt', 'messages');

  const request: GatewayChatRequest = {
    model: input.model,
    stream: input.stream === true,
    includeUsage: input.stream_options?.include_usage === true,
    messages,
  };
  if (systemTexts.length > 0) request.system = systemTexts.join('\n\n');
  const maxOutputTokens = input.max_completion_tokens ?? input.max_tokens;
  if (maxOutputTokens != null) request.maxOutputTokens = maxOutputTokens;
  if (input.temperature != null) request.temperature = input.temperature;
  const responseFormat = responseFormatOf(input.response_format);
  if (responseFormat) request.responseFormat = responseFormat;
  if (input.tools && input.tools.length > 0) {
    request.tools = input.tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      parameters: tool.function.parameters ?? { type: 'object', properties: {} },
      ...(tool.function.strict != null ? { strict: tool.function.strict } : {}),
    }));
  }
  if (input.tool_choice != null) {
    request.toolChoice =
      typeof input.tool_choice === 'string' ? input.tool_choice : { type: 'tool', name: input.tool_choice.function.name };
  }
  if (input.parallel_tool_calls != null) request.parallelToolCalls = input.parallel_tool_calls;
  const parameters = passThroughParameters(input);
  if (Object.keys(parameters).length > 0) request.parameters = parameters;
  return request;
}

/** The OpenAI sampling and bookkeeping fields, in our terms; adapters pass them on or name them dropped. */
function passThroughParameters(input: z.infer<typeof chatCompletionRequestSchema>): PassThroughParameters {
  const parameters: PassThroughParameters = {};
  if (input.top_p != null) parameters.topP = input.top_p;
  if (input.stop != null) parameters.stop = typeof input.stop === 'string' ? [input.stop] : input.stop;
  if (input.seed != null) parameters.seed = input.seed;
  if (input.presence_penalty != null) parameters.presencePenalty = input.presence_penalty;
  if (input.frequency_penalty != null) parameters.frequencyPenalty = input.frequency_penalty;
  if (input.user != null) parameters.user = input.user;
  return parameters;
}
