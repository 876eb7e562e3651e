// A configuration with something of everything (cloud and local connections, agent and default rules,
// tiers, routes, custom agents, budgets, limits) and a table of requests that exercises it.
import type { Connection } from '../../src-shared/schemas/connection';
import type { RouteRequest } from '../../src-shared/schemas/route-plan';
import { defaultSettings, type Settings } from '../../src-shared/schemas/settings';
import { factsFor } from '../../src-main/providers/catalog';

const at = '2026-01-01T00:00:00.000Z';

function connection(
  id: string,
  kind: Connection['kind'],
  name: string,
  baseUrl: string,
  defaultModel: string,
  models: string[],
): Connection {
  return {
    id,
    kind,
    name,
    baseUrl,
    defaultModel,
    enabled: true,
    models: models.map((model) => factsFor(kind, model)),
    monthlyBudgetUsd: null,
    createdAt: at,
  };
}

export function fixtureSettings(): Settings {
  const settings = defaultSettings();
  const openai = connection('openai-main', 'openai', 'OpenAI', 'https://api.openai.com/v1', 'gpt-4o-mini', ['gpt-4o-mini', 'gpt-4o']);
  const claude = connection('claude', 'anthropic', 'Claude', 'https://api.anthropic.com', 'claude-sonnet-4-5', [
    'claude-sonnet-4-5',
    'claude-haiku-4-5',
  ]);
  const local = connection('local', 'ollama', 'Ollama', 'http://127.0.0.1:11434', 'llama3.2:3b', ['llama3.2:3b']);
  const deepseek = {
    ...connection('deepseek', 'deepseek', 'DeepSeek', 'https://api.deepseek.com', 'deepseek-chat', ['deepseek-chat']),
    monthlyBudgetUsd: 0,
  };
  const small = { ...local.models[0]!, maxInputTokens: 2_000 };
  return {
    ...settings,
    connections: [openai, claude, { ...local, models: [small] }, deepseek],
    primaryConnectionId: 'openai-main',
    routing: {
      rules: [
        { id: 'r1', context: 'agent:builder', connectionId: 'claude', priority: 1 },
        { id: 'r2', context: 'agent:builder', connectionId: 'openai-main', model: 'gpt-4o', priority: 2 },
        { id: 'r3', context: 'default', connectionId: 'deepseek', priority: 1 },
        { id: 'r4', context: 'agent:planner', connectionId: 'openai-main', model: 'gpt-4o', priority: 5 },
        { id: 'r5', context: 'agent:private', connectionId: 'local', priority: 1 },
      ],
      tiers: [
        {
          id: 'standard',
          name: 'Cheap chat',
          rank: 0,
          preferredFor: null,
          entries: [
            { connectionId: 'deepseek', model: 'deepseek-chat', priority: 0, maxInputTokens: null, maxOutputTokens: 1_000 },
            { connectionId: 'openai-main', model: 'gpt-4o-mini', priority: 1, maxInputTokens: null, maxOutputTokens: null },
          ],
        },
        {
          id: 'premium',
          name: 'Strong task',
          rank: 1,
          preferredFor: null,
          entries: [{ connectionId: 'claude', model: 'claude-sonnet-4-5', priority: 0, maxInputTokens: 50_000, maxOutputTokens: 4_000 }],
        },
        {
          id: 'vision',
          name: 'Vision',
          rank: 2,
          preferredFor: 'vision',
          entries: [{ connectionId: 'openai-main', model: 'gpt-4o', priority: 0, maxInputTokens: null, maxOutputTokens: null }],
        },
      ],
      routes: [
        {
          id: 'resilient',
          name: 'Resilient',
          description: 'OpenAI, then Claude',
          version: 3,
          sameProviderRetries: 2,
          targets: [
            { connectionId: 'openai-main', model: 'gpt-4o' },
            { connectionId: 'claude', model: 'claude-haiku-4-5' },
          ],
        },
        {
          id: 'offline',
          name: 'Offline',
          description: '',
          version: 1,
          sameProviderRetries: 0,
          targets: [{ connectionId: 'local', model: 'llama3.2:3b' }],
        },
      ],
      defaultSameProviderRetries: 1,
    },
    agents: [
      {
        name: 'private',
        description: 'Private notes',
        systemPrompt: 'Stay local.',
        requiredCapabilities: [],
        outputSchema: null,
        latencyBudgetMs: 5_000,
        costCeilingUsd: 0.5,
        localOnly: true,
        builtIn: false,
      },
    ],
  };
}

/** Fifty requests: every agent, tier and route, capabilities, local-only, overrides, sizes and outages. */
export function fixtureRequests(): RouteRequest[] {
  const agents = [undefined, 'builder', 'planner', 'research', 'vision_agent', 'private'];
  const shapes: Array<Partial<RouteRequest>> = [
    {},
    { needs: ['vision'] },
    { needs: ['tools'] },
    { localOnly: true },
    { estimatedInputTokens: 10_000 },
    { simulateDown: ['claude'] },
    { tier: 'standard' },
    { route: 'resilient', simulateDown: ['openai-main'] },
  ];
  const requests: RouteRequest[] = [];
  for (const agent of agents) {
    for (const shape of shapes) {
      requests.push({ kind: 'task', needs: [], estimatedInputTokens: 100, localOnly: false, ...(agent ? { agent } : {}), ...shape });
    }
  }
  requests.push({
    kind: 'task',
    needs: [],
    estimatedInputTokens: 0,
    localOnly: false,
    override: { connectionId: 'claude', model: 'claude-haiku-4-5' },
  });
  requests.push({ kind: 'gateway', needs: [], estimatedInputTokens: 0, localOnly: false, route: 'offline' });
  return requests.slice(0, 50);
}
