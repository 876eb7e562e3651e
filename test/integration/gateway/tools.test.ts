import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { RecordedReply, RecordedRequest } from '../../helpers/fake-provider-server.ts';
import { anthropicText, anthropicToolUse } from '../../fixtures/providers/anthropic-tools';
import { openAIText, openAIToolCall, openAIToolCallFor, weatherTool } from '../../fixtures/providers/openai-tools';
import { rawRequest, TOKEN, until, useGateway } from './gateway-harness';

const env = useGateway();

const ANSWER = 'It is 14 °C and cloudy in Paris.';

type Message = { role?: string; content?: unknown };
const messagesOf = (request: RecordedRequest): Message[] => ((request.body as { messages?: Message[] }).messages ?? []) as Message[];
/** OpenAI wire: the conversation ends with a tool result. */
const afterToolResult = (request: RecordedRequest): boolean => messagesOf(request).at(-1)?.role === 'tool';
/** Anthropic wire: the last user turn carries a tool_result block. */
const afterToolResultBlock = (request: RecordedRequest): boolean => {
  const content = messagesOf(request).at(-1)?.content;
  return Array.isArray(content) && content.some((block: { type?: string }) => block.type === 'tool_result');
};

function scriptOpenAI(): void {
  env.providers.openai.setRecordedReply((request): RecordedReply => (afterToolResult(request) ? openAIText(ANSWER) : openAIToolCall));
}
function scriptAnthropic(): void {
  env.providers.anthropic.setRecordedReply((request): RecordedReply =>
    afterToolResultBlock(request) ? anthropicText(ANSWER) : anthropicToolUse,
  );
}

const question: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
  { role: 'user', content: 'What is the weather like in Paris today?' },
];

function withResult(
  call: OpenAI.Chat.Completions.ChatCompletionMessageToolCall,
  content = '{"temperature_c": 14, "sky": "cloudy"}',
): OpenAI.Chat.Completions.ChatCompletionMessageParam[] {
  return [...question, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content }];
}

describe.each([
  { backend: 'an OpenAI backend', model: 'openai-main/gpt-4o', script: scriptOpenAI },
  { backend: 'an Anthropic backend', model: 'claude-backup/claude-haiku-4-5', script: scriptAnthropic },
])('tool round trip through /v1/chat/completions with $backend', ({ model, script }) => {
  it('returns the tool call, then answers from the tool result (not streamed)', async () => {
    script();
    const first = await env.gateway.client.chat.completions.create({ model, messages: question, tools: [weatherTool] });
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    if (call.type !== 'function') throw new Error('not a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toHaveProperty('location');

    const second = await env.gateway.client.chat.completions.create({ model, messages: withResult(call), tools: [weatherTool] });
    expect(second.choices[0]?.message.content).toBe(ANSWER);
    expect(second.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams tool-call deltas the SDK assembles, then streams the answer', async () => {
    script();
    const stream = env.gateway.client.chat.completions.stream({ model, messages: question, tools: [weatherTool] });
    const first = await stream.finalChatCompletion();
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = first.choices[0]!.message.tool_calls![0]!;
    if (call.type !== 'function') throw new Error('not a function call');
    expect(call.id).toMatch(/^(call_|toolu_)/);
    expect(JSON.parse(call.function.arguments)).toHaveProperty('location');

    const answer = await env.gateway.client.chat.completions
      .stream({ model, messages: withResult(call), tools: [weatherTool] })
      .finalContent();
    expect(answer).toBe(ANSWER);
  });
});

describe('a tool conversation that falls over to another provider', () => {
  it('carries the call ids and results over in Anthropic form after OpenAI goes down', async () => {
    scriptOpenAI();
    scriptAnthropic();
    const first = await env.gateway.client.chat.completions.create({ model: 'route/resilient', messages: question, tools: [weatherTool] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    if (call.type !== 'function') throw new Error('not a function call');
    expect(call.id).toBe('call_DdmO9pD3xa9XTPNJ32zg2hcA');

    await env.providers.openai.setFault('unavailable');
    const { data, response } = await env.gateway.client.chat.completions
      .create({ model: 'route/resilient', messages: withResult(call), tools: [weatherTool] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(ANSWER);
    expect(response.headers.get('x-switchboard-connection')).toBe('claude-backup');

    const sent = env.providers.anthropic.lastChatRequest()!.body as {
      messages: Array<{ role: string; content: unknown }>;
      tools: unknown[];
    };
    expect(sent.tools).toEqual([
      { name: 'get_weather', description: weatherTool.function.description, input_schema: weatherTool.function.parameters },
    ]);
    expect(sent.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather', input: { location: 'Paris, France' } }],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', content: '{"temperature_c": 14, "sky": "cloudy"}' }],
      },
    ]);
  });
});

describe("the openai SDK's tool runner", () => {
  it('completes a two-step tool task through the gateway', async () => {
    // Step 1 finds the city, step 2 its weather, then the model answers.
    env.providers.openai.setRecordedReply((request) => {
      const results = messagesOf(request).filter((message) => message.role === 'tool').length;
      if (results === 0) return openAIToolCallFor('get_location', '{}', 'call_location_1');
      if (results === 1) return openAIToolCallFor('get_weather', '{"location":"Paris, France"}', 'call_weather_2');
      return openAIText(ANSWER);
    });
    const seen: string[] = [];
    const runner = env.gateway.client.chat.completions.runTools({
      model: 'openai-main/gpt-4o',
      messages: [{ role: 'user', content: 'What is the weather where I am?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_location',
            description: 'Where the user is',
            parameters: { type: 'object', properties: {} },
            parse: JSON.parse,
            function: () => {
              seen.push('get_location');
              return 'Paris, France';
            },
          },
        },
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'The weather at a location',
            parameters: { type: 'object', properties: { location: { type: 'string' } } },
            parse: JSON.parse,
            function: (args: { location: string }) => {
              seen.push(`get_weather(${args.location})`);
              return '{"temperature_c": 14}';
            },
          },
        },
      ],
    });
    expect(await runner.finalContent()).toBe(ANSWER);
    expect(seen).toEqual(['get_location', 'get_weather(Paris, France)']);
    const requests = env.providers.openai.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(requests).toHaveLength(3);
    expect(messagesOf(requests[2]!).filter((message) => message.role === 'tool')).toHaveLength(2);
  });
});

describe('parameters and limits', () => {
  it('passes sampling parameters on and names the ones the target cannot take in x-switchboard-dropped and the log', async () => {
    const { response } = await env.gateway.client.chat.completions
      .create({
        model: 'claude-backup/claude-haiku-4-5',
        messages: question,
        top_p: 0.9,
        seed: 7,
        stop: ['END'],
        user: 'user-42',
      })
      .withResponse();
    expect(response.headers.get('x-switchboard-dropped')).toBe('top_p, seed');
    expect(env.providers.anthropic.lastChatRequest()!.body).toMatchObject({ stop_sequences: ['END'], metadata: { user_id: 'user-42' } });
    await until(async () => (await env.gateway.calls()).length === 1);
    const [row] = await env.gateway.calls();
    const detail = await env.gateway.services.callLog.get(row!.id);
    expect(detail?.reasons.map((reason) => reason.message)).toContain('Not sent to Claude (it cannot take them): top_p, seed');

    const openai = await env.gateway.client.chat.completions
      .create({
        model: 'openai-main/gpt-4o',
        messages: question,
        top_p: 0.9,
        seed: 7,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    expect(openai.response.headers.get('x-switchboard-dropped')).toBeNull();
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of openai.data) usage = chunk.usage ?? usage;
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(env.providers.openai.lastChatRequest()!.body).toMatchObject({ top_p: 0.9, seed: 7 });
  });

  it('answers n: 2 with a 400 that names n', async () => {
    const error = await env.gateway.client.chat.completions
      .create({ model: 'switchboard/primary', messages: question, n: 2 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, param: 'n' });
    expect(String((error as Error).message)).toMatch(/more than one choice/);
    expect(env.providers.openai.counters.chat).toBe(0);
  });

  it('answers a prompt larger than every candidate allows with a 400 context_length_exceeded, which the SDK does not retry', async () => {
    const huge = 'lorem ipsum dolor sit amet '.repeat(60_000);
    const response = await rawRequest(env.gateway.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'route/resilient', messages: [{ role: 'user', content: huge }] }),
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toMatchObject({ code: 'context_length_exceeded', type: 'invalid_request_error' });
    expect(env.providers.openai.counters.chat + env.providers.anthropic.counters.chat).toBe(0);
  });
});
