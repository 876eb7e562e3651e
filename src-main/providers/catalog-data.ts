import type { Capability, ProviderKind } from '../../src-shared/schemas/connection';

/** Facts about one model family as its maker publishes them; null where we do not know. */
export interface CatalogEntry {
  /** Normalized id this entry matches (see catalog.ts for what "normalized" means). */
  id: string;
  capabilities: Record<Exclude<Capability, 'text'>, boolean | null>;
  contextWindow: number | null;
  maxOutputTokens: number | null;
}

type Flags = [
  vision: boolean | null,
  tools: boolean | null,
  structuredOutput: boolean | null,
  reasoning: boolean | null,
  webSearch?: boolean | null,
];

function entry(
  id: string,
  [vision, tools, structuredOutput, reasoning, webSearch = null]: Flags,
  contextWindow: number | null,
  maxOutputTokens: number | null,
): CatalogEntry {
  return {
    id,
    capabilities: { vision, tools, structuredOutput, reasoning, webSearch },
    contextWindow,
    maxOutputTokens,
  };
}

/**
 * Capabilities curated from the providers' published model pages. Prices are not here: they come
 * from the price list (providers/prices), which the user can refresh. Unknown values stay unknown.
 */
export const catalogEntries: CatalogEntry[] = [
  // Anthropic
  entry('claude-opus-4-7', [true, true, true, true], 1_000_000, 128_000),
  entry('claude-opus-4-6', [true, true, true, true], 1_000_000, 128_000),
  entry('claude-sonnet-4-6', [true, true, true, true], 1_000_000, 64_000),
  entry('claude-opus-4-5', [true, true, true, true], 200_000, 64_000),
  entry('claude-opus-4-1', [true, true, true, true], 200_000, 32_000),
  entry('claude-opus-4', [true, true, true, true], 200_000, 32_000),
  entry('claude-sonnet-4-5', [true, true, true, true], 200_000, 64_000),
  entry('claude-sonnet-4', [true, true, true, true], 200_000, 64_000),
  entry('claude-haiku-4-5', [true, true, true, true], 200_000, 64_000),
  entry('claude-3-7-sonnet', [true, true, true, true], 200_000, 64_000),
  entry('claude-3-5-sonnet', [true, true, true, false], 200_000, 8_192),
  entry('claude-3-5-haiku', [null, true, true, false], 200_000, 8_192),
  entry('claude-3-haiku', [true, true, null, false], 200_000, 4_096),

  // OpenAI
  entry('gpt-4o-2024-05-13', [true, true, false, false], 128_000, 4_096),
  entry('gpt-4o', [true, true, true, false], 128_000, 16_384),
  entry('gpt-4o-mini', [true, true, true, false], 128_000, 16_384),
  entry('gpt-4.1', [true, true, true, false], 1_047_576, 32_768),
  entry('gpt-4.1-mini', [true, true, true, false], 1_047_576, 32_768),
  entry('gpt-4.1-nano', [true, true, true, false], 1_047_576, 32_768),
  entry('o3', [true, true, true, true], 200_000, 100_000),
  entry('o3-mini', [false, true, true, true], 200_000, 100_000),
  entry('o4-mini', [true, true, true, true], 200_000, 100_000),

  // Google Gemini
  entry('gemini-2.5-pro', [true, true, true, true], 1_048_576, 65_536),
  entry('gemini-2.5-flash', [true, true, true, true], 1_048_576, 65_536),
  entry('gemini-2.5-flash-lite', [true, true, true, true], 1_048_576, 65_536),
  entry('gemini-2.0-flash', [true, true, true, false], 1_048_576, 8_192),

  // DeepSeek (V3.2 pricing, cache-miss input)
  entry('deepseek-chat', [false, true, true, false], 128_000, 8_192),
  entry('deepseek-reasoner', [false, null, null, true], 128_000, 65_536),

  // Meta Llama: open weights, priced by whoever hosts them (free when local).
  entry('llama-3.3-70b', [false, true, null, false], 131_072, null),
  entry('llama-3.2-90b-vision', [true, false, null, false], 131_072, null),
  entry('llama-3.2-11b-vision', [true, false, null, false], 131_072, null),
  entry('llama-3.2-vision', [true, false, null, false], 131_072, null),
  entry('llama-3.2', [false, true, null, false], 131_072, null),
  entry('llama-3.1', [false, true, null, false], 131_072, null),
  entry('llama-3', [false, null, null, false], 8_192, null),

  // Mistral: "mistral-large-latest" moves between releases, so only the dated one carries numbers.
  entry('mistral-large-2411', [false, true, true, false], 131_072, null),
  entry('mistral-large', [null, true, true, false], null, null),

  // Perplexity Sonar: every answer comes from a web search, with its sources; the Sonar API takes
  // no tools and structured output only as a json_schema.
  entry('sonar-deep-research', [false, false, true, true, true], null, null),
  entry('sonar-reasoning-pro', [null, false, true, true, true], null, null),
  entry('sonar-reasoning', [null, false, true, true, true], null, null),
  entry('sonar-pro', [null, false, true, false, true], null, null),
  entry('sonar', [null, false, true, false, true], null, null),

  // xAI Grok
  entry('grok-4', [true, true, true, true], 256_000, null),
  entry('grok-3-mini', [false, true, true, true], 131_072, null),
  entry('grok-3', [false, true, true, false], 131_072, null),
];

/** Kinds that run models on the user's own machine: every token is free. */
export const localKinds: ProviderKind[] = ['ollama', 'lmstudio'];
