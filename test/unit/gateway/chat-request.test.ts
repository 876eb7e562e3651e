import { describe, expect, it } from 'vitest';
import { parseChatRequest } from '../../../src-main/gateway/chat-request';
import { GatewayHttpError } from '../../../src-main/gateway/gateway-errors';

const png = 'iVBORw0KGgo=';

function refusal(body: unknown): GatewayHttpError {
  try {
    parseChatRequest(body);
  } catch (error) {
    if (error instanceof GatewayHttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseChatRequest', () => {
  it('turns system and developer turns into the system prompt and keeps the conversation', () => {
    const parsed = parseChatRequest({
      model: 'switchboard/primary',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use British spelling.' }] },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Colour?' },
      ],
      temperature: 0.3,
      max_completion_tokens: 50,
      max_tokens: 10,
      stream: true,
      stream_options: { include_usage: true },
      top_p: 0.9,
      user: 'someone',
    });
    expect(parsed).toEqual({
      model: 'switchboard/primary',
      stream: true,
      includeUsage: true,
      system: 'Be brief.\n\nUse British spelling.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Colour?' },
      ],
      temperature: 0.3,
      maxOutputTokens: 50,
      parameters: { topP: 0.9, user: 'someone' },
    });
  });

  it('reads tools, tool_choice, assistant tool calls and tool results', () => {
    const parsed = parseChatRequest({
      model: 'm/x',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '14 C' }] },
      ],
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' }, strict: true } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      stop: 'END',
      seed: 3,
    });
    expect(parsed.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' }] },
      { role: 'tool', content: '14 C', toolCallId: 'call_1' },
    ]);
    expect(parsed.tools).toEqual([{ name: 'get_weather', description: 'Weather', parameters: { type: 'object' }, strict: true }]);
    expect(parsed.toolChoice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(parsed.parallelToolCalls).toBe(false);
    expect(parsed.parameters).toEqual({ stop: ['END'], seed: 3 });
  });

  it('reads max_tokens when max_completion_tokens is absent, and treats nulls as absent', () => {
    const parsed = parseChatRequest({
      model: 'm/x',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 12,
      temperature: null,
      stream: null,
    });
    expect(parsed.maxOutputTokens).toBe(12);
    expect(parsed.temperature).toBeUndefined();
    expect(parsed.stream).toBe(false);
  });

  it('turns data: URL images into image parts, jpg spelled either way', () => {
    const parsed = parseChatRequest({
      model: 'm/x',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}`, detail: 'low' } },
            { type: 'image_url', image_url: `data:image/jpg;base64,${png}` },
          ],
        },
      ],
    });
    expect(parsed.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image', mediaType: 'image/png', data: png },
      { type: 'image', mediaType: 'image/jpeg', data: png },
    ]);
  });

  it.each([
    ['json_object', { type: 'json_object' }, { type: 'json' }],
    [
      'json_schema',
      { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object' }, strict: true } },
      { type: 'json_schema', name: 'city', schema: { type: 'object' } },
    ],
    [
      'json_schema without a schema',
      { type: 'json_schema', json_schema: { name: 'any' } },
      { type: 'json_schema', name: 'any', schema: { type: 'object' } },
    ],
    ['text', { type: 'text' }, undefined],
  ])('maps response_format %s', (_name, format, expected) => {
    expect(parseChatRequest({ model: 'm/x', messages: [{ role: 'user', content: 'Hi' }], response_format: format }).responseFormat).toEqual(
      expected,
    );
  });

  it.each([
    ['no model', { messages: [{ role: 'user', content: 'Hi' }] }, 'model', 'GET /v1/models'],
    ['no messages', { model: 'm/x', messages: [] }, 'messages', 'at least one message'],
    [
      'a tool turn without its call id',
      { model: 'm/x', messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
      'tool_call_id',
    ],
    [
      'a tool result with no call before it',
      {
        model: 'm/x',
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', tool_call_id: 'call_9', content: 'x' },
        ],
      },
      'messages[1].tool_call_id',
      'No earlier assistant turn made the tool call "call_9"',
    ],
    [
      'a tool with no function',
      { model: 'm/x', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function' }] },
      'tools[0].function',
      '',
    ],
    [
      'a tool with a bad name',
      { model: 'm/x', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'get weather' } }] },
      'tools[0].function.name',
      'Name a tool',
    ],
    ['the old functions field', { model: 'm/x', messages: [{ role: 'user', content: 'x' }], functions: [{}] }, 'functions', 'send tools'],
    ['n above 1', { model: 'm/x', messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n', 'more than one choice'],
    ['a top_p of 2', { model: 'm/x', messages: [{ role: 'user', content: 'x' }], top_p: 2 }, 'top_p', 'from 0 to 1'],
    ['a temperature of 3', { model: 'm/x', messages: [{ role: 'user', content: 'x' }], temperature: 3 }, 'temperature', 'from 0 to 2'],
    ['only a system prompt', { model: 'm/x', messages: [{ role: 'system', content: 'x' }] }, 'messages', 'user message'],
    [
      'an http image',
      { model: 'm/x', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/cat.png' } }] }] },
      'messages[0].content[0].image_url.url',
      'data: URL',
    ],
    [
      'an image that is not base64',
      { model: 'm/x', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,***' } }] }] },
      'messages[0].content[0].image_url.url',
      'base64',
    ],
    [
      'an audio part',
      { model: 'm/x', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
      'messages[0].content[0].type',
      'text and image_url',
    ],
    [
      'an image in an assistant turn',
      {
        model: 'm/x',
        messages: [{ role: 'assistant', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }],
      },
      'messages[0].content[0]',
      'Only user messages',
    ],
    [
      'a bad schema name',
      { model: 'm/x', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'a b' } } },
      'response_format.json_schema.name',
      'letters',
    ],
  ])('refuses %s with a 400 naming the field', (_name, body, param, words) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.error.code).toBe('validation_failed');
    expect(error.param).toBe(param);
    expect(error.message).toContain(words);
  });
});
