import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RecordedReply, RecordedRequest } from '../../helpers/fake-provider-server.ts';
import { anthropicText, anthropicToolUse } from '../../fixtures/providers/anthropic-tools';
import { openAIText, openAIToolCall } from '../../fixtures/providers/openai-tools';
import { TOKEN, useGateway } from './gateway-harness';

// The Vercel AI SDK with its OpenAI-compatible provider, pointed at the gateway like any
// OpenAI-compatible server: its tool loop runs a tool and answers from the result.

const env = useGateway();

const ANSWER = 'It is 14 °C and cloudy in Paris.';

type Message = { role?: string; content?: unknown };
const messagesOf = (request: RecordedRequest): Message[] => ((request.body as { messages?: Message[] }).messages ?? []) as Message[];

function weatherTool(seen: string[]) {
  return tool({
    description: 'Get the current weather in a given location',
    inputSchema: z.object({ location: z.string(), unit: z.enum(['celsius', 'fahrenheit']).optional() }),
    execute: ({ location }) => {
      seen.push(location);
      return { temperature_c: 14, sky: 'cloudy' };
    },
  });
}

const switchboard = () =>
  createOpenAICompatible({ name: 'switchboard', baseURL: `${env.gateway.url}/v1`, apiKey: TOKEN, includeUsage: true });

describe('the Vercel AI SDK through /v1/chat/completions', () => {
  it('generateText runs a tool and answers from its result (OpenAI backend)', async () => {
    env.providers.openai.setRecordedReply((request): RecordedReply =>
      messagesOf(request).at(-1)?.role === 'tool' ? openAIText(ANSWER) : openAIToolCall,
    );
    const seen: string[] = [];
    const result = await generateText({
      model: switchboard().chatModel('openai-main/gpt-4o'),
      prompt: 'What is the weather like in Paris today?',
      tools: { get_weather: weatherTool(seen) },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    expect(result.text).toBe(ANSWER);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]!.finishReason).toBe('tool-calls');
    expect(seen).toEqual(['Paris, France']);
    // The tool's result went back to the provider as a tool message answering the call's id.
    const last = messagesOf(env.providers.openai.lastChatRequest()!).at(-1) as { role: string; tool_call_id: string; content: string };
    expect(last.role).toBe('tool');
    expect(last.tool_call_id).toBe('call_DdmO9pD3xa9XTPNJ32zg2hcA');
    expect(JSON.parse(last.content)).toEqual({ temperature_c: 14, sky: 'cloudy' });
  });

  it('streamText runs a tool streamed from an Anthropic backend', async () => {
    env.providers.anthropic.setRecordedReply((request): RecordedReply => {
      const content = messagesOf(request).at(-1)?.content;
      const afterResult = Array.isArray(content) && content.some((block: { type?: string }) => block.type === 'tool_result');
      return afterResult ? anthropicText(ANSWER) : anthropicToolUse;
    });
    const seen: string[] = [];
    const result = streamText({
      model: switchboard().chatModel('claude-backup/claude-haiku-4-5'),
      prompt: 'What is the weather like in San Francisco today?',
      tools: { get_weather: weatherTool(seen) },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    expect(await result.text).toBe(ANSWER);
    expect(seen).toEqual(['San Francisco, CA']);
    expect((await result.steps).length).toBe(2);
  });
});
