import type { LocalModelDetails } from '../../../src-shared/schemas/connection';
import type { DiscoveredModel } from '../../engine/ports';
import { getJson, joinUrl, MalformedResponseError } from '../shared/http-json';

/** Ollama's own root (http://host:11434) from a base URL the user may have typed with /v1. */
export function ollamaRoot(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '').replace(/\/v1$/i, '');
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** `details` of a tags, ps or show entry: `{family, parameter_size, quantization_level}`. */
export function readOllamaDetails(entry: Record<string, unknown>): LocalModelDetails {
  const details = typeof entry['details'] === 'object' && entry['details'] !== null ? (entry['details'] as Record<string, unknown>) : {};
  const size = entry['size'];
  return {
    family: text(details['family']),
    parameterSize: text(details['parameter_size']),
    quantization: text(details['quantization_level']),
    sizeBytes: typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : null,
  };
}

/** Reads `GET /api/tags`: `{models: [{name, model, size, details}]}`. */
export function parseOllamaTags(body: unknown, url: string): DiscoveredModel[] {
  const models = typeof body === 'object' && body !== null ? (body as { models?: unknown }).models : undefined;
  if (!Array.isArray(models)) throw new MalformedResponseError(url);
  return models.flatMap((item): DiscoveredModel[] => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as Record<string, unknown>;
    const name = entry['name'] ?? entry['model'];
    return typeof name === 'string' && name ? [{ id: name, local: readOllamaDetails(entry) }] : [];
  });
}

/** Token-free discovery and probe in one: the models pulled into this Ollama. */
export async function listOllamaTags(fetchImplementation: typeof fetch, baseUrl: string, signal: AbortSignal): Promise<DiscoveredModel[]> {
  const url = joinUrl(ollamaRoot(baseUrl), '/api/tags');
  return parseOllamaTags(await getJson(fetchImplementation, url, { signal }), url);
}

/** "llama3.2" and "llama3.2:latest" are the same Ollama model. */
export function sameModelName(left: string, right: string): boolean {
  const plain = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return plain(left) === plain(right);
}
