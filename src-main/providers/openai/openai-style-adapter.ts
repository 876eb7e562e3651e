import type OpenAI from 'openai';
import { AppErrorException, type AppError } from '../../../src-shared/errors/app-error';
import type { ProviderKind } from '../../../src-shared/schemas/connection';
import type { CallOptions, DiscoveredModel, ModelRequest, ProviderAdapter, ProviderStreamPart } from '../../engine/ports';
import { openCallScope, type CallScope, type Timeouts } from '../shared/call-scope';
import { providerError } from '../shared/provider-error';
import { mapOpenAIError, type OpenAIErrorClassifier } from './map-openai-error';
import { buildChatParams, type OpenAIChatDialect } from './openai-request';
import { listModelsVia, streamChatCompletion } from './openai-chat-stream';
import type { DirectChatEndpoint } from './openai-direct-stream';

/** Hooks a kind may add around the shared OpenAI-style behaviour. */
export interface OpenAIStyleHooks {
  /** The name sent on the wire for a model the user picked (Azure: its deployment). */
  wireModel?: (model: string) => string;
  classifyError?: OpenAIErrorClassifier;
  /** Replaces `GET /models` (Ollama's native tags, Azure's configured deployments). */
  listModels?: (scope: CallScope) => Promise<DiscoveredModel[]>;
  /** Replaces "list models" as the token-free probe. */
  probe?: (scope: CallScope) => Promise<void>;
  /** Keeps only chat models from a list that mixes in embeddings, audio and images. */
  modelFilter?: (id: string) => boolean;
  /** Turns the listed id into the one chat requests take (Gemini lists `models/x`). */
  normalizeModelId?: (id: string) => string;
}

export interface OpenAIStyleSettings {
  kind: ProviderKind;
  connectionId: string;
  providerName: string;
  /** Null when a key is required but none is saved: every call then fails as auth_invalid. */
  client: OpenAI | null;
  apiKey: string | null;
  dialect: OpenAIChatDialect;
  timeouts: Timeouts;
  hooks?: OpenAIStyleHooks;
  /**
   * Chat completions sent without the SDK (openai-direct-stream.ts) where the server is known to
   * speak plain OpenAI; listing models and probing still go through the client.
   */
  direct?: DirectChatEndpoint;
}

/** One adapter for every server that speaks OpenAI chat completions; kinds differ only by settings. */
export class OpenAIStyleAdapter implements ProviderAdapter {
  readonly kind: ProviderKind;
  readonly connectionId: string;

  constructor(private readonly settings: OpenAIStyleSettings) {
    this.kind = settings.kind;
    this.connectionId = settings.connectionId;
  }

  private mapError(error: unknown, scope: CallScope, operation: 'chat' | 'models', model?: string): AppError {
    return mapOpenAIError(error, {
      providerName: this.settings.providerName,
      model,
      timeoutMs: scope.timeoutMs,
      secrets: [this.settings.apiKey],
      operation,
      scope,
      classify: this.settings.hooks?.classifyError,
    });
  }

  private requireClient(): OpenAI {
    if (this.settings.client) return this.settings.client;
    throw new AppErrorException(
      providerError('auth_invalid', { providerName: this.settings.providerName, secrets: [] }, { missingKey: true }),
    );
  }

  private async withinScope<T>(options: CallOptions, work: (client: OpenAI, scope: CallScope) => Promise<T>): Promise<T> {
    const client = this.requireClient();
    const scope = openCallScope(options.signal, this.settings.timeouts.requestMs);
    try {
      return await work(client, scope);
    } catch (error) {
      throw new AppErrorException(this.mapError(error, scope, 'models'));
    } finally {
      scope.dispose();
    }
  }

  listModels(options: CallOptions): Promise<DiscoveredModel[]> {
    const hooks = this.settings.hooks ?? {};
    return this.withinScope(options, async (client, scope) => {
      const listed = hooks.listModels ? await hooks.listModels(scope) : await listModelsVia(client, scope);
      const models = listed.map((model) => (hooks.normalizeModelId ? { ...model, id: hooks.normalizeModelId(model.id) } : model));
      return hooks.modelFilter ? models.filter((model) => hooks.modelFilter!(model.id)) : models;
    });
  }

  probe(options: CallOptions): Promise<void> {
    const hooks = this.settings.hooks ?? {};
    return this.withinScope(options, async (client, scope) => {
      if (hooks.probe) await hooks.probe(scope);
      else if (hooks.listModels) await hooks.listModels(scope);
      else await listModelsVia(client, scope);
    });
  }

  async *stream(request: ModelRequest, options: CallOptions): AsyncGenerator<ProviderStreamPart> {
    const client = this.requireClient();
    const wireModel = this.settings.hooks?.wireModel?.(request.model) ?? request.model;
    const { params, dropped } = buildChatParams(request, this.settings.dialect, wireModel);
    const scope = openCallScope(options.signal, this.settings.timeouts.streamIdleMs);
    try {
      if (dropped.length > 0) yield { type: 'dropped', names: dropped };
      yield* streamChatCompletion(client, params, scope, this.settings.direct);
    } catch (error) {
      throw new AppErrorException(this.mapError(error, scope, 'chat', request.model));
    } finally {
      scope.dispose();
    }
  }
}
