import type { DiscoveredModel } from '../../engine/ports';
import { getJson, joinUrl, MalformedResponseError } from '../shared/http-json';

/** Ollama's own root (http://host:11434) from a base URL the user may have typed with /v1. */
export function ollamaRoot(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '').replace(/\/v1$/i, '');
}

/** Reads `GET /api/tags`: `{models: [{name, model, details}]}`. */
export function parseOllamaTags(body: unknown, url: string): DiscoveredModel[] {
  const models = typeof body === 'object' && body !== null ? (body as { models?: unknown }).models : undefined;
  if (!Array.isArray(models)) throw new MalformedResponseError(url);
  return models.flatMap((item): DiscoveredModel[] => {
    if (typeof item !== 'object' || item === null) return [];
    const name = (item as { name?: unknown; model?: unknown }).name ?? (item as { model?: unknown }).model;
    return typeof name === 'string' && name ? [{ id: name }] : [];
  });
}

/** Token-free discovery and probe in one: the models pulled into this Ollama. */
export async function listOllamaTags(fetchImplementation: typeof fetch, baseUrl: string, signal: AbortSignal): Promise<DiscoveredModel[]> {
  const url = joinUrl(ollamaRoot(baseUrl), '/api/tags');
  return parseOllamaTags(await getJson(fetchImplementation, url, { signal }), url);
}
