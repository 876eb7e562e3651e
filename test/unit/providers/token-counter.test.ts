import { describe, expect, it } from 'vitest';
import { createTokenCounter, encodingFor } from '../../../src-main/providers/token-counter';

describe('token counting', () => {
  it('picks the tokenizer of each OpenAI model family and none for the others', () => {
    expect(encodingFor('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingFor('openai/o4-mini')).toBe('o200k_base');
    expect(encodingFor('gpt-4-turbo')).toBe('cl100k_base');
    expect(encodingFor('claude-sonnet-4-6')).toBeNull();
    expect(encodingFor(undefined)).toBeNull();
  });

  it('counts exactly with the real tokenizer once loaded, and estimates with a margin elsewhere', async () => {
    const counter = createTokenCounter();
    const text = 'Switchboard routes every call to the right provider.';
    const before = counter.countTokens(text, 'gpt-4o');
    await counter.warm();
    const exact = counter.countTokens(text, 'gpt-4o');
    expect(exact).toBe(10);
    expect(before).toBeGreaterThan(exact);
    expect(counter.countTokens(text, 'claude-sonnet-4-6')).toBe(Math.ceil((text.length / 3.5) * 1.1));
    // Loading the o200k tokenizer takes seconds on a busy machine.
  }, 30_000);
});
