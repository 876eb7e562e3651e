import Anthropic from '@anthropic-ai/sdk';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RecordedReply, RecordedRequest } from '../../helpers/fake-provider-server.ts';
import { anthropicText, anthropicThinkingToolUse, anthropicToolUse, thinkingSignature } from '../../fixtures/providers/anthropic-tools';
import { openAIText, openAIToolCall } from '../../fixtures/providers/openai-tools';
import { perplexityAnswer, perplexityAnswerText, perplexitySearchResults } from '../../fixtures/providers/perplexity-citations';
import { rawRequest, TOKEN, until, useGateway } from './gateway-harness';

// Clients that speak Anthropic's Messages API (coding agents among them) use the gateway through
// the real @anthropic-ai/sdk, over the same routing and virtual model names as the OpenAI shape.

const env = useGateway();
let client: Anthropic;

beforeEach(() => {
  client = new Anthropic({ baseURL: env.gateway.url, apiKey: TOKEN, maxRetries: 0 });
});

const ANSWER = 'It is 14 °C and cloudy in Paris.';

type Message = { role?: string; content?: unknown };
const messagesOf = (request: RecordedRequest): Message[] => ((request.body as { messages?: Message[] }).messages ?? []) as Message[];
const afterToolResult = (request: RecordedRequest): boolean => messagesOf(request).at(-1)?.role === 'tool';
const afterToolResultBlock = (request: RecordedRequest): boolean => {
  const content = messagesOf(request).at(-1)?.content;
  return Array.isArray(content) && content.some((block: { type?: string }) => block.type === 'tool_result');
};

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};
const question: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather like in Paris today?' }];

function withResult(assistant: Anthropic.Message, toolUse: Anthropic.ToolUseBlock): Anthropic.MessageParam[] {
  return [
    ...question,
    { role: 'assistant', content: assistant.content as Anthropic.ContentBlockParam[] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '{"temperature_c": 14, "sky": "cloudy"}' }] },
  ];
}

function toolUseOf(message: Anthropic.Message): Anthropic.ToolUseBlock {
  const block = message.content.find((part): part is Anthropic.ToolUseBlock => part.type === 'tool_use');
  if (!block) throw new Error(`no tool_use block in ${JSON.stringify(message.content)}`);
  return block;
}

const textOf = (message: Anthropic.Message): string => message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

describe.each([
  {
    backend: 'an OpenAI backend',
    model: 'openai-main/gpt-4o',
    script: () =>
      env.providers.openai.setRecordedReply((request): RecordedReply => (afterToolResult(request) ? openAIText(ANSWER) : openAIToolCall)),
  },
  {
    backend: 'an Anthropic backend',
    model: 'claude-backup/claude-haiku-4-5',
    script: () =>
      env.providers.anthropic.setRecordedReply((request): RecordedReply =>
        afterToolResultBlock(request) ? anthropicText(ANSWER) : anthropicToolUse,
      ),
  },
])('tool round trip through /v1/messages with $backend', ({ model, script }) => {
  it('returns a tool_use block, then answers from the tool_result (not streamed)', async () => {
    script();
    const first = await client.messages.create({ model, max_tokens: 512, messages: question, tools: [weatherTool] });
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = toolUseOf(first);
    expect(toolUse.name).toBe('get_weather');
    expect(toolUse.input).toHaveProperty('location');

    const second = await client.messages.create({ model, max_tokens: 512, messages: withResult(first, toolUse), tools: [weatherTool] });
    expect(second.stop_reason).toBe('end_turn');
    expect(textOf(second)).toBe(ANSWER);
    expect(second.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams the tool call as input_json_delta pieces the SDK assembles, then streams the answer', async () => {
    script();
    const stream = client.messages.stream({ model, max_tokens: 512, messages: question, tools: [weatherTool] });
    const jsonPieces: string[] = [];
    stream.on('inputJson', (partial) => jsonPieces.push(partial));
    const first = await stream.finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = toolUseOf(first);
    expect(toolUse.id).toMatch(/^(call_|toolu_)/);
    expect(toolUse.input).toHaveProperty('location');
    expect(jsonPieces.length).toBeGreaterThan(1);

    const answer = client.messages.stream({ model, max_tokens: 512, messages: withResult(first, toolUse), tools: [weatherTool] });
    const pieces: string[] = [];
    answer.on('text', (text) => pieces.push(text));
    expect(await answer.finalText()).toBe(ANSWER);
    expect(pieces.join('')).toBe(ANSWER);
  });
});

describe('thinking blocks in a tool loop', () => {
  it('returns the signed thinking block, and sends it back unchanged to Anthropic in the next turn', async () => {
    env.providers.anthropic.setRecordedReply((request): RecordedReply =>
      afterToolResultBlock(request) ? anthropicText(ANSWER) : anthropicThinkingToolUse,
    );
    const model = 'claude-backup/claude-haiku-4-5';
    const first = await client.messages.stream({ model, max_tokens: 2048, messages: question, tools: [weatherTool] }).finalMessage();
    const thinking = first.content.find((block) => block.type === 'thinking');
    expect(thinking).toMatchObject({ type: 'thinking', signature: thinkingSignature });

    const second = await client.messages.create({
      model,
      max_tokens: 2048,
      messages: withResult(first, toolUseOf(first)),
      tools: [weatherTool],
    });
    expect(textOf(second)).toBe(ANSWER);
    const sent = env.providers.anthropic.lastChatRequest()!.body as { messages: Array<{ role: string; content: Array<{ type: string }> }> };
    const assistant = sent.messages.find((message) => message.role === 'assistant')!;
    expect(assistant.content[0]).toEqual({
      type: 'thinking',
      thinking: (thinking as Anthropic.ThinkingBlock).thinking,
      signature: thinkingSignature,
    });
    expect(assistant.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
  });
});

describe('the same routing as the OpenAI shape', () => {
  it('falls over along a route and logs the call as a gateway call', async () => {
    await env.providers.openai.setFault('unavailable');
    const { data, response } = await client.messages
      .create({ model: 'route/resilient', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello.' }] })
      .withResponse();
    expect(textOf(data).length).toBeGreaterThan(0);
    expect(response.headers.get('x-switchboard-connection')).toBe('claude-backup');
    expect(response.headers.get('x-switchboard-fallbacks')).toBe('1');
    // One log row per attempt: the failed one on OpenAI, then the answer from Claude.
    await until(async () => (await env.gateway.calls()).length === 2);
    const [failed, answered] = await env.gateway.calls();
    expect(failed).toMatchObject({ source: 'gateway', connectionId: 'openai-main', outcome: 'error' });
    expect(answered).toMatchObject({ source: 'gateway', connectionId: 'claude-backup', outcome: 'success', fallbackPosition: 1 });
  });

  it('counts tokens for a request without calling a provider', async () => {
    const counted = await client.messages.countTokens({ model: 'switchboard/primary', messages: question, tools: [weatherTool] });
    expect(counted.input_tokens).toBeGreaterThan(5);
    expect(env.providers.openai.counters.chat).toBe(0);
  });

  it('names what it cannot pass on in x-switchboard-dropped', async () => {
    const { response } = await client.messages
      .create({
        model: 'openai-main/gpt-4o',
        max_tokens: 2048,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        tools: [weatherTool, { type: 'web_search_20250305', name: 'web_search' }],
        messages: [{ role: 'user', content: 'Say hello.' }],
      })
      .withResponse();
    expect(response.headers.get('x-switchboard-dropped')).toBe('tools[1] (web_search_20250305), thinking');
    await until(async () => (await env.gateway.calls()).length === 1);
    const detail = await env.gateway.services.callLog.get((await env.gateway.calls())[0]!.id);
    expect(detail?.reasons.map((reason) => reason.message)).toContain(
      'Not passed on by the gateway (no provider takes them here): tools[1] (web_search_20250305), thinking',
    );
    // The custom tool still goes to the backend; the server tool, which only Anthropic runs, does not.
    expect(
      (env.providers.openai.lastChatRequest()!.body as { tools: Array<{ function: { name: string } }> }).tools.map(
        (tool) => tool.function.name,
      ),
    ).toEqual(['get_weather']);
  });
});

describe("sources in Anthropic's shape", () => {
  it('returns cited sources as a web_search_tool_result block, streamed and not, and takes the turn back', async () => {
    env.providers.openai.setRecordedReply(() => perplexityAnswer);
    const model = 'openai-main/gpt-4o';
    const ask: Anthropic.MessageParam[] = [{ role: 'user', content: 'Who won the 2024 Nobel Prize in Physics?' }];
    const plain = await client.messages.create({ model, max_tokens: 256, messages: ask });
    const streamed = await client.messages.stream({ model, max_tokens: 256, messages: ask }).finalMessage();
    for (const message of [plain, streamed]) {
      expect(textOf(message)).toBe(perplexityAnswerText);
      const result = message.content.find((block) => block.type === 'web_search_tool_result');
      const search = message.content.find((block) => block.type === 'server_tool_use');
      expect(result).toMatchObject({ tool_use_id: (search as Anthropic.ServerToolUseBlock).id });
      const found = (result as Anthropic.WebSearchToolResultBlock).content as Anthropic.WebSearchResultBlock[];
      expect(found.map((item) => [item.title, item.url, item.page_age])).toEqual(
        perplexitySearchResults.map((source) => [source.title, source.url, source.date]),
      );
    }
    // A client sends the whole assistant turn back; the search blocks are not passed on again.
    env.providers.openai.setRecordedReply(() => openAIText('You are welcome.'));
    const next = await client.messages.create({
      model,
      max_tokens: 256,
      messages: [
        ...ask,
        { role: 'assistant', content: plain.content as Anthropic.ContentBlockParam[] },
        { role: 'user', content: 'Thanks!' },
      ],
    });
    expect(textOf(next)).toBe('You are welcome.');
    const sent = env.providers.openai.lastChatRequest()!.body as { messages: Array<{ role: string; content: unknown }> };
    expect(sent.messages.find((message) => message.role === 'assistant')?.content).toBe(perplexityAnswerText);
  });
});

describe("errors in Anthropic's shape", () => {
  it('an unknown model is a NotFoundError the SDK reads', async () => {
    const error = await client.messages
      .create({ model: 'nowhere/nothing', max_tokens: 16, messages: question })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: expect.stringContaining('There is no model "nowhere/nothing"') },
    });
  });

  it('a wrong token is an AuthenticationError; a bad body a 400 naming the field', async () => {
    const stranger = new Anthropic({ baseURL: env.gateway.url, apiKey: 'not-the-token', maxRetries: 0 });
    await expect(stranger.messages.create({ model: 'switchboard/primary', max_tokens: 16, messages: question })).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
    const response = await rawRequest(env.gateway.url, {
      method: 'POST',
      path: '/v1/messages',
      headers: { 'x-api-key': TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'switchboard/primary', messages: question }),
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(/^max_tokens: /) },
    });
    expect(env.providers.openai.counters.chat).toBe(0);
  });

  it('a tool_result with no tool_use before it is refused before any provider is called', async () => {
    const error = await client.messages
      .create({
        model: 'switchboard/primary',
        max_tokens: 16,
        messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_missing', content: 'x' }] }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((error as Error).message)).toMatch(/toolu_missing/);
    expect(env.providers.openai.counters.chat).toBe(0);
  });

  it('a stream that fails before its first token is an HTTP error, not an empty answer', async () => {
    await env.providers.openai.setFault('unavailable');
    const error = await client.messages
      .stream({ model: 'openai-main/gpt-4o', max_tokens: 16, messages: question })
      .finalMessage()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBeGreaterThanOrEqual(500);
  });
});
