import { AppErrorException, type AppError } from '../../../src-shared/errors/app-error';
import type { Connection } from '../../../src-shared/schemas/connection';
import type { LoadedModel } from '../../../src-shared/schemas/local-models';
import type { CallOptions, DiscoveredModel, ModelRequest, ProviderAdapter, ProviderStreamPart } from '../../engine/ports';
import { mapOpenAIError } from '../openai/map-openai-error';
import { classifyOllamaError } from '../openai-compatible/map-openai-compatible-error';
import { listOllamaTags, ollamaRoot, sameModelName } from '../openai-compatible/ollama-native';
import { openCallScope, timeoutsFor, type CallScope, type Timeouts } from '../shared/call-scope';
import { getJson, HttpStatusError, joinUrl, sendJson } from '../shared/http-json';
import { buildOllamaChatBody, keepAliveValue, ollamaErrorBody, streamOllamaChat } from './ollama-chat';
import { parseLoadedEntries, pullOllamaModel, type PullStep } from './ollama-models';
import { listOllamaModelsWithFacts } from './ollama-show';
import type { LocalModelHost } from '../local-model-host';
import type { ProviderAdapterOptions } from '../registry';

/** Loading a large model from disk can take minutes; the answer's own timeouts start after it. */
export const ollamaLoadTimeoutMs = 10 * 60_000;
/** The longest a pull may go without a progress line before it counts as stalled. */
const pullIdleTimeoutMs = 5 * 60_000;
/** Asking which models are loaded must not hold up a call. */
const loadedCheckTimeoutMs = 2_000;

export interface OllamaAdapterOptions {
  timeouts: Timeouts;
  fetch?: typeof fetch;
  /** How long a model stays loaded after a call (the Local models setting), read per call. */
  keepAlive?: () => string;
}

/** Names in `/api/ps`; "llama3.2" and "llama3.2:latest" are the same model. */
export function parseLoadedModels(body: unknown): string[] {
  return parseLoadedEntries(body).map((entry) => entry.name);
}

/**
 * Ollama through its native API: `/api/chat` carries num_ctx, keep_alive, images and JSON schemas,
 * which its OpenAI-compatible endpoint cannot. A model that is not loaded yet is loaded first and
 * reported as loading, so the caller can tell a load from a provider that is slow or down.
 */
export class OllamaAdapter implements ProviderAdapter, LocalModelHost {
  readonly kind = 'ollama' as const;
  readonly connectionId: string;
  readonly #root: string;
  readonly #fetch: typeof fetch;
  readonly #apiKey: string | null;

  constructor(
    private readonly connection: Connection,
    apiKey: string | null,
    private readonly options: OllamaAdapterOptions,
  ) {
    this.connectionId = connection.id;
    this.#root = ollamaRoot(connection.baseUrl);
    this.#apiKey = apiKey;
    // An Ollama behind an authenticating proxy (a shared GPU box) takes the saved key as a bearer token.
    const base = options.fetch ?? globalThis.fetch;
    this.#fetch = apiKey
      ? (input, init) =>
          base(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${apiKey}` } })
      : base;
  }

  #mapError(error: unknown, scope: CallScope, operation: 'chat' | 'models', model?: string): AppError {
    const raw =
      error instanceof HttpStatusError ? new HttpStatusError(error.status, error.headers, ollamaErrorBody(error.body), error.url) : error;
    return mapOpenAIError(raw, {
      providerName: this.connection.name,
      model,
      timeoutMs: scope.timeoutMs,
      secrets: [this.#apiKey],
      operation,
      scope,
      classify: classifyOllamaError,
    });
  }

  async #within<T>(options: CallOptions, timeoutMs: number, work: (scope: CallScope) => Promise<T>): Promise<T> {
    const scope = openCallScope(options.signal, timeoutMs);
    try {
      return await work(scope);
    } catch (error) {
      throw new AppErrorException(this.#mapError(error, scope, 'models'));
    } finally {
      scope.dispose();
    }
  }

  listModels(options: CallOptions): Promise<DiscoveredModel[]> {
    return this.#within(options, this.options.timeouts.requestMs, (scope) =>
      listOllamaModelsWithFacts(this.#fetch, this.#root, scope.signal),
    );
  }

  async probe(options: CallOptions): Promise<void> {
    await this.#within(options, this.options.timeouts.requestMs, (scope) => listOllamaTags(this.#fetch, this.#root, scope.signal));
  }

  /** The models on disk (`/api/tags`): size, family, parameter size and quantization, without a show per model. */
  listHeld(options: CallOptions): Promise<DiscoveredModel[]> {
    return this.#within(options, this.options.timeouts.requestMs, (scope) => listOllamaTags(this.#fetch, this.#root, scope.signal));
  }

  /** The models in memory now (`/api/ps`). */
  loaded(options: CallOptions): Promise<LoadedModel[]> {
    return this.#within(options, this.options.timeouts.requestMs, async (scope) =>
      parseLoadedEntries(await getJson(this.#fetch, joinUrl(this.#root, '/api/ps'), { signal: scope.signal })),
    );
  }

  warm(model: string, contextTokens: number | undefined, options: CallOptions): Promise<void> {
    return this.load(model, contextTokens, options);
  }

  /** `/api/pull` with streamed progress; a download may pause for a while between lines, but not forever. */
  async pull(name: string, options: CallOptions, onStep: (step: PullStep) => void): Promise<void> {
    const scope = openCallScope(options.signal, pullIdleTimeoutMs);
    try {
      await pullOllamaModel(this.#fetch, this.#root, name, scope, (step) => {
        scope.touch();
        onStep(step);
      });
    } catch (error) {
      if (error instanceof AppErrorException) throw error;
      throw new AppErrorException(this.#mapError(error, scope, 'models', name));
    } finally {
      scope.dispose();
    }
  }

  /** `DELETE /api/delete`: the model's files go; layers other models share stay. */
  remove(name: string, options: CallOptions): Promise<void> {
    return this.#within(options, this.options.timeouts.requestMs, async (scope) => {
      await sendJson(this.#fetch, joinUrl(this.#root, '/api/delete'), { model: name }, { signal: scope.signal, method: 'DELETE' });
    });
  }

  /** Whether the model must be loaded first; unknown (an older server, a slow answer) counts as loaded. */
  async #needsLoad(model: string, signal: AbortSignal): Promise<boolean> {
    try {
      const body = await getJson(this.#fetch, joinUrl(this.#root, '/api/ps'), {
        signal: AbortSignal.any([signal, AbortSignal.timeout(loadedCheckTimeoutMs)]),
      });
      return !parseLoadedModels(body).some((name) => sameModelName(name, model));
    } catch {
      return false;
    }
  }

  /** Loads a model with the context it will answer with (an empty chat loads it, as Ollama documents). */
  async load(model: string, contextTokens: number | undefined, options: CallOptions): Promise<void> {
    const scope = openCallScope(options.signal, ollamaLoadTimeoutMs);
    try {
      const keepAlive = this.options.keepAlive?.();
      await sendJson(
        this.#fetch,
        joinUrl(this.#root, '/api/chat'),
        {
          model,
          messages: [],
          stream: false,
          ...(contextTokens !== undefined ? { options: { num_ctx: contextTokens } } : {}),
          ...(keepAlive !== undefined ? { keep_alive: keepAliveValue(keepAlive) } : {}),
        },
        { signal: scope.signal },
      );
    } catch (error) {
      throw new AppErrorException(this.#mapError(error, scope, 'chat', model));
    } finally {
      scope.dispose();
    }
  }

  async *stream(request: ModelRequest, options: CallOptions): AsyncGenerator<ProviderStreamPart> {
    const { body, dropped } = buildOllamaChatBody(request, this.options.keepAlive?.());
    if (dropped.length > 0) yield { type: 'dropped', names: dropped };
    if (await this.#needsLoad(request.model, options.signal)) {
      yield { type: 'model-loading' };
      const started = Date.now();
      await this.load(request.model, request.contextTokens, options);
      yield { type: 'model-loaded', loadMs: Date.now() - started };
    }
    // A consumer that stops reading must end the HTTP request too, not just stop listening.
    const stopped = new AbortController();
    const scope = openCallScope(AbortSignal.any([options.signal, stopped.signal]), this.options.timeouts.streamIdleMs);
    let finished = false;
    try {
      yield* streamOllamaChat(this.#fetch, joinUrl(this.#root, '/api/chat'), body, scope);
      finished = true;
    } catch (error) {
      finished = true;
      throw new AppErrorException(this.#mapError(error, scope, 'chat', request.model));
    } finally {
      if (!finished) stopped.abort();
      scope.dispose();
    }
  }
}

/** The same adapter seen as a local model host (pull, delete, load state). */
export function createOllamaHost(connection: Connection, apiKey: string | null, options: ProviderAdapterOptions): LocalModelHost {
  return new OllamaAdapter(connection, apiKey, {
    timeouts: timeoutsFor(options),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.keepAlive ? { keepAlive: options.keepAlive } : {}),
  });
}

export function createOllamaAdapter(connection: Connection, apiKey: string | null, options: OllamaAdapterOptions): ProviderAdapter {
  return new OllamaAdapter(connection, apiKey, options);
}
