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

export const chatRoleSchema = z.enum(['user', 'assistant']);

/** One turn sent to a model. The system prompt travels separately (ModelRequest.system). */
export const chatMessageSchema = z.object({
  role: chatRoleSchema,
  content: z.union([z.string(), z.array(contentPartSchema).min(1)]),
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
