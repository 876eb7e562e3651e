import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveModelFacts, factsFor } from '../../../src-main/providers/catalog';
import { createPriceBook, priceListUrl, shipped } from '../../../src-main/providers/prices/price-book';
import { parsePriceList } from '../../../src-main/providers/prices/price-list';
import { costUsd } from '../../../src-main/engine/limits';
import { AppErrorException } from '../../../src-shared/errors/app-error';

const prices = shipped();
const origin = { source: 'test', retrieved: '2026-12-01', kind: 'refreshed' as const };

describe('the shipped price list', () => {
  it('prices the default Claude models, with cache prices', () => {
    expect(prices.find('anthropic', 'claude-sonnet-4-6')).toMatchObject({
      inputPerMillion: 3,
      outputPerMillion: 15,
      cacheReadPerMillion: 0.3,
      cacheWritePerMillion: 3.75,
      maxInputTokens: 1_000_000,
    });
    expect(prices.find('anthropic', 'claude-opus-4-6')).toMatchObject({ inputPerMillion: 5, outputPerMillion: 25 });
    expect(prices.origin).toMatchObject({ kind: 'snapshot', retrieved: '2026-12-02' });
  });

  it.each([
    ['claude-sonnet-4-6-20260101', 'claude-sonnet-4-6'],
    ['claude-opus-4-6-20260205', 'claude-opus-4-6'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['Claude-Sonnet-4.6', 'claude-sonnet-4-6'],
    ['claude-opus-4', 'claude-opus-4-20250514'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
  ])('matches the reported version %s to %s', (reported, key) => {
    const kind = reported.startsWith('gpt') ? 'openai' : 'anthropic';
    expect(prices.find(kind, reported)?.key).toBe(key);
  });

  it('does not lend one model price to another or to another host', () => {
    expect(prices.find('anthropic', 'claude-sonnet-4-7')).toBeUndefined();
    expect(prices.find('openai', 'gpt-4o-mini-tts')).toBeUndefined();
    expect(prices.find('openrouter', 'anthropic/claude-sonnet-4-6')).toBeUndefined();
    expect(prices.find('custom', 'claude-sonnet-4-6')).toBeUndefined();
  });
});

describe('parsePriceList', () => {
  it('reads LiteLLM raw format, skipping non-chat and unpriced entries', () => {
    const list = parsePriceList(
      {
        sample_spec: { litellm_provider: 'x', input_cost_per_token: 'cost' },
        'dall-e-3': { litellm_provider: 'openai', mode: 'image_generation', output_cost_per_image: 0.04 },
        'gpt-9': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
      },
      origin,
    );
    expect(list.size).toBe(1);
    expect(list.find('openai', 'gpt-9')).toMatchObject({ inputPerMillion: 1, outputPerMillion: 2, cacheReadPerMillion: null });
  });

  it('refuses a document without any priced chat model', () => {
    expect(() => parsePriceList([], origin)).toThrow(/not a JSON object/);
    expect(() => parsePriceList({ a: 1 }, origin)).toThrow(/no chat models/);
  });
});

describe('effective prices', () => {
  const stored = { ...factsFor('anthropic', 'claude-sonnet-4-6'), contextWindow: null };

  it('uses the list price unless the user typed one', () => {
    const connection = { kind: 'anthropic' as const, models: [stored] };
    expect(effectiveModelFacts(connection, 'claude-sonnet-4-6', prices)).toMatchObject({
      inputPricePerMillion: 3,
      contextWindow: 1_000_000,
    });
    const overridden = {
      kind: 'anthropic' as const,
      models: [{ ...stored, inputPricePerMillion: 2, outputPricePerMillion: 10, pricedByUser: true }],
    };
    expect(effectiveModelFacts(overridden, 'claude-sonnet-4-6', prices)).toMatchObject({
      inputPricePerMillion: 2,
      outputPricePerMillion: 10,
    });
    // A model the connection has not listed (a Claude tier's choice) is still priced.
    expect(effectiveModelFacts(connection, 'claude-haiku-4-5-20251001', prices)).toMatchObject({ inputPricePerMillion: 1 });
  });

  it('prices cache reads and writes at their own price', () => {
    const facts = effectiveModelFacts({ kind: 'anthropic', models: [] }, 'claude-sonnet-4-6', prices);
    // 1M input tokens of which 600k read from cache and 100k written to it, plus 100k output.
    const cost = costUsd({ inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 600_000, cacheWriteTokens: 100_000 }, facts);
    expect(cost).toBeCloseTo(0.3 * 3 + 0.6 * 0.3 + 0.1 * 3.75 + 0.1 * 15, 9);
    expect(costUsd({ inputTokens: 1000, outputTokens: 10 }, { inputPricePerMillion: null, outputPricePerMillion: 1 })).toBeNull();
  });
});

describe('Refresh prices', () => {
  it('offline: a clear error, and the prices in use stay', async () => {
    const book = createPriceBook({ now: () => 0, fetch: () => Promise.reject(new TypeError('fetch failed')) });
    const error = await book.refresh().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppErrorException);
    expect((error as AppErrorException).appError).toMatchObject({ code: 'network' });
    expect((error as AppErrorException).appError.message).toContain(priceListUrl);
    expect((error as AppErrorException).appError.message).toContain('unchanged');
    expect(book.info().kind).toBe('snapshot');
  });

  it('a downloaded list replaces the snapshot and is kept for the next start', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.json');
    const body = JSON.stringify({
      'claude-sonnet-4-6': { litellm_provider: 'anthropic', mode: 'chat', input_cost_per_token: 4e-6, output_cost_per_token: 2e-5 },
    });
    const book = createPriceBook({ file, now: () => Date.UTC(2027, 0, 5), fetch: async () => new Response(body) });
    expect(await book.refresh()).toMatchObject({ kind: 'refreshed', retrieved: '2027-01-05', models: 1 });
    expect(book.list().find('anthropic', 'claude-sonnet-4-6')?.inputPerMillion).toBe(4);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ source: priceListUrl, retrieved: '2027-01-05' });
    const restarted = createPriceBook({ file, now: () => 0 });
    expect(restarted.info()).toMatchObject({ kind: 'refreshed', models: 1 });
  });

  it('a download that is not a price list is refused', async () => {
    const book = createPriceBook({ now: () => 0, fetch: async () => new Response('<html>captive portal</html>') });
    await expect(book.refresh()).rejects.toThrow(/not a price list/);
    expect(book.info().kind).toBe('snapshot');
  });
});
