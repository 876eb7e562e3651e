import { z } from 'zod';
import type { ProviderKind } from '../../../src-shared/schemas/connection';
import type { PriceListInfo } from '../../../src-shared/schemas/prices';
import { normalizeModelId, sameModelVersion } from '../catalog';

/** What a model costs and how much it takes, in USD per million tokens; null where the list does not say. */
export interface ModelPrice {
  /** The list's key, e.g. "claude-sonnet-4-6" or "gemini/gemini-2.5-pro". */
  key: string;
  inputPerMillion: number;
  outputPerMillion: number;
  cacheReadPerMillion: number | null;
  cacheWritePerMillion: number | null;
  maxInputTokens: number | null;
  maxOutputTokens: number | null;
}

/** Where a price list came from. */
export type PriceListOrigin = Omit<PriceListInfo, 'models'>;

export interface PriceList {
  origin: PriceListOrigin;
  size: number;
  /** The price of a model on a kind of connection, allowing dated versions; undefined when unknown. */
  find(kind: ProviderKind, modelId: string): ModelPrice | undefined;
}

/** Which `litellm_provider` bills a kind of connection at its list price. Other kinds have no list price. */
const providerOfKind: Partial<Record<ProviderKind, string[]>> = {
  anthropic: ['anthropic'],
  openai: ['openai'],
  'azure-openai': ['azure'],
  gemini: ['gemini'],
  deepseek: ['deepseek'],
  mistral: ['mistral'],
  xai: ['xai'],
  groq: ['groq'],
  together: ['together_ai'],
  perplexity: ['perplexity'],
  openrouter: ['openrouter'],
};

const perToken = z.number().nonnegative().finite();
const tokens = z.number().int().positive();
const entrySchema = z.object({
  litellm_provider: z.string(),
  mode: z.string().optional(),
  input_cost_per_token: perToken,
  output_cost_per_token: perToken,
  cache_read_input_token_cost: perToken.optional(),
  cache_creation_input_token_cost: perToken.optional(),
  max_input_tokens: tokens.optional(),
  max_output_tokens: tokens.optional(),
});

const perMillion = (value: number) => Math.round(value * 1_000_000 * 1e6) / 1e6;

/** The list's own key without its provider prefix, normalized like model ids ("gemini/gemini-2.5-pro" -> "gemini-2.5-pro"). */
function modelPart(key: string): string {
  return normalizeModelId(key);
}

/**
 * Builds a price list from LiteLLM's `model_prices_and_context_window.json` (the raw map, or our
 * `{models: ...}` snapshot around it). Entries that are not chat models or carry no token price are
 * left out; nothing in the file is trusted beyond its numbers.
 */
export function parsePriceList(document: unknown, origin: PriceListOrigin): PriceList {
  const raw = document && typeof document === 'object' && 'models' in document ? (document as { models: unknown }).models : document;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('The price list is not a JSON object of models.');
  const byProvider = new Map<string, Map<string, ModelPrice>>();
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) continue;
    const entry = parsed.data;
    if (entry.mode !== undefined && entry.mode !== 'chat' && entry.mode !== 'responses') continue;
    const provider = entry.litellm_provider;
    const models = byProvider.get(provider) ?? new Map<string, ModelPrice>();
    byProvider.set(provider, models);
    models.set(modelPart(key), {
      key,
      inputPerMillion: perMillion(entry.input_cost_per_token),
      outputPerMillion: perMillion(entry.output_cost_per_token),
      cacheReadPerMillion: entry.cache_read_input_token_cost === undefined ? null : perMillion(entry.cache_read_input_token_cost),
      cacheWritePerMillion: entry.cache_creation_input_token_cost === undefined ? null : perMillion(entry.cache_creation_input_token_cost),
      maxInputTokens: entry.max_input_tokens ?? null,
      maxOutputTokens: entry.max_output_tokens ?? null,
    });
  }
  const size = [...byProvider.values()].reduce((sum, models) => sum + models.size, 0);
  if (size === 0) throw new Error('The price list has no chat models with token prices.');
  // Longest ids first, so "gpt-4o-mini-2024-07-18" finds "gpt-4o-mini" before "gpt-4o".
  const ordered = new Map([...byProvider].map(([provider, models]) => [provider, [...models].sort((a, b) => b[0].length - a[0].length)]));
  return {
    origin,
    size,
    find(kind, modelId) {
      const id = normalizeModelId(modelId);
      for (const provider of providerOfKind[kind] ?? []) {
        const models = ordered.get(provider);
        if (!models) continue;
        const exact = byProvider.get(provider)?.get(id);
        if (exact) return exact;
        // "claude-sonnet-4-6-20260101" -> "claude-sonnet-4-6"; "claude-opus-4" -> "claude-opus-4-20250514".
        const found =
          models.find(([entryId]) => sameModelVersion(entryId, id)) ?? models.find(([entryId]) => sameModelVersion(id, entryId));
        if (found) return found[1];
      }
      return undefined;
    },
  };
}
