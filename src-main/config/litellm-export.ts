// The same routing as the config of a shared LiteLLM proxy (`litellm --config config.yaml`), for a
// team that outgrows one machine. Pure: settings in, YAML text out; keys stay environment variables.
import { Document } from 'yaml';
import type { Connection, ProviderKind } from '../../src-shared/schemas/connection';
import type { Settings } from '../../src-shared/schemas/settings';
import { allAgents } from '../agents/agent-registry';
import { failuresBeforeRed, initialCooldownMs } from '../engine/health';
import { isLocalConnection } from '../engine/local-connection';
import { prepareRouting, targetKey } from '../engine/prepare-routing';
import { keyVariableName } from '../secrets/key-variable';
import { ollamaRoot } from '../providers/openai-compatible/ollama-native';
import { providerProfile } from '../providers/registry';

/** LiteLLM's provider prefix per kind; null: LiteLLM's OpenAI-compatible client with our base URL. */
const litellmPrefixes: Record<ProviderKind, string | null> = {
  anthropic: 'anthropic',
  openai: 'openai',
  'azure-openai': 'azure',
  gemini: 'gemini',
  deepseek: 'deepseek',
  ollama: 'ollama',
  openrouter: 'openrouter',
  groq: 'groq',
  mistral: 'mistral',
  xai: 'xai',
  perplexity: 'perplexity',
  together: 'together_ai',
  lmstudio: null,
  custom: null,
};

/** One step of a virtual model's chain, in the order Switchboard tries them. */
interface ChainTarget {
  connection: Connection;
  model: string;
  maxTokens: number | null;
  retries: number;
}

/** The `litellm_params` of one deployment: what LiteLLM passes to `litellm.completion()`. */
export type LitellmParams = Record<string, string | number>;

/** `anthropic/claude-sonnet-4-6`, `azure/<deployment>`, `openai/<model>` for OpenAI-compatible servers. */
export function litellmModel(connection: Pick<Connection, 'kind' | 'azure'>, model: string): string {
  if (connection.kind === 'azure-openai') {
    const deployment = connection.azure?.deployments.find((item) => item.alias === model)?.deployment ?? model;
    return `azure/${deployment}`;
  }
  return `${litellmPrefixes[connection.kind] ?? 'openai'}/${model}`;
}

/** The base URL LiteLLM needs: only where the user set one, or where the provider has no fixed one. */
function litellmApiBase(connection: Connection): string | undefined {
  const baseUrl = connection.baseUrl.replace(/\/+$/, '');
  if (connection.kind === 'ollama') return ollamaRoot(baseUrl);
  const prefixed = litellmPrefixes[connection.kind] !== null && connection.kind !== 'azure-openai';
  if (prefixed && baseUrl === providerProfile(connection.kind).defaultBaseUrl.replace(/\/+$/, '')) return undefined;
  return baseUrl;
}

export function litellmParams(connection: Connection, model: string, maxTokens: number | null): LitellmParams {
  const params: LitellmParams = { model: litellmModel(connection, model) };
  const apiBase = litellmApiBase(connection);
  if (apiBase !== undefined) params['api_base'] = apiBase;
  if (connection.kind === 'azure-openai' && connection.azure) params['api_version'] = connection.azure.apiVersion;
  // Local model servers take no key; every other connection reads its key from the environment.
  if (!providerProfile(connection.kind).localServer) params['api_key'] = `os.environ/${keyVariableName(connection.id)}`;
  if (maxTokens !== null) params['max_tokens'] = maxTokens;
  return params;
}

/** The virtual models of the local gateway with the targets each tries, in order. */
function virtualModelChains(settings: Settings, skipped: string[]): Map<string, ChainTarget[]> {
  const connections = new Map(settings.connections.map((connection) => [connection.id, connection]));
  const routing = prepareRouting(settings.routing);
  const chains = new Map<string, ChainTarget[]>();

  const collect = (
    name: string,
    steps: { connectionId: string; model?: string | undefined; maxTokens?: number | null; retries: number }[],
    localOnly = false,
  ) => {
    const chain: ChainTarget[] = [];
    const seen = new Set<string>();
    for (const step of steps) {
      const connection = connections.get(step.connectionId);
      if (!connection || !connection.enabled) continue;
      if (localOnly && !isLocalConnection(connection)) continue;
      const model = step.model ?? connection.defaultModel;
      if (seen.has(targetKey(connection.id, model))) continue;
      seen.add(targetKey(connection.id, model));
      // Only a limit the user set on a tier entry; the provider's own limit needs no repeating.
      chain.push({ connection, model, maxTokens: step.maxTokens ?? null, retries: step.retries });
    }
    if (chain.length === 0) skipped.push(`${name}: no enabled ${localOnly ? 'local ' : ''}connection to send it to`);
    else chains.set(name, chain);
  };

  const primary = settings.primaryConnectionId;
  for (const agent of allAgents(settings)) {
    // The engine's order for an agent: its own rules, the default rules, then Primary.
    const rules = [...routing.rulesFor(`agent:${agent.name}`), ...routing.rulesFor('default')].map(({ proposal }) => proposal);
    const steps = rules.map((proposal) => ({
      connectionId: proposal.connectionId,
      model: proposal.model,
      retries: proposal.sameProviderRetries,
    }));
    if (primary) steps.push({ connectionId: primary, model: undefined, retries: settings.routing.defaultSameProviderRetries });
    collect(`agent/${agent.name}`, steps, agent.localOnly);
  }
  for (const tier of settings.routing.tiers) {
    const prepared = routing.tier(tier.id);
    const steps = (prepared?.entries ?? []).map((entry) => ({
      connectionId: entry.connectionId,
      model: entry.model,
      maxTokens: entry.maxOutputTokens,
      retries: settings.routing.defaultSameProviderRetries,
    }));
    collect(`tier/${tier.id}`, steps);
  }
  for (const route of settings.routing.routes) {
    collect(
      `route/${route.id}`,
      route.targets.map((target) => ({ ...target, retries: route.sameProviderRetries })),
    );
  }
  return chains;
}

/** The group LiteLLM falls back to for the chain's n-th target (n from 2): `route/resilient#2`. */
export function fallbackGroupName(virtualModel: string, position: number): string {
  return `${virtualModel}#${position}`;
}

export interface LitellmConfig {
  model_list: { model_name: string; litellm_params: LitellmParams }[];
  router_settings: {
    num_retries: number;
    allowed_fails: number;
    cooldown_time: number;
    fallbacks: Record<string, string[]>[];
  };
}

/**
 * The LiteLLM config as data. Each virtual model is a model group holding its first target; each
 * later target is a group of its own (`<virtual model>#<n>`) listed, in chain order, as the
 * virtual model's fallbacks. LiteLLM then retries a target `num_retries` times and moves on in
 * order, which is what same-provider retries followed by fallback mean here.
 */
export function litellmConfig(settings: Settings): { config: LitellmConfig; skipped: string[] } {
  const skipped: string[] = [];
  const defaultRetries = settings.routing.defaultSameProviderRetries;
  const config: LitellmConfig = {
    model_list: [],
    router_settings: {
      num_retries: defaultRetries,
      // Our health turns a connection red on the third failure in a row; LiteLLM cools a deployment
      // down once it fails more than allowed_fails times in a minute.
      allowed_fails: failuresBeforeRed - 1,
      cooldown_time: initialCooldownMs / 1000,
      fallbacks: [],
    },
  };
  for (const [name, chain] of virtualModelChains(settings, skipped)) {
    chain.forEach((target, index) => {
      const params = litellmParams(target.connection, target.model, target.maxTokens);
      // A route with its own same-provider retries keeps them on its deployments.
      if (target.retries !== defaultRetries) params['num_retries'] = target.retries;
      config.model_list.push({ model_name: index === 0 ? name : fallbackGroupName(name, index + 1), litellm_params: params });
    });
    if (chain.length > 1)
      config.router_settings.fallbacks.push({ [name]: chain.slice(1).map((_, index) => fallbackGroupName(name, index + 2)) });
  }
  return { config, skipped };
}

const header = `LiteLLM proxy config exported from Switchboard: litellm --config config.yaml
Keys come from SWITCHBOARD_KEY_<CONNECTION_ID> environment variables; none are in this file.
Not carried over: escalation to a stronger tier, capability-aware fallback, budgets and limits,
the Claude model choice for Primary (agents end on Primary's default model), and the local-only
guarantee beyond the targets listed (a local-only agent's group holds only local connections).`;

/** The LiteLLM proxy `config.yaml` for these settings. */
export function litellmConfigYaml(settings: Settings): string {
  const { config, skipped } = litellmConfig(settings);
  const document = new Document(config);
  document.commentBefore = [...header.split('\n').map((line) => ` ${line}`), ...skipped.map((line) => ` Left out: ${line}`)].join('\n');
  return document.toString({ lineWidth: 0 });
}
