// "Find models" for a connection being typed: which models the provider lists, with the key typed or
// the one saved for that connection, never sending a saved key anywhere but where it was saved for.
import { toAppError } from '../../src-shared/errors/app-error';
import type { Connection } from '../../src-shared/schemas/connection';
import type { DiscoverModelsInput, DiscoverModelsResult } from '../../src-shared/schemas/connection-input';
import type { ProviderAdapter } from '../engine/ports';
import { describeConnectionFailure } from '../providers/describe-failure';
import { createProviderAdapter, providerProfile, type ProviderAdapterOptions } from '../providers/registry';
import { keyOrigin, type KeyLookup } from '../secrets/provider-keys';
import type { SettingsService } from '../settings/settings-service';
import { checkKey } from './connection-input-checks';

/** The ids of the models a provider lists. */
async function listModelIds(adapter: ProviderAdapter): Promise<string[]> {
  const controller = new AbortController();
  const models = await adapter.listModels({ signal: controller.signal });
  return models.map((model) => model.id);
}

export interface ModelDiscoveryDependencies {
  settings: Pick<SettingsService, 'get'>;
  /** The key saved for a connection, bound to where it may be sent. */
  lookupKey(connection: Connection): Promise<KeyLookup>;
  now(): number;
  adapterOptions?: ProviderAdapterOptions;
}

export async function discoverModels(input: DiscoverModelsInput, deps: ModelDiscoveryDependencies): Promise<DiscoverModelsResult> {
  checkKey(input.kind, input.apiKey, false);
  let key = input.apiKey?.trim() || null;
  if (!key && input.connectionId) {
    // A saved key only goes where it was saved for: a draft pointing elsewhere needs it typed again.
    const saved = deps.settings.get().connections.find((connection) => connection.id === input.connectionId);
    const lookup = saved ? await deps.lookupKey(saved) : ({ status: 'none' } as const);
    if (lookup.status === 'found') {
      if (saved?.kind !== input.kind || keyOrigin(saved.baseUrl) !== keyOrigin(input.baseUrl))
        return {
          ok: false,
          message: `The saved API key is only sent to ${keyOrigin(saved?.baseUrl ?? '')}. Paste the key again to look for models at ${keyOrigin(input.baseUrl)}.`,
          models: [],
        };
      key = lookup.key;
    }
  }
  if (!key && providerProfile(input.kind).keyRequired) {
    return { ok: false, message: 'Paste the API key first, then look for models.', models: [] };
  }
  const draft: Connection = {
    id: 'draft',
    kind: input.kind,
    name: 'draft',
    baseUrl: input.baseUrl.trim().replace(/\/+$/, ''),
    defaultModel: 'draft',
    enabled: true,
    models: [],
    azure: input.azure,
    monthlyBudgetUsd: null,
    createdAt: new Date(deps.now()).toISOString(),
  };
  try {
    const models = await listModelIds(createProviderAdapter(draft, key, deps.adapterOptions));
    return {
      ok: true,
      message: models.length ? `Found ${models.length} models.` : 'The provider answered but listed no models: type the model name.',
      models,
    };
  } catch (error) {
    return { ok: false, message: describeConnectionFailure(toAppError(error, 'network'), input.kind), models: [] };
  }
}
