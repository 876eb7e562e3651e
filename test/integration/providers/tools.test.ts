import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, ToolCall, ToolDefinition } from '../../../src-shared/schemas/chat-message';
import type { ModelRequest, ProviderStreamPart } from '../../../src-main/engine/ports';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server.ts';
import { anthropicThinkingToolUse, anthropicToolUse, thinkingSignature } from '../../fixtures/providers/anthropic-tools';
import { ollamaToolCallStream, ollamaTwoToolCalls } from '../../fixtures/providers/ollama-tools';
import { deepSeekToolCall, geminiToolCall, openAIToolCall, weatherTool } from '../../fixtures/providers/openai-tools';
import { perplexityAnswer, perplexitySearchResults } from '../../fixtures/providers/perplexity-citations';
import { adapterFor, kindCase, kindCases, runStream } from './provider-harness';

let server: FakeProviderServer;

beforeAll(async () => {
  server = await startFakeProviderServer({ name: 'tools' });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  await server.reset();
});

const tool: ToolDefinition = {
  name: weatherTool.function.name,
  description: weatherTool.function.description,
  parameters: weatherTool.function.parameters,
};

/** A finished tool loop: the user asked, the model called the tool, the tool answered. */
const toolLoop: ChatMessage[] = [
  { role: 'user', content: 'What is the weather like in Paris today?' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'call_12345xyz', name: 'get_weather', arguments: '{"location":"Paris, France"}' }] },
  { role: 'tool', toolCallId: 'call_12345xyz', content: '{"temperature_c": 14}' },
];

function toolCallsOf(parts: ProviderStreamPart[]): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const part of parts) {
    if (part.type !== 'tool-call-delta') continue;
    const call = (calls[part.delta.index] ??= { id: '', name: '', arguments: '' });
    if (part.delta.id) call.id = part.delta.id;
    if (part.delta.name) call.name = part.delta.name;
    call.arguments += part.delta.argumentsDelta;
  }
  return calls;
}

const body = (): Record<string, unknown> => server.lastChatRequest()!.body as Record<string, unknown>;
const finishOf = (parts: ProviderStreamPart[]) => parts.find((part) => part.type === 'finish');

// Perplexity's Sonar API has no tool calling: it is checked apart below. Ollama's native API is too.
const openAIStyleKinds = kindCases.filter((testCase) => !['anthropic', 'perplexity', 'ollama'].includes(testCase.kind));

describe.each(openAIStyleKinds)('$kind adapter with tools', (testCase) => {
  const fixture = testCase.kind === 'gemini' ? geminiToolCall : testCase.kind === 'deepseek' ? deepSeekToolCall : openAIToolCall;
  const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
    model: testCase.model,
    messages: [{ role: 'user', content: 'What is the weather like in Paris today?' }],
    tools: [tool],
    toolChoice: 'auto',
    ...overrides,
  });

  it('sends tools in OpenAI form and assembles the streamed tool call', async () => {
    server.setRecordedReply(() => fixture);
    const outcome = await runStream(adapterFor(testCase, server), request());
    expect(outcome.error).toBeUndefined();
    expect(body()['tools']).toEqual([
      { type: 'function', function: { name: 'get_weather', description: tool.description, parameters: tool.parameters } },
    ]);
    expect(body()['tool_choice']).toBe('auto');
    const [call] = toolCallsOf(outcome.parts);
    expect(call?.name).toBe('get_weather');
    expect(call?.id).toMatch(/^(call_|function-call-)/);
    expect(JSON.parse(call!.arguments)).toHaveProperty('location');
    expect(finishOf(outcome.parts)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('sends the tool call and its result back as assistant tool_calls and a tool message', async () => {
    await runStream(adapterFor(testCase, server), request({ messages: toolLoop, toolChoice: { type: 'tool', name: 'get_weather' } }));
    const messages = body()['messages'] as Array<Record<string, unknown>>;
    expect(messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_12345xyz', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris, France"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_12345xyz', content: '{"temperature_c": 14}' },
    ]);
    expect(body()['tool_choice']).toEqual({ type: 'function', function: { name: 'get_weather' } });
  });
});

describe('ollama adapter with tools (native /api/chat)', () => {
  const testCase = kindCase('ollama');
  const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
    model: testCase.model,
    messages: [{ role: 'user', content: 'What is the weather like in Paris today?' }],
    tools: [tool],
    ...overrides,
  });

  it('sends tools in function form and reads the whole call from one chunk, with an id it made', async () => {
    server.setRecordedReply(() => ollamaToolCallStream);
    const outcome = await runStream(adapterFor(testCase, server), request({ toolChoice: 'auto' }));
    expect(outcome.error).toBeUndefined();
    expect(outcome.unexpected).toBeUndefined();
    expect(body()['tools']).toEqual([
      { type: 'function', function: { name: 'get_weather', description: tool.description, parameters: tool.parameters } },
    ]);
    expect(body()).not.toHaveProperty('tool_choice');
    expect(outcome.parts.some((part) => part.type === 'dropped')).toBe(false);
    const calls = toolCallsOf(outcome.parts);
    expect(calls).toEqual([{ id: expect.stringMatching(/^call_\w+_0$/), name: 'get_weather', arguments: '{"location":"Paris, France"}' }]);
    expect(finishOf(outcome.parts)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('numbers several calls, keeps an id the server sent, and gives each answer its own ids', async () => {
    server.setRecordedReply(() => ollamaTwoToolCalls);
    const first = toolCallsOf((await runStream(adapterFor(testCase, server), request())).parts);
    expect(first.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
      ['get_weather', { location: 'Paris, France' }],
      ['get_weather', { location: 'Rome, Italy' }],
    ]);
    expect(first[1]!.id).toBe('call_abc');
    const second = toolCallsOf((await runStream(adapterFor(testCase, server), request())).parts);
    expect(second[0]!.id).not.toBe(first[0]!.id);
  });

  it('sends the call back with object arguments and the result as a tool message naming the tool', async () => {
    await runStream(adapterFor(testCase, server), request({ messages: toolLoop }));
    const messages = body()['messages'] as Array<Record<string, unknown>>;
    expect(messages.slice(-2)).toEqual([
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { location: 'Paris, France' } } }] },
      { role: 'tool', content: '{"temperature_c": 14}', tool_name: 'get_weather' },
    ]);
  });

  it('names what Ollama cannot honour and sends no tools when none may be called', async () => {
    const forced = await runStream(
      adapterFor(testCase, server),
      request({ toolChoice: 'required', parallelToolCalls: false, parameters: { topP: 0.5, seed: 7, stop: ['END'], user: 'u-1' } }),
    );
    expect(forced.parts[0]).toEqual({ type: 'dropped', names: ['tool_choice', 'parallel_tool_calls', 'user'] });
    expect(body()['options']).toMatchObject({ top_p: 0.5, seed: 7, stop: ['END'] });
    await runStream(adapterFor(testCase, server), request({ toolChoice: 'none' }));
    expect(body()).not.toHaveProperty('tools');
  });
});

describe('anthropic adapter with tools', () => {
  const testCase = kindCase('anthropic');
  const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
    model: testCase.model,
    messages: [{ role: 'user', content: 'What is the weather like in San Francisco?' }],
    tools: [tool],
    ...overrides,
  });

  it('sends tools as input_schema with tool_choice and disable_parallel_tool_use', async () => {
    server.setRecordedReply(() => anthropicToolUse);
    await runStream(adapterFor(testCase, server), request({ toolChoice: 'required', parallelToolCalls: false }));
    expect(body()['tools']).toEqual([{ name: 'get_weather', description: tool.description, input_schema: tool.parameters }]);
    expect(body()['tool_choice']).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  it('turns tool_use and its input_json_delta pieces into one tool call after the text', async () => {
    server.setRecordedReply(() => anthropicToolUse);
    const outcome = await runStream(adapterFor(testCase, server), request());
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(toolCallsOf(outcome.parts)).toEqual([
      { id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}' },
    ]);
    expect(finishOf(outcome.parts)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('returns a thinking block with its signature and sends it back unchanged before the tool_use', async () => {
    server.setRecordedReply(() => anthropicThinkingToolUse);
    const first = await runStream(adapterFor(testCase, server), request());
    const reasoning = first.parts.flatMap((part) => (part.type === 'reasoning' ? [part.block] : []));
    expect(reasoning).toEqual([{ provider: 'anthropic', text: expect.stringContaining('get_weather'), signature: thinkingSignature }]);
    const [call] = toolCallsOf(first.parts);

    server.setRecordedReply(null);
    const messages: ChatMessage[] = [
      { role: 'user', content: 'What is the weather like in San Francisco?' },
      { role: 'assistant', content: '', toolCalls: [call!], reasoning },
      { role: 'tool', toolCallId: call!.id, content: '15 degrees', isError: false },
      { role: 'tool', toolCallId: 'toolu_second', content: 'station offline', isError: true },
    ];
    await runStream(adapterFor(testCase, server), request({ messages }));
    const sent = body()['messages'] as Array<{ role: string; content: unknown }>;
    expect(sent[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: reasoning[0]!.text, signature: thinkingSignature },
        { type: 'tool_use', id: call!.id, name: 'get_weather', input: { location: 'San Francisco, CA' } },
      ],
    });
    // Both results travel in the next user turn.
    expect(sent[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: call!.id, content: '15 degrees' },
        { type: 'tool_result', tool_use_id: 'toolu_second', content: 'station offline', is_error: true },
      ],
    });
    expect(sent).toHaveLength(3);
  });

  it('drops reasoning another provider wrote, and the parameters Anthropic has no field for, and names them', async () => {
    const outcome = await runStream(
      adapterFor(testCase, server),
      request({
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello', reasoning: [{ provider: 'deepseek', text: 'thinking...' }] },
          { role: 'user', content: 'Again' },
        ],
        temperature: 0.2,
        parameters: { topP: 0.9, seed: 7, stop: ['END'], user: 'user-42' },
      }),
    );
    expect(outcome.parts[0]).toEqual({ type: 'dropped', names: ['reasoning blocks', 'temperature', 'top_p', 'seed'] });
    expect(body()['stop_sequences']).toEqual(['END']);
    expect(body()['metadata']).toEqual({ user_id: 'user-42' });
    expect(JSON.stringify(body())).not.toContain('thinking...');
  });
});

describe('pass-through parameters on OpenAI-style servers', () => {
  it('sends what the server takes and names what it does not', async () => {
    const parameters = { topP: 0.5, seed: 7, stop: ['END'], presencePenalty: 0.1, frequencyPenalty: 0.2, user: 'user-42' };
    const openai = await runStream(adapterFor(kindCase('openai'), server), {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
      parameters,
      parallelToolCalls: false,
      tools: [tool],
    });
    expect(openai.parts.some((part) => part.type === 'dropped')).toBe(false);
    expect(body()).toMatchObject({ top_p: 0.5, seed: 7, stop: ['END'], presence_penalty: 0.1, frequency_penalty: 0.2, user: 'user-42' });
    expect(body()['parallel_tool_calls']).toBe(false);

    const perplexity = await runStream(adapterFor(kindCase('perplexity'), server), {
      model: 'sonar',
      messages: [{ role: 'user', content: 'Hi' }],
      parameters,
      tools: [tool],
    });
    expect(perplexity.parts[0]).toEqual({ type: 'dropped', names: ['tools', 'seed', 'stop', 'user'] });
    expect(body()).not.toHaveProperty('tools');
    expect(body()).not.toHaveProperty('seed');
    expect(body()).toMatchObject({ top_p: 0.5, presence_penalty: 0.1 });
  });
});

describe('sources', () => {
  it("keeps Perplexity's search results with the answer", async () => {
    server.setRecordedReply(() => perplexityAnswer);
    const outcome = await runStream(adapterFor(kindCase('perplexity'), server), {
      model: 'sonar',
      messages: [{ role: 'user', content: 'Who won?' }],
    });
    expect(outcome.text).toContain('[1][2]');
    expect(outcome.parts.find((part) => part.type === 'sources')).toEqual({ type: 'sources', sources: perplexitySearchResults });
  });
});
