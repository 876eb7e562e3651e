import type { Capability, Connection, ModelFacts } from '../../src-shared/schemas/connection';
import type { DiscoveredModel } from '../engine/ports';
import { factsFor } from '../providers/catalog';
import { localKinds } from '../providers/catalog-data';
import { providerProfile } from '../providers/registry';

/**
 * The context a model runs with on a server that takes it per call (Ollama's num_ctx): the
 * smaller of the model's own length and the user's setting. Other kinds leave it to the server.
 */
export function withRunContext(kind: Connection['kind'], facts: ModelFacts, contextTokens: number): ModelFacts {
  if (!providerProfile(kind).sendsContextSize) return facts;
  const { runContextTokens: _previous, ...rest } = facts;
  const runContextTokens = facts.contextWindow === null ? contextTokens : Math.min(facts.contextWindow, contextTokens);
  return { ...rest, runContextTokens };
}

/** What the server reports overrides the catalog's guess; the user's limits and prices stay. */
function factsFromDiscovery(kind: Connection['kind'], discovered: DiscoveredModel, known: ModelFacts | undefined): ModelFacts {
  const base = known ?? factsFor(kind, discovered.id);
  const capabilities = { ...base.capabilities };
  for (const [name, value] of Object.entries(discovered.capabilities ?? {}) as Array<[Capability, boolean | undefined]>) {
    if (value !== undefined) capabilities[name] = value;
  }
  const facts: ModelFacts = { ...base, capabilities, contextWindow: discovered.contextWindow ?? base.contextWindow };
  if (discovered.local) facts.local = discovered.local;
  return facts;
}

/**
 * Discovered models merged with what is known: server facts first, user edits kept, catalog facts
 * for the rest. A local server lists everything it holds, so a model it no longer lists is dropped
 * (except the default model, which the user chose by name); a cloud list may be partial, so
 * models the user typed in stay.
 */
export function mergeModels(
  connection: Pick<Connection, 'kind' | 'models' | 'defaultModel'>,
  discovered: ReadonlyArray<DiscoveredModel | string>,
  contextTokens: number,
): ModelFacts[] {
  const known = new Map(connection.models.map((facts) => [facts.id, facts]));
  const listed = discovered.map((model): DiscoveredModel => (typeof model === 'string' ? { id: model } : model));
  const ids = new Set(listed.map((model) => model.id));
  const merged = listed.map((model) => factsFromDiscovery(connection.kind, model, known.get(model.id)));
  const keepsUnlisted = !localKinds.includes(connection.kind);
  for (const facts of connection.models) {
    if (ids.has(facts.id)) continue;
    if (keepsUnlisted || facts.id === connection.defaultModel) merged.push(facts);
  }
  return merged.map((facts) => withRunContext(connection.kind, facts, contextTokens));
}
