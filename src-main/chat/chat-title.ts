import { messageText, type ContentPart } from '../../src-shared/schemas/chat-message';
import type { RouteRequest } from '../../src-shared/schemas/route-plan';
import type { CallRunner } from '../calls/call-runner';

/** The first words of the question, until a generated title arrives. */
export function quickTitle(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').slice(0, 8).join(' ');
  const title = words.length > 60 ? `${words.slice(0, 57)}…` : words;
  return title || 'New conversation';
}

/** A short title made by whoever answers the conversation (`route`); null when it fails (the quick title then stays). */
export async function generateTitle(
  runner: CallRunner,
  question: string | ContentPart[],
  route: RouteRequest,
  conversationId: string,
): Promise<string | null> {
  const text = typeof question === 'string' ? question : messageText({ role: 'user', content: question });
  let title = '';
  try {
    for await (const event of runner.run({
      source: 'chat',
      conversationId,
      route: { ...route, needs: [], estimatedInputTokens: Math.ceil(text.length / 3) },
      call: {
        system:
          'Write a title of two to six words for a conversation that starts with the message below. Answer with the title only, no quotes.',
        messages: [{ role: 'user', content: text.slice(0, 2_000) }],
        maxOutputTokens: 24,
        totalTimeoutMs: 20_000,
      },
    })) {
      if (event.type === 'finish') title = event.text;
      if (event.type === 'error') return null;
    }
  } catch {
    return null;
  }
  const cleaned =
    title
      .replace(/["“”'`*#]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .split('\n')[0] ?? '';
  if (!cleaned) return null;
  return cleaned.length > 60 ? `${cleaned.slice(0, 57)}…` : cleaned;
}
