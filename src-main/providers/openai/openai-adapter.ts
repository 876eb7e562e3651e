import type { Connection } from '../../../src-shared/schemas/connection';
import type { ProviderAdapter } from '../../engine/ports';
import { createOpenAIClient } from './openai-client';
import type { OpenAIChatDialect } from './openai-request';
import type { Timeouts } from '../shared/call-scope';
import { OpenAIStyleAdapter } from './openai-style-adapter';
import { joinUrl } from '../shared/http-json';
import { fetchPost, type DirectPost } from '../shared/direct-post';

/** Reasoning models (o1, o3, o4-mini, the gpt-5 family and later) accept only the default temperature. */
const reasoningModel = /^(o\d|gpt-[5-9])/i;

/** `/models` on OpenAI also lists embeddings, audio, image and moderation models. */
const notChatModel = /embedding|whisper|tts|dall-e|moderation|davinci|babbage|transcribe|realtime|audio|image|search|computer-use/i;

export const openAIDialect: OpenAIChatDialect = {
  maxTokensParameter: 'max_completion_tokens',
  json: { object: true, schema: true },
  streamUsage: true,
  omitsTemperature: (model) => reasoningModel.test(model),
};

export function createOpenAIAdapter(
  connection: Connection,
  apiKey: string | null,
  options: { timeouts: Timeouts; fetch?: typeof fetch; post?: DirectPost },
): ProviderAdapter {
  return new OpenAIStyleAdapter({
    kind: connection.kind,
    connectionId: connection.id,
    providerName: connection.name,
    // OpenAI's own API: the SDK's client, timeouts and stream cost more per call than the HTTP itself.
    ...(apiKey
      ? {
          direct: {
            url: joinUrl(connection.baseUrl, 'chat/completions'),
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream' },
            post: options.post ?? fetchPost(options.fetch ?? globalThis.fetch),
          },
        }
      : {}),
    client: apiKey
      ? createOpenAIClient({ baseURL: connection.baseUrl, apiKey, timeoutMs: options.timeouts.streamIdleMs, fetch: options.fetch })
      : null,
    apiKey,
    dialect: openAIDialect,
    timeouts: options.timeouts,
    hooks: { modelFilter: (id) => !notChatModel.test(id) },
  });
}
