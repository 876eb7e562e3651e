import { z } from 'zod';

export const imageMediaTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const contentPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('image'),
    mediaType: z.enum(imageMediaTypes),
    /** Base64 without the data: prefix. */
    data: z.string().min(1),
  }),
]);
export type ContentPart = z.infer<typeof contentPartSchema>;

/** A tool the model may call: its name, what it does, and its arguments as JSON Schema. */
export const toolDefinitionSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()),
  /** OpenAI's strict schema adherence; passed on where the provider has it. */
  strict: z.boolean().optional(),
});
export type ToolDefinition = z.infer<typeof toolDefinitionSchema>;

/** Whether the model may, must or must not call a tool, or must call one named tool. */
export const toolChoiceSchema = z.union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('tool'), name: z.string() })]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

/** One tool call the model made; `arguments` is JSON text, as the model wrote it. */
export const toolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
export type ToolCall = z.infer<typeof toolCallSchema>;

/**
 * A reasoning block a provider returned with its answer. Anthropic's thinking blocks carry a
 * signature (or arrive redacted as opaque data) and must go back unchanged in the next turn.
 */
export const reasoningBlockSchema = z.object({
  /** The provider kind that wrote it: only that kind can take it back. */
  provider: z.string(),
  text: z.string(),
  signature: z.string().optional(),
  /** Anthropic's redacted_thinking data. */
  redacted: z.string().optional(),
});
export type ReasoningBlock = z.infer<typeof reasoningBlockSchema>;

/** A source the provider cites for its answer (Perplexity citations, web-search results). */
export const answerSourceSchema = z.object({
  url: z.string(),
  title: z.string().optional(),
  date: z.string().optional(),
  snippet: z.string().optional(),
});
export type AnswerSource = z.infer<typeof answerSourceSchema>;

/** Who wrote a stored chat message. */
export const chatRoleSchema = z.enum(['user', 'assistant']);

/** Who wrote a turn sent to a model: a `tool` turn is one tool's result. */
export const turnRoleSchema = z.enum(['user', 'assistant', 'tool']);

/**
 * One turn sent to a model. The system prompt travels separately (ModelRequest.system).
 * Assistant turns may carry tool calls and reasoning; a `tool` turn is one tool's result.
 */
export const chatMessageSchema = z.object({
  role: turnRoleSchema,
  content: z.union([z.string(), z.array(contentPartSchema).min(1)]),
  /** Assistant: the tool calls it made, several in one turn. */
  toolCalls: z.array(toolCallSchema).optional(),
  /** Assistant: reasoning blocks to return unchanged to the provider that wrote them. */
  reasoning: z.array(reasoningBlockSchema).optional(),
  /** Tool: the call this result answers. */
  toolCallId: z.string().optional(),
  /** Tool: the tool's name (Ollama and Gemini want it with the result). */
  toolName: z.string().optional(),
  /** Tool: the tool failed; the content says how. */
  isError: z.boolean().optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    schema: z.record(z.string(), z.unknown()),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

export function messageHasImage(message: ChatMessage): boolean {
  return typeof message.content !== 'string' && message.content.some((part) => part.type === 'image');
}

export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .filter((part): part is Extract<ContentPart, { type: 'text' }> => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}
