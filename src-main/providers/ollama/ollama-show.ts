import type { Capability } from '../../../src-shared/schemas/connection';
import type { DiscoveredModel } from '../../engine/ports';
import { listOllamaTags, ollamaRoot, readOllamaDetails } from '../openai-compatible/ollama-native';
import { joinUrl, sendJson } from '../shared/http-json';

/** What `POST /api/show` says a model can do and how long its context is. */
export interface OllamaShowFacts {
  capabilities: Partial<Record<Capability, boolean>>;
  contextWindow?: number;
  family: string | null;
  parameterSize: string | null;
  quantization: string | null;
}

/**
 * Reads `/api/show`: `capabilities` ("completion", "vision", "tools", "thinking", "embedding"),
 * `details` and `model_info["<architecture>.context_length"]`. A server too old to list
 * capabilities leaves them unknown rather than "no".
 */
export function parseOllamaShow(body: unknown): OllamaShowFacts {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const details = readOllamaDetails(record);
  const facts: OllamaShowFacts = {
    capabilities: {},
    family: details.family,
    parameterSize: details.parameterSize,
    quantization: details.quantization,
  };
  const listed = record['capabilities'];
  if (Array.isArray(listed)) {
    const has = (name: string) => listed.includes(name);
    const completes = has('completion');
    // Ollama constrains any completion model to a JSON schema through `format`.
    facts.capabilities = {
      text: completes,
      vision: has('vision'),
      tools: has('tools'),
      reasoning: has('thinking'),
      structuredOutput: completes,
    };
  }
  const info =
    typeof record['model_info'] === 'object' && record['model_info'] !== null ? (record['model_info'] as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(info)) {
    if (key.endsWith('.context_length') && typeof value === 'number' && Number.isInteger(value) && value > 0) {
      facts.contextWindow = value;
      break;
    }
  }
  return facts;
}

const showConcurrency = 4;

/** Runs `work` over `items` with at most `limit` at a time, keeping the order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The pulled models with what Ollama knows about each: size from `/api/tags`, capabilities,
 * context length, family and quantization from `/api/show`. A model whose show fails is still
 * listed, with its facts unknown.
 */
export async function listOllamaModelsWithFacts(
  fetchImplementation: typeof fetch,
  baseUrl: string,
  signal: AbortSignal,
): Promise<DiscoveredModel[]> {
  const tags = await listOllamaTags(fetchImplementation, baseUrl, signal);
  const url = joinUrl(ollamaRoot(baseUrl), '/api/show');
  return mapLimited(tags, showConcurrency, async (model): Promise<DiscoveredModel> => {
    let show: OllamaShowFacts;
    try {
      show = parseOllamaShow(await sendJson(fetchImplementation, url, { model: model.id }, { signal }));
    } catch (error) {
      if (signal.aborted) throw error;
      return model;
    }
    const local = model.local ?? { family: null, parameterSize: null, quantization: null, sizeBytes: null };
    return {
      ...model,
      capabilities: show.capabilities,
      ...(show.contextWindow !== undefined ? { contextWindow: show.contextWindow } : {}),
      local: {
        family: show.family ?? local.family,
        parameterSize: show.parameterSize ?? local.parameterSize,
        quantization: show.quantization ?? local.quantization,
        sizeBytes: local.sizeBytes,
      },
    };
  });
}
