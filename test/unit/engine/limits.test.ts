import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src-shared/schemas/chat-message';
import { costUsd, effectiveMaxInput, estimateInputTokens } from '../../../src-main/engine/limits';
import { requiredCapabilities } from '../../../src-main/engine/needs';
import { facts } from './helpers/fixtures';

const image = { type: 'image' as const, mediaType: 'image/png' as const, data: 'iVBORw0KGgo=' };

describe('estimateInputTokens', () => {
  it('without a tokenizer: characters / 3.5 plus per-message overhead plus 1,000 per image, times 1.1', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'x'.repeat(350) },
      { role: 'assistant', content: 'y'.repeat(70) },
      { role: 'user', content: [{ type: 'text', text: 'z'.repeat(35) }, image] },
    ];
    // (455 / 3.5 + 3 messages * 4 + 1 image * 1000) * 1.1 = (130 + 12 + 1000) * 1.1
    expect(estimateInputTokens({ messages })).toBe(Math.ceil(1142 * 1.1));
    expect(estimateInputTokens({ messages, system: 'a'.repeat(35) })).toBe(Math.ceil((140 + 16 + 1000) * 1.1));
  });

  it('with a tokenizer port, counts text exactly and adds the same overhead', () => {
    const counted: Array<[string, string | undefined]> = [];
    const counter = {
      countTokens: (text: string, model?: string) => {
        counted.push([text, model]);
        return text.split(' ').length;
      },
    };
    const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'one two three' }, image] }];
    expect(estimateInputTokens({ messages, system: 'be brief', model: 'gpt-4o' }, counter)).toBe(3 + 2 + 2 * 4 + 1000);
    expect(counted).toEqual([
      ['be brief', 'gpt-4o'],
      ['one two three', 'gpt-4o'],
    ]);
  });
});

describe('effectiveMaxInput', () => {
  it.each([
    { name: 'nothing known', facts: null, entry: undefined, expected: null },
    { name: 'context window only', facts: facts('m', {}, { contextWindow: 128_000 }), entry: undefined, expected: 128_000 },
    {
      name: 'user limit below the window',
      facts: facts('m', {}, { contextWindow: 128_000, maxInputTokens: 30_000 }),
      entry: undefined,
      expected: 30_000,
    },
    {
      name: 'tier entry limit is the smallest',
      facts: facts('m', {}, { contextWindow: 128_000, maxInputTokens: 30_000 }),
      entry: { maxInputTokens: 8_000 },
      expected: 8_000,
    },
    { name: 'tier entry limit alone', facts: undefined, entry: { maxInputTokens: 4_096 }, expected: 4_096 },
  ])('$name -> $expected', ({ facts: modelFacts, entry, expected }) => {
    expect(effectiveMaxInput(modelFacts, entry)).toBe(expected);
  });
});

describe('costUsd', () => {
  it.each([
    {
      name: 'priced',
      prices: { inputPricePerMillion: 3, outputPricePerMillion: 15 },
      usage: { inputTokens: 1_000_000, outputTokens: 100_000 },
      expected: 4.5,
    },
    {
      name: 'free local model',
      prices: { inputPricePerMillion: 0, outputPricePerMillion: 0 },
      usage: { inputTokens: 5_000, outputTokens: 500 },
      expected: 0,
    },
    {
      name: 'unknown input price',
      prices: { inputPricePerMillion: null, outputPricePerMillion: 15 },
      usage: { inputTokens: 10, outputTokens: 10 },
      expected: null,
    },
    {
      name: 'unknown output price with no output',
      prices: { inputPricePerMillion: 2, outputPricePerMillion: null },
      usage: { inputTokens: 500_000, outputTokens: 0 },
      expected: 1,
    },
  ])('$name -> $expected', ({ prices, usage, expected }) => {
    expect(costUsd(usage, facts('m', {}, prices))).toBe(expected);
  });

  it('no facts at all -> null', () => {
    expect(costUsd({ inputTokens: 1, outputTokens: 1 }, undefined)).toBeNull();
  });
});

describe('requiredCapabilities', () => {
  it.each([
    { name: 'plain text needs nothing special', source: { messages: [{ role: 'user' as const, content: 'hi' }] }, expected: [] },
    { name: 'an image needs vision', source: { messages: [{ role: 'user' as const, content: [image] }] }, expected: ['vision'] },
    {
      name: 'a response schema needs structured output',
      source: {
        messages: [{ role: 'user' as const, content: 'plan' }],
        responseFormat: { type: 'json_schema' as const, name: 'plan', schema: {} },
      },
      expected: ['structuredOutput'],
    },
    {
      name: 'tools and agent requirements add up',
      source: { messages: [], usesTools: true, required: ['reasoning' as const] },
      expected: ['reasoning', 'tools'],
    },
  ])('$name', ({ source, expected }) => {
    expect(requiredCapabilities(source).sort()).toEqual([...expected].sort());
  });
});
