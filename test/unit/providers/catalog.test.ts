import { describe, expect, it } from 'vitest';
import { modelFactsSchema, providerKinds } from '../../../src-shared/schemas/connection';
import { catalogEntries } from '../../../src-main/providers/catalog-data';
import { factsFor, findCatalogEntry, normalizeModelId } from '../../../src-main/providers/catalog';
import { shipped } from '../../../src-main/providers/prices/price-book';

describe('catalog matching', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-haiku-4-5', 'claude-haiku-4-5'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['anthropic/claude-3.5-sonnet', 'claude-3-5-sonnet'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['openai/gpt-4.1', 'gpt-4.1'],
    ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['o3-2025-04-16', 'o3'],
    ['o4-mini', 'o4-mini'],
    ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['gemini-2.5-pro-preview-06-05', 'gemini-2.5-pro'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['deepseek/deepseek-chat-v3-0324', 'deepseek-chat'],
    ['deepseek-reasoner', 'deepseek-reasoner'],
    ['llama3.1:8b', 'llama-3.1'],
    ['llama3.2:latest', 'llama-3.2'],
    ['llama3.2-vision:11b', 'llama-3.2-vision'],
    ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'llama-3.3-70b'],
    ['llama-3.3-70b-versatile', 'llama-3.3-70b'],
    ['llama-3.1-8b-instant', 'llama-3.1'],
    ['llama3.1:8b-instruct-q4_K_M', 'llama-3.1'],
    ['mistral-large-latest', 'mistral-large'],
    ['mistral-large-2411', 'mistral-large-2411'],
    ['x-ai/grok-4', 'grok-4'],
    ['grok-4-0709', 'grok-4'],
    ['grok-3-mini', 'grok-3-mini'],
  ])('%s -> %s', (modelId, entryId) => {
    expect(findCatalogEntry(modelId)?.id).toBe(entryId);
  });

  it.each([
    // Different models with different prices must not borrow a family's facts.
    'gpt-4o-audio-preview',
    'gpt-4o-search-preview',
    'o3-pro',
    'gemini-2.5-flash-image-preview',
    'claude-opus-4-8',
    'claude-sonnet-5',
    'deepseek-r1:8b',
    'text-embedding-3-small',
    'my-finetune',
    '',
  ])('%s is unknown', (modelId) => {
    expect(findCatalogEntry(modelId)).toBeUndefined();
  });

  it('normalizes host prefixes, tags and spellings', () => {
    expect(normalizeModelId(' Anthropic/Claude-Sonnet-4.5 ')).toBe('claude-sonnet-4-5');
    expect(normalizeModelId('llama3.1:70b')).toBe('llama-3.1-70b');
    expect(normalizeModelId('gpt-4.1')).toBe('gpt-4.1');
  });
});

const prices = shipped();

describe('factsFor', () => {
  it('knows Perplexity sonar models search the web and take no tools', () => {
    for (const model of ['sonar', 'sonar-pro', 'sonar-reasoning-pro', 'sonar-deep-research']) {
      expect(factsFor('perplexity', model).capabilities).toMatchObject({ webSearch: true, tools: false });
    }
    expect(findCatalogEntry('sonar-pro')?.id).toBe('sonar-pro');
    expect(factsFor('openai', 'gpt-4o').capabilities.webSearch).toBeNull();
  });

  it('gives the maker list price on the maker own API', () => {
    const facts = factsFor('anthropic', 'claude-sonnet-4-5-20250929', prices);
    expect(facts).toEqual({
      id: 'claude-sonnet-4-5-20250929',
      capabilities: { text: true, vision: true, tools: true, structuredOutput: true, reasoning: true, webSearch: null },
      contextWindow: 200_000,
      maxInputTokens: 200_000,
      maxOutputTokens: 64_000,
      inputPricePerMillion: 3,
      outputPricePerMillion: 15,
      cacheReadPricePerMillion: 0.3,
      cacheWritePricePerMillion: 3.75,
      pricedByUser: false,
    });
    expect(factsFor('openai', 'gpt-4o-mini', prices)).toMatchObject({ inputPricePerMillion: 0.15, outputPricePerMillion: 0.6 });
    expect(factsFor('gemini', 'gemini-2.5-pro', prices)).toMatchObject({ contextWindow: 1_048_576, inputPricePerMillion: 1.25 });
    expect(factsFor('anthropic', 'claude-sonnet-4-6', prices)).toMatchObject({ inputPricePerMillion: 3, contextWindow: 1_000_000 });
    expect(factsFor('anthropic', 'claude-opus-4-6', prices)).toMatchObject({ inputPricePerMillion: 5, outputPricePerMillion: 25 });
  });

  it('does not guess prices on other hosts, but keeps what the model can do', () => {
    const viaRouter = factsFor('openrouter', 'anthropic/claude-sonnet-4.5', prices);
    expect(viaRouter.inputPricePerMillion).toBeNull();
    expect(viaRouter.outputPricePerMillion).toBeNull();
    expect(viaRouter.capabilities.vision).toBe(true);
    expect(viaRouter.contextWindow).toBe(200_000);
    expect(factsFor('azure-openai', 'gpt-4o', prices).inputPricePerMillion).toBeNull();
    expect(factsFor('groq', 'llama-3.3-70b-versatile', prices).inputPricePerMillion).toBeNull();
  });

  it('local runtimes cost nothing, known model or not', () => {
    expect(factsFor('ollama', 'llama3.1:8b')).toMatchObject({ inputPricePerMillion: 0, outputPricePerMillion: 0, contextWindow: 131_072 });
    expect(factsFor('lmstudio', 'some-gguf')).toMatchObject({ inputPricePerMillion: 0, outputPricePerMillion: 0, contextWindow: null });
  });

  it('unknown models are unknown: null, never invented', () => {
    expect(factsFor('custom', 'my-finetune', prices)).toEqual({
      id: 'my-finetune',
      capabilities: { text: true, vision: null, tools: null, structuredOutput: null, reasoning: null, webSearch: null },
      contextWindow: null,
      maxInputTokens: null,
      maxOutputTokens: null,
      inputPricePerMillion: null,
      outputPricePerMillion: null,
      cacheReadPricePerMillion: null,
      cacheWritePricePerMillion: null,
      pricedByUser: false,
    });
  });

  it('every entry produces facts the shared schema accepts, on every kind', () => {
    for (const entry of catalogEntries) {
      for (const kind of providerKinds) expect(() => modelFactsSchema.parse(factsFor(kind, entry.id, prices))).not.toThrow();
    }
  });

  it('entries are unique', () => {
    const ids = catalogEntries.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
