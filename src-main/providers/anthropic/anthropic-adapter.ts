import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { AppErrorException, type AppError } from '../../../src-shared/errors/app-error';
import type { Connection, ProviderKind } from '../../../src-shared/schemas/connection';
import type { CallOptions, DiscoveredModel, ModelRequest, ProviderAdapter, ProviderStreamPart } from '../../engine/ports';
import { factsFor } from '../catalog';
import { iterateWithin, openCallScope, raceAbort, sdkTimeoutMarginMs, type CallScope, type Timeouts } from '../shared/call-scope';
import { providerError } from '../shared/provider-error';
import { buildAnthropicParams, fallbackMaxTokens } from './anthropic-request';
import { readAnthropicStream } from './anthropic-stream';
import { mapAnthropicError } from './map-anthropic-error';

export interface AnthropicAdapterOptions {
  timeouts: Timeouts;
  fetch?: typeof fetch;
}

export class AnthropicAdapter implements ProviderAdapter {
  readonly kind: ProviderKind = 'anthropic';
  readonly connectionId: string;
  private readonly client: Anthropic | null;

  constructor(
    private readonly connection: Connection,
    private readonly apiKey: string | null,
    private readonly options: AnthropicAdapterOptions,
  ) {
    this.connectionId = connection.id;
    this.client = apiKey
      ? new Anthropic({
          apiKey,
          baseURL: connection.baseUrl,
          maxRetries: 0,
          timeout: options.timeouts.streamIdleMs + sdkTimeoutMarginMs,
          logLevel: 'warn',
          // Spans would carry prompts to whatever tracer the process registered.
          openTelemetry: false,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        })
      : null;
  }

  /** The user's limit for the model, else the model's own limit, else a safe default. */
  private maxOutputTokensFor(model: string): number {
    return (
      this.connection.models.find((facts) => facts.id === model)?.maxOutputTokens ??
      factsFor('anthropic', model).maxOutputTokens ??
      fallbackMaxTokens
    );
  }

  private mapError(error: unknown, scope: CallScope, operation: 'chat' | 'models', model?: string): AppError {
    return mapAnthropicError(error, {
      providerName: this.connection.name,
      model,
      timeoutMs: scope.timeoutMs,
      secrets: [this.apiKey],
      operation,
      scope,
    });
  }

  private requireClient(): Anthropic {
    if (this.client) return this.client;
    throw new AppErrorException(providerError('auth_invalid', { providerName: this.connection.name, secrets: [] }, { missingKey: true }));
  }

  async listModels(options: CallOptions): Promise<DiscoveredModel[]> {
    const client = this.requireClient();
    const scope = openCallScope(options.signal, this.options.timeouts.requestMs);
    try {
      const collect = async () => {
        const models: DiscoveredModel[] = [];
        for await (const info of client.models.list({ limit: 100 }, { signal: scope.signal })) {
          const model: DiscoveredModel = { id: info.id };
          if (info.display_name) model.displayName = info.display_name;
          if (info.max_input_tokens) model.contextWindow = info.max_input_tokens;
          models.push(model);
        }
        return models;
      };
      return await raceAbort(collect(), scope.signal);
    } catch (error) {
      throw new AppErrorException(this.mapError(error, scope, 'models'));
    } finally {
      scope.dispose();
    }
  }

  async probe(options: CallOptions): Promise<void> {
    const client = this.requireClient();
    const scope = openCallScope(options.signal, this.options.timeouts.requestMs);
    try {
      // One page of one model proves the key and the address without paging through the list.
      await raceAbort(client.models.list({ limit: 1 }, { signal: scope.signal }), scope.signal);
    } catch (error) {
      throw new AppErrorException(this.mapError(error, scope, 'models'));
    } finally {
      scope.dispose();
    }
  }

  async *stream(request: ModelRequest, options: CallOptions): AsyncGenerator<ProviderStreamPart> {
    const client = this.requireClient();
    const maxTokens = this.maxOutputTokensFor(request.model);
    const { params, dropped } = buildAnthropicParams(request, maxTokens);
    const scope = openCallScope(options.signal, this.options.timeouts.streamIdleMs);
    try {
      if (dropped.length > 0) yield { type: 'dropped', names: dropped };
      const stream = await raceAbort(client.messages.create(params, { signal: scope.signal }), scope.signal);
      scope.touch();
      yield* readAnthropicStream(iterateWithin<RawMessageStreamEvent>(stream, scope));
    } catch (error) {
      throw new AppErrorException(this.mapError(error, scope, 'chat', request.model));
    } finally {
      scope.dispose();
    }
  }
}

export function createAnthropicAdapter(connection: Connection, apiKey: string | null, options: AnthropicAdapterOptions): ProviderAdapter {
  return new AnthropicAdapter(connection, apiKey, options);
}
