import { z } from 'zod';
import { imageMediaTypes, type ChatMessage, type ContentPart, type ResponseFormat } from '../../src-shared/schemas/chat-message';
import { invalidRequest } from './gateway-errors';

// Only what the gateway acts on is checked; other OpenAI fields (top_p, user, seed, ...) pass
// through unread, so clients written for OpenAI work without edits.
const contentSchema = z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).nullable();

const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant'], {
    error: 'Use the roles system, user or assistant: the gateway does not support tool calling',
  }),
  content: contentSchema.optional(),
  tool_calls: z.array(z.unknown()).max(0, 'The gateway does not support tool calling: send text (and images) only').nullish(),
});

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
  n: z.number().int().min(1).max(1, 'The gateway returns one choice: leave n out or set it to 1').nullish(),
  tools: z.array(z.unknown()).max(0, 'The gateway does not support tool calling yet: leave tools out').nullish(),
  functions: z.array(z.unknown()).max(0, 'The gateway does not support function calling: leave functions out').nullish(),
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
  const declared = match[1]!.trim().toLowerCase();
  const mediaType = mediaTypeAliases[declared] ?? declared;
  const data = match[2]!;
  if (!isImageMediaType(mediaType)) {
    throw invalidRequest(`Images of type ${declared} are not supported: send PNG, JPEG, GIF or WebP`, `${param}.image_url.url`);
  }
  if (!base64Pattern.test(data)) throw invalidRequest('The image data is not valid base64', `${param}.image_url.url`);
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
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue ? paramPath(issue.path) : undefined;
    throw invalidRequest(`${param ? `${param}: ` : ''}${issue?.message ?? 'Invalid request body'}`, param || undefined);
  }
  const input = parsed.data;
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
    if (typeof content === 'string') {
      messages.push({ role: message.role, content });
      return;
    }
    const parts = contentParts(content, param, message.role === 'user');
    // Our messages take either a string or at least one part.
    messages.push({ role: message.role, content: parts.length > 0 ? parts : '' });
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
  return request;
}
