import type { Capability, ProviderKind } from '../../src-shared/schemas/connection';

/** Facts about one model family as its maker publishes them; null where we do not know. */
export interface CatalogEntry {
  /** Normalized id this entry matches (see catalog.ts for what "normalized" means). */
  id: string;
  capabilities: Record<Exclude<Capability, 'text'>, boolean | null>;
  contextWindow: number | null;
  maxOutputTokens: number | null;
  /** USD per million tokens, as billed by the kinds in `pricedOn`; other hosts price differently. */
  price: { input: number; output: number } | null;
  pricedOn: ProviderKind[];
}

type Flags = [vision: boolean | null, tools: boolean | null, structuredOutput: boolean | null, reasoning: boolean | null];

function entry(
  id: string,
  [vision, tools, structuredOutput, reasoning]: Flags,
  contextWindow: number | null,
  maxOutputTokens: number | null,
  price: [input: number, output: number] | null,
  pricedOn: ProviderKind[],
): CatalogEntry {
  return {
    id,
    capabilities: { vision, tools, structuredOutput, reasoning },
    contextWindow,
    maxOutputTokens,
    price: price ? { input: price[0], output: price[1] } : null,
    pricedOn,
  };
}

const anthropic: ProviderKind[] = ['anthropic'];
const openai: ProviderKind[] = ['openai'];
const gemini: ProviderKind[] = ['gemini'];
const deepseek: ProviderKind[] = ['deepseek'];
const mistral: ProviderKind[] = ['mistral'];
const xai: ProviderKind[] = ['xai'];

/**
 * Curated from the providers' published model and pricing pages (list prices, standard tier,
 * shortest-context price band). Update here when a provider changes a price; the app shows
 * unknown values as unknown rather than guessing.
 */
export const catalogEntries: CatalogEntry[] = [
  // Anthropic
  entry('claude-opus-4-5', [true, true, true, true], 200_000, 64_000, [5, 25], anthropic),
  entry('claude-opus-4-1', [true, true, true, true], 200_000, 32_000, [15, 75], anthropic),
  entry('claude-opus-4', [true, true, true, true], 200_000, 32_000, [15, 75], anthropic),
  entry('claude-sonnet-4-5', [true, true, true, true], 200_000, 64_000, [3, 15], anthropic),
  entry('claude-sonnet-4', [true, true, true, true], 200_000, 64_000, [3, 15], anthropic),
  entry('claude-haiku-4-5', [true, true, true, true], 200_000, 64_000, [1, 5], anthropic),
  entry('claude-3-7-sonnet', [true, true, true, true], 200_000, 64_000, [3, 15], anthropic),
  entry('claude-3-5-sonnet', [true, true, true, false], 200_000, 8_192, [3, 15], anthropic),
  entry('claude-3-5-haiku', [null, true, true, false], 200_000, 8_192, [0.8, 4], anthropic),
  entry('claude-3-haiku', [true, true, null, false], 200_000, 4_096, [0.25, 1.25], anthropic),

  // OpenAI
  entry('gpt-4o-2024-05-13', [true, true, false, false], 128_000, 4_096, [5, 15], openai),
  entry('gpt-4o', [true, true, true, false], 128_000, 16_384, [2.5, 10], openai),
  entry('gpt-4o-mini', [true, true, true, false], 128_000, 16_384, [0.15, 0.6], openai),
  entry('gpt-4.1', [true, true, true, false], 1_047_576, 32_768, [2, 8], openai),
  entry('gpt-4.1-mini', [true, true, true, false], 1_047_576, 32_768, [0.4, 1.6], openai),
  entry('gpt-4.1-nano', [true, true, true, false], 1_047_576, 32_768, [0.1, 0.4], openai),
  entry('o3', [true, true, true, true], 200_000, 100_000, [2, 8], openai),
  entry('o3-mini', [false, true, true, true], 200_000, 100_000, [1.1, 4.4], openai),
  entry('o4-mini', [true, true, true, true], 200_000, 100_000, [1.1, 4.4], openai),

  // Google Gemini
  entry('gemini-2.5-pro', [true, true, true, true], 1_048_576, 65_536, [1.25, 10], gemini),
  entry('gemini-2.5-flash', [true, true, true, true], 1_048_576, 65_536, [0.3, 2.5], gemini),
  entry('gemini-2.5-flash-lite', [true, true, true, true], 1_048_576, 65_536, [0.1, 0.4], gemini),
  entry('gemini-2.0-flash', [true, true, true, false], 1_048_576, 8_192, [0.1, 0.4], gemini),

  // DeepSeek (V3.2 pricing, cache-miss input)
  entry('deepseek-chat', [false, true, true, false], 128_000, 8_192, [0.28, 0.42], deepseek),
  entry('deepseek-reasoner', [false, null, null, true], 128_000, 65_536, [0.28, 0.42], deepseek),

  // Meta Llama: open weights, priced by whoever hosts them (free when local).
  entry('llama-3.3-70b', [false, true, null, false], 131_072, null, null, []),
  entry('llama-3.2-90b-vision', [true, false, null, false], 131_072, null, null, []),
  entry('llama-3.2-11b-vision', [true, false, null, false], 131_072, null, null, []),
  entry('llama-3.2-vision', [true, false, null, false], 131_072, null, null, []),
  entry('llama-3.2', [false, true, null, false], 131_072, null, null, []),
  entry('llama-3.1', [false, true, null, false], 131_072, null, null, []),
  entry('llama-3', [false, null, null, false], 8_192, null, null, []),

  // Mistral: "mistral-large-latest" moves between releases, so only the dated one carries numbers.
  entry('mistral-large-2411', [false, true, true, false], 131_072, null, [2, 6], mistral),
  entry('mistral-large', [null, true, true, false], null, null, null, []),

  // xAI Grok
  entry('grok-4', [true, true, true, true], 256_000, null, [3, 15], xai),
  entry('grok-3-mini', [false, true, true, true], 131_072, null, [0.3, 0.5], xai),
  entry('grok-3', [false, true, true, false], 131_072, null, [3, 15], xai),
];

/** Kinds that run models on the user's own machine: every token is free. */
export const localKinds: ProviderKind[] = ['ollama', 'lmstudio'];
