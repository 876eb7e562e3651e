import { AppErrorException } from '../../../src-shared/errors/app-error';
import type { Connection } from '../../../src-shared/schemas/connection';
import type { CallOptions, DiscoveredModel } from '../../engine/ports';
import type { LocalModelHost } from '../local-model-host';
import { mapOpenAIError } from '../openai/map-openai-error';
import type { ProviderAdapterOptions } from '../registry';
import { openCallScope, timeoutsFor } from '../shared/call-scope';
import { getJson, HttpStatusError, joinUrl, MalformedResponseError } from '../shared/http-json';

/** LM Studio's root (http://host:1234) from the OpenAI-style base URL ending in /v1. */
export function lmStudioRoot(baseUrl: string): string {
  return baseUrl
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/(api\/)?v[01]$/i, '');
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * Reads `GET /api/v0/models`: `{data: [{id, type: "llm" | "vlm" | "embeddings", arch, quantization,
 * state: "loaded" | "not-loaded", max_context_length}]}`. Embedding models are left out: they
 * cannot chat.
 */
export function parseLmStudioModels(body: unknown, url: string): DiscoveredModel[] {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) throw new MalformedResponseError(url);
  return data.flatMap((item): DiscoveredModel[] => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as Record<string, unknown>;
    const id = text(entry['id']);
    const type = entry['type'];
    if (!id || type === 'embeddings') return [];
    const context = entry['max_context_length'];
    const model: DiscoveredModel = {
      id,
      local: { family: text(entry['arch']), parameterSize: null, quantization: text(entry['quantization']), sizeBytes: null },
      loaded: entry['state'] === 'loaded',
    };
    if (type === 'vlm' || type === 'llm') model.capabilities = { text: true, vision: type === 'vlm' };
    if (typeof context === 'number' && Number.isInteger(context) && context > 0) model.contextWindow = context;
    return [model];
  });
}

/** LM Studio's rich model list; an older server without it falls back to the OpenAI `/v1/models`. */
export async function listLmStudioModels(
  fetchImplementation: typeof fetch,
  baseUrl: string,
  signal: AbortSignal,
): Promise<DiscoveredModel[]> {
  const url = joinUrl(lmStudioRoot(baseUrl), '/api/v0/models');
  try {
    return parseLmStudioModels(await getJson(fetchImplementation, url, { signal }), url);
  } catch (error) {
    if (!(error instanceof HttpStatusError && error.status === 404)) throw error;
  }
  const fallbackUrl = joinUrl(baseUrl, '/models');
  const body = await getJson(fetchImplementation, fallbackUrl, { signal });
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) throw new MalformedResponseError(fallbackUrl);
  return data.flatMap((item): DiscoveredModel[] => {
    const id = typeof item === 'object' && item !== null ? text((item as Record<string, unknown>)['id']) : null;
    return id ? [{ id }] : [];
  });
}

/**
 * LM Studio as a local model host: its model list says what it holds and what is loaded. It loads
 * a model on the first request and offers no download or delete over HTTP, so neither is offered here.
 */
export function createLmStudioHost(connection: Connection, apiKey: string | null, options: ProviderAdapterOptions): LocalModelHost {
  const base = options.fetch ?? globalThis.fetch;
  const key = apiKey?.trim() || null;
  const fetchWithKey: typeof fetch = key
    ? (input, init) => base(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${key}` } })
    : base;
  const { requestMs } = timeoutsFor(options);
  const within = async <T>(options: CallOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const scope = openCallScope(options.signal, requestMs);
    try {
      return await work(scope.signal);
    } catch (error) {
      throw new AppErrorException(
        mapOpenAIError(error, {
          providerName: connection.name,
          timeoutMs: requestMs,
          secrets: [key],
          operation: 'models',
          scope,
        }),
      );
    } finally {
      scope.dispose();
    }
  };
  return {
    listHeld: (callOptions) => within(callOptions, (signal) => listLmStudioModels(fetchWithKey, connection.baseUrl, signal)),
    loaded: (callOptions) =>
      within(callOptions, async (signal) =>
        (await listLmStudioModels(fetchWithKey, connection.baseUrl, signal))
          .filter((model) => model.loaded)
          .map((model) => ({ name: model.id, sizeBytes: null, expiresAt: null })),
      ),
  };
}
