import type { Connection, ProviderKind } from '../../src-shared/schemas/connection';
import type { LoadedModel } from '../../src-shared/schemas/local-models';
import type { CallOptions, DiscoveredModel } from '../engine/ports';
import type { PullStep } from './ollama/ollama-models';
import type { ProviderAdapterOptions } from './registry';

export type { PullStep };

/**
 * What a local model server can do beyond answering: say which models it holds and which are in
 * memory, and (where the server allows it) load, pull and delete them. Failures are thrown as
 * AppErrorException, mapped in the provider's own folder.
 */
export interface LocalModelHost {
  /** The models on the server's disk, with size and details where it says. */
  listHeld(options: CallOptions): Promise<DiscoveredModel[]>;
  /** The models in memory now. */
  loaded(options: CallOptions): Promise<LoadedModel[]>;
  /** Loads a model with the context it will answer with, so the first call does not wait for it. */
  warm?(model: string, contextTokens: number | undefined, options: CallOptions): Promise<void>;
  /** Downloads a model; resolves once the server says it is complete. */
  pull?(name: string, options: CallOptions, onStep: (step: PullStep) => void): Promise<void>;
  remove?(name: string, options: CallOptions): Promise<void>;
}

type HostFactory = (connection: Connection, apiKey: string | null, options: ProviderAdapterOptions) => Promise<LocalModelHost>;

/** The local server kinds and how each is asked; other kinds have no host. */
const hostFactories: Partial<Record<ProviderKind, HostFactory>> = {
  ollama: async (connection, apiKey, options) => (await import('./ollama/ollama-adapter')).createOllamaHost(connection, apiKey, options),
  lmstudio: async (connection, apiKey, options) =>
    (await import('./openai-compatible/lmstudio-native')).createLmStudioHost(connection, apiKey, options),
};

/** The host for a local server kind, or null for a kind that has none (a cloud provider). */
export async function createLocalModelHost(
  connection: Connection,
  apiKey: string | null,
  options: ProviderAdapterOptions = {},
): Promise<LocalModelHost | null> {
  const factory = hostFactories[connection.kind];
  return factory ? factory(connection, apiKey, options) : null;
}
