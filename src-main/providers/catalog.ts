import type { ModelFacts, ProviderKind } from '../../src-shared/schemas/connection';
import { catalogEntries, localKinds, type CatalogEntry } from './catalog-data';
import type { PriceList } from './prices/price-list';

/**
 * Suffixes that name a snapshot, size, quantization or serving flavour of the same model, so
 * "gpt-4o-2024-08-06", "llama3.1:8b" and "gemini-2.5-pro-preview-06-05" find their family, while
 * "gpt-4o-mini" or "gemini-2.5-flash-lite" (different models, different prices) do not.
 */
const sameModelSuffix = [
  /^\d{2,8}$/, // dates and snapshot numbers: 20250514, 2024, 08, 001, 0709
  /^v\d+(\.\d+)?$/,
  /^\d+(\.\d+)?[bm]$/, // parameter counts: 8b, 70b, 1.5b
  /^(q\d\w*|fp\d+|bf16|int\d+|gguf|mlx|awq|gptq)$/,
  /^(latest|preview|exp|experimental|beta|instruct|it|hf|versatile|instant|specdec|turbo)$/,
];

/** Lower-case, no host prefix ("anthropic/", "models/"), Ollama tags as suffixes, one spelling per family. */
export function normalizeModelId(modelId: string): string {
  let id = modelId.trim().toLowerCase();
  id = id.slice(id.lastIndexOf('/') + 1);
  id = id.replace(/[:@]/g, '-');
  id = id.replace(/^meta-/, '').replace(/^llama(\d)/, 'llama-$1');
  if (id.startsWith('claude-')) id = id.replace(/(\d)\.(\d)/g, '$1-$2');
  return id;
}

const byLength = [...catalogEntries].sort((left, right) => right.id.length - left.id.length);

/** Whether `id` names the model `entryId` or a dated / tagged version of it (both normalized). */
export function sameModelVersion(entryId: string, id: string): boolean {
  if (id === entryId) return true;
  if (!id.startsWith(`${entryId}-`)) return false;
  const rest = id
    .slice(entryId.length + 1)
    .split('-')
    .filter(Boolean);
  return rest.every((token) => sameModelSuffix.some((pattern) => pattern.test(token)));
}

/** The catalog entry for a model id, allowing dated and tagged versions of it; undefined if unknown. */
export function findCatalogEntry(modelId: string): CatalogEntry | undefined {
  const id = normalizeModelId(modelId);
  return byLength.find((entry) => sameModelVersion(entry.id, id));
}

/**
 * What we know about a model on a kind of connection. Unknown values are null, never guessed;
 * prices come from the price list for the kind that bills the maker's list price (zero on local
 * runtimes), and the list's context window fills what the catalog does not know.
 */
export function factsFor(kind: ProviderKind, modelId: string, prices?: PriceList): ModelFacts {
  const entry = findCatalogEntry(modelId);
  const local = localKinds.includes(kind);
  const listed = local ? undefined : prices?.find(kind, modelId);
  const contextWindow = entry?.contextWindow ?? listed?.maxInputTokens ?? null;
  return {
    id: modelId,
    capabilities: {
      text: true,
      vision: entry?.capabilities.vision ?? null,
      tools: entry?.capabilities.tools ?? null,
      structuredOutput: entry?.capabilities.structuredOutput ?? null,
      reasoning: entry?.capabilities.reasoning ?? null,
      webSearch: entry?.capabilities.webSearch ?? null,
    },
    contextWindow,
    maxInputTokens: contextWindow,
    maxOutputTokens: entry?.maxOutputTokens ?? listed?.maxOutputTokens ?? null,
    inputPricePerMillion: local ? 0 : (listed?.inputPerMillion ?? null),
    outputPricePerMillion: local ? 0 : (listed?.outputPerMillion ?? null),
    cacheReadPricePerMillion: local ? 0 : (listed?.cacheReadPerMillion ?? null),
    cacheWritePricePerMillion: local ? 0 : (listed?.cacheWritePerMillion ?? null),
    pricedByUser: false,
  };
}

/**
 * The facts a call is priced and checked with: what the user stored for the model (capabilities,
 * limits, and prices they typed), with the price list's current prices otherwise and its numbers
 * where the stored facts say unknown. The one place that decides which price applies.
 */
export function effectiveModelFacts(
  connection: { kind: ProviderKind; models: ModelFacts[] },
  modelId: string,
  prices?: PriceList,
): ModelFacts {
  const listed = factsFor(connection.kind, modelId, prices);
  const stored = connection.models.find((facts) => facts.id === modelId);
  if (!stored) return listed;
  const filled = {
    ...stored,
    contextWindow: stored.contextWindow ?? listed.contextWindow,
    maxInputTokens: stored.maxInputTokens ?? listed.maxInputTokens,
    maxOutputTokens: stored.maxOutputTokens ?? listed.maxOutputTokens,
  };
  if (stored.pricedByUser) return filled;
  return {
    ...filled,
    inputPricePerMillion: listed.inputPricePerMillion,
    outputPricePerMillion: listed.outputPricePerMillion,
    cacheReadPricePerMillion: listed.cacheReadPricePerMillion,
    cacheWritePricePerMillion: listed.cacheWritePricePerMillion,
  };
}
