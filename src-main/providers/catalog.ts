import type { ModelFacts, ProviderKind } from '../../src-shared/schemas/connection';
import { catalogEntries, localKinds, type CatalogEntry } from './catalog-data';

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

function matches(entryId: string, id: string): boolean {
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
  return byLength.find((entry) => matches(entry.id, id));
}

/**
 * What we know about a model on a kind of connection. Unknown values are null, never guessed;
 * prices only where the kind bills the maker's list price (and zero on local runtimes).
 */
export function factsFor(kind: ProviderKind, modelId: string): ModelFacts {
  const entry = findCatalogEntry(modelId);
  const local = localKinds.includes(kind);
  const price = local ? { input: 0, output: 0 } : entry?.pricedOn.includes(kind) ? entry.price : null;
  return {
    id: modelId,
    capabilities: {
      text: true,
      vision: entry?.capabilities.vision ?? null,
      tools: entry?.capabilities.tools ?? null,
      structuredOutput: entry?.capabilities.structuredOutput ?? null,
      reasoning: entry?.capabilities.reasoning ?? null,
    },
    contextWindow: entry?.contextWindow ?? null,
    maxInputTokens: entry?.contextWindow ?? null,
    maxOutputTokens: entry?.maxOutputTokens ?? null,
    inputPricePerMillion: price?.input ?? null,
    outputPricePerMillion: price?.output ?? null,
  };
}
