import { appError, AppErrorException } from '../../../src-shared/errors/app-error';
import type { LoadedModel } from '../../../src-shared/schemas/local-models';
import type { CallScope } from '../shared/call-scope';
import { joinUrl, MalformedResponseError } from '../shared/http-json';
import { postNdjson } from './ollama-chat';

/** One line of `/api/pull`'s streamed progress. */
export interface PullStep {
  status: string;
  completedBytes: number | null;
  totalBytes: number | null;
}

const bytes = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null);

/** `/api/ps` entries: `{name, model, size, size_vram, expires_at}`; "size" is what the model takes in memory. */
export function parseLoadedEntries(body: unknown): LoadedModel[] {
  const models = typeof body === 'object' && body !== null ? (body as { models?: unknown }).models : undefined;
  if (!Array.isArray(models)) return [];
  return models.flatMap((item): LoadedModel[] => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as Record<string, unknown>;
    const name = entry['name'] ?? entry['model'];
    if (typeof name !== 'string' || !name) return [];
    const expires = entry['expires_at'];
    return [{ name, sizeBytes: bytes(entry['size']), expiresAt: typeof expires === 'string' && expires ? expires : null }];
  });
}

/**
 * A pull that Ollama itself reported as failed, in its own words ("pull model manifest: file does
 * not exist", "max retries exceeded: ... connection reset by peer").
 */
export function pullFailure(name: string, serverMessage: string): AppErrorException {
  const unknown = /file does not exist|not found|manifest unknown/i.test(serverMessage);
  return new AppErrorException(
    appError(
      unknown ? 'model_not_found' : 'provider_unavailable',
      unknown
        ? `There is no model named ${name} to pull (${serverMessage}). Check the name in the Ollama library.`
        : `The pull of ${name} failed: ${serverMessage}`,
    ),
  );
}

/**
 * Streams `POST /api/pull` and reports each progress line. Ends when the server says "success";
 * an error line mid-stream throws with the server's words, and a stream that stops before
 * "success" throws too, so a half-downloaded model is never reported as pulled.
 */
export async function pullOllamaModel(
  fetchImplementation: typeof fetch,
  root: string,
  name: string,
  scope: CallScope,
  onStep: (step: PullStep) => void,
): Promise<void> {
  const url = joinUrl(root, '/api/pull');
  const { lines } = await postNdjson(fetchImplementation, url, { model: name, stream: true }, scope);
  for await (const line of lines) {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new MalformedResponseError(url);
    }
    if (typeof entry['error'] === 'string') throw pullFailure(name, entry['error']);
    const status = typeof entry['status'] === 'string' ? entry['status'] : '';
    onStep({ status, completedBytes: bytes(entry['completed']), totalBytes: bytes(entry['total']) });
    if (status === 'success') return;
  }
  throw pullFailure(name, 'the server stopped sending progress before the model was complete');
}
