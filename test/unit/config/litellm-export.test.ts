import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { settingsFromConfig } from '../../../src-main/config/config-file';
import { fallbackGroupName, litellmConfigYaml, litellmModel, litellmParams } from '../../../src-main/config/litellm-export';
import type { Connection, ProviderKind } from '../../../src-shared/schemas/connection';

/** The config the README shows under "Headless, without the app", read from the README itself. */
function readmeExampleConfig(): unknown {
  const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  const block = /A complete config with two providers[^\n]*\n\n```json\n([\s\S]*?)\n```/.exec(readme);
  if (!block) throw new Error('README.md no longer has the example config under "A complete config with two providers"');
  return JSON.parse(block[1]!);
}

interface Deployment {
  model_name: string;
  litellm_params: Record<string, unknown>;
}
interface Exported {
  model_list: Deployment[];
  router_settings: { fallbacks: Record<string, string[]>[]; num_retries: number; allowed_fails: number; cooldown_time: number };
}

function exportOf(config: unknown): Exported {
  return parse(litellmConfigYaml(settingsFromConfig(config).settings)) as Exported;
}

function connection(kind: ProviderKind, extra: Partial<Connection> = {}): Connection {
  return {
    id: `my-${kind}`,
    kind,
    name: kind,
    baseUrl: 'https://example.test/v1',
    defaultModel: 'm',
    enabled: true,
    models: [],
    monthlyBudgetUsd: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

describe('LiteLLM export', () => {
  it("turns the README's example into LiteLLM's documented config.yaml keys", () => {
    const exported = exportOf(readmeExampleConfig());
    expect(Object.keys(exported)).toEqual(['model_list', 'router_settings']);
    for (const deployment of exported.model_list) {
      expect(Object.keys(deployment)).toEqual(['model_name', 'litellm_params']);
      expect(deployment.litellm_params['model']).toMatch(/^[a-z_]+\/.+/);
      expect(deployment.litellm_params['api_key']).toMatch(/^os\.environ\/SWITCHBOARD_KEY_[A-Z0-9_]+$/);
    }
    const groups = (name: string) =>
      exported.model_list.filter((deployment) => deployment.model_name === name).map((deployment) => deployment.litellm_params);

    // route/resilient: OpenAI first, then Claude, with one same-provider retry.
    expect(groups('route/resilient')).toEqual([{ model: 'openai/gpt-4o', api_key: 'os.environ/SWITCHBOARD_KEY_OPENAI' }]);
    expect(groups('route/resilient#2')).toEqual([{ model: 'anthropic/claude-sonnet-4-6', api_key: 'os.environ/SWITCHBOARD_KEY_CLAUDE' }]);
    expect(exported.router_settings.fallbacks).toContainEqual({ 'route/resilient': ['route/resilient#2'] });
    expect(exported.router_settings.num_retries).toBe(1);

    // agent/builder: its rule (Claude), then the default rule's OpenAI (which is also Primary, so once).
    expect(groups('agent/builder')).toEqual([{ model: 'anthropic/claude-sonnet-4-6', api_key: 'os.environ/SWITCHBOARD_KEY_CLAUDE' }]);
    expect(groups('agent/builder#2')).toEqual([{ model: 'openai/gpt-4o-mini', api_key: 'os.environ/SWITCHBOARD_KEY_OPENAI' }]);
    expect(exported.router_settings.fallbacks).toContainEqual({ 'agent/builder': ['agent/builder#2'] });
    // An agent with no rule of its own follows the default rule alone.
    expect(groups('agent/planner')).toEqual([{ model: 'openai/gpt-4o-mini', api_key: 'os.environ/SWITCHBOARD_KEY_OPENAI' }]);
    expect(exported.router_settings.fallbacks.some((fallback) => 'agent/planner' in fallback)).toBe(false);

    // Health: red after 3 failures in a row, first cool-down 15 s.
    expect(exported.router_settings).toMatchObject({ allowed_fails: 2, cooldown_time: 15 });
    // Every fallback names a group that exists.
    const names = new Set(exported.model_list.map((deployment) => deployment.model_name));
    for (const fallback of exported.router_settings.fallbacks) {
      for (const [from, to] of Object.entries(fallback)) expect([from, ...to].every((name) => names.has(name))).toBe(true);
    }
  });

  it('keeps tier order, max tokens set on an entry, a route’s own retries, and names the empty tiers it left out', () => {
    const yaml = litellmConfigYaml(
      settingsFromConfig({
        connections: [
          { id: 'openai', kind: 'openai' },
          { id: 'lab-box', kind: 'custom', baseUrl: 'http://10.0.0.5:8000/v1', defaultModel: 'qwen' },
          { id: 'off', kind: 'openai', enabled: false },
        ],
        routing: {
          tiers: [
            {
              id: 'standard',
              name: 'Standard',
              rank: 0,
              entries: [
                { connectionId: 'openai', model: 'gpt-4o', priority: 5, maxOutputTokens: 2048 },
                { connectionId: 'lab-box', model: 'qwen', priority: 1 },
              ],
            },
            { id: 'premium', name: 'Premium', rank: 1, entries: [{ connectionId: 'off', model: 'gpt-4o', priority: 0 }] },
          ],
          routes: [{ id: 'stubborn', name: 'Stubborn', sameProviderRetries: 3, targets: [{ connectionId: 'openai', model: 'gpt-4o' }] }],
        },
      }).settings,
    );
    const exported = parse(yaml) as Exported;
    const params = (name: string) => exported.model_list.find((deployment) => deployment.model_name === name)?.litellm_params;
    expect(params('tier/standard')).toEqual({
      model: 'openai/qwen',
      api_base: 'http://10.0.0.5:8000/v1',
      api_key: 'os.environ/SWITCHBOARD_KEY_LAB_BOX',
    });
    expect(params('tier/standard#2')).toEqual({ model: 'openai/gpt-4o', api_key: 'os.environ/SWITCHBOARD_KEY_OPENAI', max_tokens: 2048 });
    expect(params('route/stubborn')).toMatchObject({ num_retries: 3 });
    expect(params('tier/premium')).toBeUndefined();
    expect(yaml).toContain('# Left out: tier/premium: no enabled connection to send it to');
    expect(yaml).not.toMatch(/sk-|Bearer/);
  });

  it('gives a local-only agent only local connections', () => {
    const exported = exportOf({
      connections: [
        { id: 'openai', kind: 'openai' },
        { id: 'ollama', kind: 'ollama', defaultModel: 'llama3.2' },
      ],
      primaryConnectionId: 'openai',
      routing: { rules: [{ context: 'default', connectionId: 'ollama', priority: 0 }] },
      agents: [{ name: 'private', description: 'Stays here', systemPrompt: 'x', localOnly: true }],
    });
    const group = exported.model_list.filter((deployment) => deployment.model_name.startsWith('agent/private'));
    expect(group.map((deployment) => deployment.litellm_params)).toEqual([
      { model: 'ollama/llama3.2', api_base: 'http://127.0.0.1:11434' },
    ]);
  });

  it.each<[ProviderKind, string, Partial<Connection>, string]>([
    ['anthropic', 'claude-sonnet-4-6', {}, 'anthropic/claude-sonnet-4-6'],
    ['openai', 'gpt-4o', {}, 'openai/gpt-4o'],
    ['gemini', 'gemini-2.5-flash', {}, 'gemini/gemini-2.5-flash'],
    ['deepseek', 'deepseek-chat', {}, 'deepseek/deepseek-chat'],
    ['ollama', 'llama3.2', {}, 'ollama/llama3.2'],
    ['openrouter', 'openai/gpt-4o', {}, 'openrouter/openai/gpt-4o'],
    ['groq', 'llama-3.3-70b-versatile', {}, 'groq/llama-3.3-70b-versatile'],
    ['mistral', 'mistral-large-latest', {}, 'mistral/mistral-large-latest'],
    ['xai', 'grok-4', {}, 'xai/grok-4'],
    ['perplexity', 'sonar', {}, 'perplexity/sonar'],
    ['together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', {}, 'together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo'],
    ['lmstudio', 'qwen2.5-7b', {}, 'openai/qwen2.5-7b'],
    ['custom', 'my-model', {}, 'openai/my-model'],
    [
      'azure-openai',
      'gpt-4o',
      { azure: { apiVersion: '2024-10-21', deployments: [{ alias: 'gpt-4o', deployment: 'prod-4o' }] } },
      'azure/prod-4o',
    ],
  ])('names a %s model %s as %s', (kind, model, extra, expected) => {
    expect(litellmModel(connection(kind, extra), model)).toBe(expected);
  });

  it('gives api_base where LiteLLM cannot know it and api_version for Azure, never a key', () => {
    const azure = connection('azure-openai', {
      id: 'azure-eu',
      baseUrl: 'https://eu.openai.azure.com',
      azure: { apiVersion: '2024-10-21', deployments: [] },
    });
    expect(litellmParams(azure, 'gpt-4o', null)).toEqual({
      model: 'azure/gpt-4o',
      api_base: 'https://eu.openai.azure.com',
      api_version: '2024-10-21',
      api_key: 'os.environ/SWITCHBOARD_KEY_AZURE_EU',
    });
    expect(litellmParams(connection('openai', { baseUrl: 'https://api.openai.com/v1' }), 'gpt-4o', 100)).toEqual({
      model: 'openai/gpt-4o',
      api_key: 'os.environ/SWITCHBOARD_KEY_MY_OPENAI',
      max_tokens: 100,
    });
    expect(litellmParams(connection('openai', { baseUrl: 'https://proxy.example/v1' }), 'gpt-4o', null)['api_base']).toBe(
      'https://proxy.example/v1',
    );
    expect(fallbackGroupName('route/x', 2)).toBe('route/x#2');
  });
});
