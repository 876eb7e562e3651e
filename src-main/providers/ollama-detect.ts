import { getJson, joinUrl } from './shared/http-json';
import { ollamaRoot, parseOllamaTags } from './openai-compatible/ollama-native';

/**
 * Looks for an Ollama on this machine (for the Add-provider form): the names of its pulled models,
 * or null when nothing answers in time. Never throws.
 */
export async function detectLocalOllama(
  fetchImplementation: typeof fetch,
  baseUrl = 'http://127.0.0.1:11434',
  timeoutMs = 1_500,
): Promise<string[] | null> {
  try {
    const url = joinUrl(ollamaRoot(baseUrl), '/api/tags');
    const body = await getJson(fetchImplementation, url, { signal: AbortSignal.timeout(timeoutMs) });
    return parseOllamaTags(body, url).map((model) => model.id);
  } catch {
    return null;
  }
}
