import { APIError, AzureOpenAI } from 'openai';
import type { Connection } from '../../../src-shared/schemas/connection';
import type { DiscoveredModel, ProviderAdapter } from '../../engine/ports';
import { openAIDialect } from '../openai/openai-adapter';
import { parseModelList } from '../openai/openai-chat-stream';
import { OpenAIStyleAdapter } from '../openai/openai-style-adapter';
import { raceAbort, sdkTimeoutMarginMs, type CallScope, type Timeouts } from '../shared/call-scope';
import { HttpStatusError } from '../shared/http-json';
import { classifyAzureError } from './map-azure-error';

/** The GA data-plane version used when a connection does not name one. */
export const defaultAzureApiVersion = '2024-10-21';

/** `https://res.openai.azure.com/openai` from whatever form of the resource endpoint the user pasted. */
export function azureSdkBaseUrl(baseUrl: string): string {
  return `${baseUrl
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/openai$/i, '')}/openai`;
}

function notAnswered(error: unknown): boolean {
  const status = error instanceof APIError || error instanceof HttpStatusError ? error.status : undefined;
  return status === 400 || status === 404;
}

/**
 * Azure OpenAI: the user picks aliases ("gpt-4o"), requests go to the mapped deployment, and the
 * key travels as `api-key`. The chat path, streaming and errors are the OpenAI ones.
 */
export function createAzureOpenAIAdapter(
  connection: Connection,
  apiKey: string | null,
  options: { timeouts: Timeouts; fetch?: typeof fetch },
): ProviderAdapter {
  const deployments = connection.azure?.deployments ?? [];
  const client = apiKey
    ? new AzureOpenAI({
        apiKey,
        baseURL: azureSdkBaseUrl(connection.baseUrl),
        apiVersion: connection.azure?.apiVersion || defaultAzureApiVersion,
        organization: null,
        project: null,
        webhookSecret: null,
        maxRetries: 0,
        timeout: options.timeouts.streamIdleMs + sdkTimeoutMarginMs,
        logLevel: 'warn',
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
    : null;

  const listDeployments = async (scope: CallScope): Promise<DiscoveredModel[]> => {
    const configured: DiscoveredModel[] = deployments.map((item) => ({
      id: item.alias,
      ...(item.deployment !== item.alias ? { displayName: `${item.alias} (${item.deployment})` } : {}),
    }));
    if (!client) return configured;
    let listed: DiscoveredModel[] = [];
    try {
      // Older API versions list deployments; newer ones answer 404, leaving the configured aliases.
      listed = parseModelList(await raceAbort(client.get<unknown>('/deployments', { signal: scope.signal }), scope.signal));
    } catch (error) {
      if (!notAnswered(error)) throw error;
    }
    const known = new Set(deployments.flatMap((item) => [item.alias, item.deployment]));
    return [...configured, ...listed.filter((model) => !known.has(model.id))];
  };

  return new OpenAIStyleAdapter({
    kind: connection.kind,
    connectionId: connection.id,
    providerName: connection.name,
    client,
    apiKey,
    dialect: openAIDialect,
    timeouts: options.timeouts,
    hooks: {
      wireModel: (model) => deployments.find((item) => item.alias === model)?.deployment ?? model,
      classifyError: classifyAzureError,
      listModels: listDeployments,
      // The resource's model list is token-free and checks the key and the endpoint.
      probe: async (scope) => {
        if (client) await raceAbort(client.get<unknown>('/models', { signal: scope.signal }), scope.signal);
      },
    },
  });
}
