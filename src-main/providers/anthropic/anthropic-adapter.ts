import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import { AppErrorException, type AppError } from '../../../src-shared/errors/app-error';
import type { Connection, ProviderKind } from '../../../src-shared/schemas/connection';
import type { CallOptions, DiscoveredModel, FinishReason, ModelRequest, ProviderAdapter, ProviderStreamPart } from '../../engine/ports';
import { factsFor } from '../catalog';
import { iterateWithin, openCallScope, raceAbort, sdkTimeoutMarginMs, type CallScope, type Timeouts } from '../shared/call-scope';
import { providerError } from '../shared/provider-error';
import { StreamEndedEarly } from '../shared/stream-ended-early';
import { buildAnthropicParams, fallbackMaxTokens } from './anthropic-request';
import { mapAnthropicError } from './map-anthropic-error';

const finishReasons: Record<StopReason, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content_filter',
  tool_use: 'tool_calls',
  pause_turn: 'other',
};

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
    const params = buildAnthropicParams(request, maxTokens);
    const scope = openCallScope(options.signal, this.options.timeouts.streamIdleMs);
    try {
      const stream = await raceAbort(client.messages.create(params, { signal: scope.signal }), scope.signal);
      scope.touch();
      let inputTokens = 0;
      let outputTokens = 0;
      let cacheReadTokens = 0;
      let cacheWriteTokens = 0;
      let stopReason: StopReason | null = null;
      let stopped = false;
      for await (const event of iterateWithin<RawMessageStreamEvent>(stream, scope)) {
        switch (event.type) {
          case 'message_start': {
            const usage = event.message.usage;
            cacheReadTokens = usage?.cache_read_input_tokens ?? 0;
            cacheWriteTokens = usage?.cache_creation_input_tokens ?? 0;
            inputTokens = (usage?.input_tokens ?? 0) + cacheWriteTokens + cacheReadTokens;
            outputTokens = usage?.output_tokens ?? 0;
            yield { type: 'response-metadata', modelVersion: event.message.model, responseId: event.message.id };
            break;
          }
          case 'content_block_delta':
            if (event.delta.type === 'text_delta' && event.delta.text) yield { type: 'text-delta', text: event.delta.text };
            break;
          case 'message_delta':
            stopReason = event.delta.stop_reason ?? stopReason;
            outputTokens = event.usage.output_tokens ?? outputTokens;
            if (event.usage.input_tokens != null) {
              cacheReadTokens = event.usage.cache_read_input_tokens ?? cacheReadTokens;
              cacheWriteTokens = event.usage.cache_creation_input_tokens ?? cacheWriteTokens;
              inputTokens = event.usage.input_tokens + cacheWriteTokens + cacheReadTokens;
            }
            break;
          case 'message_stop':
            stopped = true;
            break;
          default:
            break;
        }
      }
      if (!stopped) throw new StreamEndedEarly();
      yield {
        type: 'usage',
        inputTokens,
        outputTokens,
        ...(cacheReadTokens > 0 ? { cacheReadTokens } : {}),
        ...(cacheWriteTokens > 0 ? { cacheWriteTokens } : {}),
      };
      yield { type: 'finish', reason: stopReason ? (finishReasons[stopReason] ?? 'other') : 'stop' };
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
