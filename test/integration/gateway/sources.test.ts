import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { perplexityAnswer, perplexityAnswerText, perplexitySearchResults } from '../../fixtures/providers/perplexity-citations';
import { openAIToolCall, weatherTool } from '../../fixtures/providers/openai-tools';
import { until, useGateway } from './gateway-harness';

// Sources a Perplexity-format backend cites go through the gateway in Perplexity's own fields and
// into the call log, numbered; a tool call is kept in the log too.

const env = useGateway();

type WithSources = { citations?: string[]; search_results?: Array<{ title: string; url: string; date?: string }> };
const question: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
  { role: 'user', content: 'Who won the 2024 Nobel Prize in Physics?' },
];
const numbered = perplexitySearchResults.map((source, index) => `[${index + 1}] ${source.title} ${source.url}`).join('\n');

async function loggedResponse(): Promise<string> {
  await until(async () => (await env.gateway.calls()).length === 1);
  const [row] = await env.gateway.calls();
  return (await env.gateway.services.callLog.get(row!.id))?.response ?? '';
}

describe('sources through /v1/chat/completions', () => {
  it('passes citations and search_results on with the answer and logs them numbered (not streamed)', async () => {
    env.providers.openai.setRecordedReply(() => perplexityAnswer);
    const answer = (await env.gateway.client.chat.completions.create({
      model: 'openai-main/gpt-4o',
      messages: question,
    })) as OpenAI.Chat.ChatCompletion & WithSources;
    expect(answer.choices[0]?.message.content).toBe(perplexityAnswerText);
    expect(answer.citations).toEqual(perplexitySearchResults.map((source) => source.url));
    expect(answer.search_results).toEqual(perplexitySearchResults);
    expect(await loggedResponse()).toBe(`${perplexityAnswerText}\n\nSources:\n${numbered}`);
  });

  it('sends them on the last streamed chunk', async () => {
    env.providers.openai.setRecordedReply(() => perplexityAnswer);
    const stream = await env.gateway.client.chat.completions.create({ model: 'openai-main/gpt-4o', messages: question, stream: true });
    let text = '';
    let last: (OpenAI.Chat.ChatCompletionChunk & WithSources) | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      last = chunk as OpenAI.Chat.ChatCompletionChunk & WithSources;
    }
    expect(text).toBe(perplexityAnswerText);
    expect(last?.citations).toHaveLength(3);
    expect(last?.search_results?.[2]?.title).toBe('Geoffrey Hinton - Wikipedia');
  });

  it('keeps a tool call in the call log', async () => {
    env.providers.openai.setRecordedReply(() => openAIToolCall);
    await env.gateway.client.chat.completions.create({ model: 'openai-main/gpt-4o', messages: question, tools: [weatherTool] });
    expect(await loggedResponse()).toMatch(/get_weather.*Paris, France/);
  });
});
