import type { Connection } from '../../../src-shared/schemas/connection';
import type { ProviderAdapter } from '../../engine/ports';
import { createOpenAIClient } from '../openai/openai-client';
import { OpenAIStyleAdapter } from '../openai/openai-style-adapter';
import type { CallScope, Timeouts } from '../shared/call-scope';
import { withUnwrappedErrorBodies } from './map-openai-compatible-error';
import type { NativeCallContext, OpenAICompatibleProfile } from './profiles';

/** The one core behind every OpenAI-compatible kind: the openai adapter configured by a profile. */
export function createOpenAICompatibleAdapter(
  connection: Connection,
  apiKey: string | null,
  profile: OpenAICompatibleProfile,
  options: { timeouts: Timeouts; fetch?: typeof fetch },
): ProviderAdapter {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const usableKey = apiKey?.trim() ? apiKey.trim() : null;
  const missingKey = profile.keyRequired && usableKey === null;
  const native = (scope: CallScope): NativeCallContext => ({
    fetch: baseFetch,
    baseUrl: connection.baseUrl,
    apiKey: usableKey,
    signal: scope.signal,
  });

  return new OpenAIStyleAdapter({
    kind: connection.kind,
    connectionId: connection.id,
    providerName: connection.name,
    client: missingKey
      ? null
      : createOpenAIClient({
          baseURL: profile.sdkBaseUrl(connection.baseUrl),
          apiKey: usableKey,
          timeoutMs: options.timeouts.streamIdleMs,
          fetch: withUnwrappedErrorBodies(baseFetch),
        }),
    apiKey: usableKey,
    dialect: profile.dialect,
    timeouts: options.timeouts,
    hooks: {
      classifyError: profile.classifyError,
      normalizeModelId: profile.normalizeModelId,
      listModels: profile.listModels ? (scope) => profile.listModels!(native(scope)) : undefined,
      probe: profile.probe ? (scope) => profile.probe!(native(scope)) : undefined,
    },
  });
}
