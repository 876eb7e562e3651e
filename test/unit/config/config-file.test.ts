import { describe, expect, it } from 'vitest';
import { appError, AppErrorException } from '../../../src-shared/errors/app-error';
import { HeadlessConfigError, headlessConfigJsonSchema, settingsFromConfig } from '../../../src-main/config/config-file';
import { createHeadlessProviderKeys, keyVariableName } from '../../../src-main/gateway/headless-secrets';
import { keychainProviderKeys } from '../../../src-main/secrets/provider-keys';
import { MemorySecretStore } from '../../../src-main/secrets/memory-secret-store';
import type { SecretStore } from '../../../src-main/secrets/secret-store';

function problems(config: unknown): string[] {
  try {
    settingsFromConfig(config);
  } catch (error) {
    if (error instanceof HeadlessConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('settingsFromConfig', () => {
  it('fills in what the app would: Primary, base URLs, catalog facts, the default tiers and rule ids', () => {
    const { settings, allowedOrigins } = settingsFromConfig({
      connections: [
        { id: 'openai-main', kind: 'openai', models: ['gpt-4o-mini'] },
        { id: 'local', kind: 'ollama', defaultModel: 'llama3.2:3b', baseUrl: 'http://127.0.0.1:11434/' },
      ],
      routing: { rules: [{ context: 'default', connectionId: 'local', priority: 1 }] },
    });
    expect(settings.primaryConnectionId).toBe('openai-main');
    const [openai, local] = settings.connections;
    expect(openai).toMatchObject({ name: 'openai-main', baseUrl: 'https://api.openai.com/v1', defaultModel: 'gpt-4o-mini', enabled: true });
    expect(openai?.models.map((facts) => facts.id)).toEqual(['gpt-4o-mini']);
    expect(openai?.models[0]?.capabilities.vision).toBe(true);
    expect(local?.baseUrl).toBe('http://127.0.0.1:11434');
    expect(settings.routing.tiers.map((tier) => tier.id)).toEqual(['standard', 'premium', 'enterprise']);
    expect(settings.routing.rules[0]?.id).toBe('rule-1');
    expect(allowedOrigins).toEqual([]);
  });

  it('keeps full model facts given in the file', () => {
    const { settings } = settingsFromConfig({
      connections: [
        {
          id: 'lab',
          kind: 'custom',
          baseUrl: 'http://10.0.0.5:8000/v1',
          defaultModel: 'qwen',
          models: [{ id: 'qwen', capabilities: { vision: true }, contextWindow: 32000 }],
        },
      ],
    });
    expect(settings.connections[0]?.models).toEqual([
      expect.objectContaining({ id: 'qwen', contextWindow: 32000, capabilities: expect.objectContaining({ vision: true }) }),
    ]);
  });

  it('carries each connection’s rate limits', () => {
    const { settings } = settingsFromConfig({
      connections: [{ id: 'openai-main', kind: 'openai', rateLimits: { requestsPerMinute: 60, concurrentCalls: 2 } }],
    });
    expect(settings.connections[0]?.rateLimits).toEqual({ requestsPerMinute: 60, tokensPerMinute: null, concurrentCalls: 2 });
    expect(problems({ connections: [{ id: 'a', kind: 'openai', rateLimits: { requestsPerMinute: 0 } }] })).toEqual([
      'connections[0].rateLimits.requestsPerMinute: The requests per minute must be at least 1; leave it empty for no limit',
    ]);
    expect(problems({ connections: [{ id: 'a', kind: 'openai', rateLimits: { tokensPerMinute: 1.5 } }] })).toEqual([
      'connections[0].rateLimits.tokensPerMinute: Enter the tokens per minute as a whole number, or leave it empty for no limit',
    ]);
  });

  it.each([
    ['no connections', { connections: [] }, 'connections: Add at least one connection'],
    [
      'a typo in a key',
      { connections: [{ id: 'a', kind: 'openai' }], primaryConnection: 'a' },
      '(the file): unknown field "primaryConnection"',
    ],
    ['a bad kind', { connections: [{ id: 'a', kind: 'open-ai' }] }, 'connections[0].kind: Invalid option'],
    ['an id with capitals', { connections: [{ id: 'OpenAI', kind: 'openai' }] }, 'connections[0].id: Use lowercase letters'],
    ['a missing kind', { connections: [{ id: 'a' }] }, 'connections[0].kind: missing. Add it'],
    [
      'a duplicated id',
      {
        connections: [
          { id: 'a', kind: 'openai' },
          { id: 'a', kind: 'groq' },
        ],
      },
      'connections[1].id: "a" is used twice',
    ],
    [
      'Azure without deployments',
      { connections: [{ id: 'az', kind: 'azure-openai', baseUrl: 'https://x.openai.azure.com' }] },
      'connections[0].azure: Azure needs',
    ],
    ['a local server without a model', { connections: [{ id: 'lm', kind: 'lmstudio' }] }, 'connections[0].defaultModel: missing'],
    [
      'a Primary that does not exist',
      { connections: [{ id: 'a', kind: 'openai' }], primaryConnectionId: 'b' },
      'primaryConnectionId: there is no connection "b"',
    ],
    [
      'a rule for an unknown agent',
      { connections: [{ id: 'a', kind: 'openai' }], routing: { rules: [{ context: 'agent:bilder', connectionId: 'a', priority: 0 }] } },
      'routing.rules[0].context: there is no agent "bilder"',
    ],
    [
      'a tier entry on an unknown connection',
      {
        connections: [{ id: 'a', kind: 'openai' }],
        routing: { tiers: [{ id: 't', name: 'T', rank: 0, entries: [{ connectionId: 'b', model: 'm', priority: 0 }] }] },
      },
      'routing.tiers[0].entries[0].connectionId: there is no connection "b"',
    ],
    [
      'a route without targets',
      { connections: [{ id: 'a', kind: 'openai' }], routing: { routes: [{ id: 'r', name: 'R', targets: [] }] } },
      'routing.routes[0].targets: A route needs at least one target',
    ],
  ])('refuses %s, naming the field', (_name, config, expected) => {
    expect(problems(config).join('\n')).toContain(expected);
  });

  it('publishes a JSON Schema that editors can use', () => {
    const schema = headlessConfigJsonSchema() as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(['connections']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual([
      '$schema',
      'formatVersion',
      'connections',
      'primaryConnectionId',
      'routing',
      'agents',
      'gateway',
    ]);
  });
});

describe('headless keys', () => {
  it('names the variable after the connection id', () => {
    expect(keyVariableName('openai-main')).toBe('SWITCHBOARD_KEY_OPENAI_MAIN');
    expect(keyVariableName('my.lab_2')).toBe('SWITCHBOARD_KEY_MY_LAB_2');
  });

  const claude = { id: 'claude', kind: 'anthropic', baseUrl: 'https://api.anthropic.com' } as const;

  it('prefers the variable, then asks the keychain once per connection', async () => {
    const keychain = new MemorySecretStore();
    await keychainProviderKeys(keychain).write(claude, 'sk-ant-from-keychain');
    let reads = 0;
    const counting: SecretStore = {
      ...keychain,
      get: (account) => ((reads += 1), keychain.get(account)),
      has: (account) => keychain.has(account),
      set: (a, s) => keychain.set(a, s),
      delete: (a) => keychain.delete(a),
    };
    const store = createHeadlessProviderKeys({ environment: { SWITCHBOARD_KEY_OPENAI: ' sk-env ' }, keychain: counting });
    expect(await store.read({ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' })).toEqual({
      status: 'found',
      key: 'sk-env',
    });
    expect(await store.read(claude)).toEqual({ status: 'found', key: 'sk-ant-from-keychain' });
    expect(await store.read(claude)).toEqual({ status: 'found', key: 'sk-ant-from-keychain' });
    expect(await store.read({ id: 'nobody', kind: 'openai', baseUrl: 'https://api.openai.com/v1' })).toEqual({ status: 'none' });
    expect(reads).toBe(2);
    await expect(store.write(claude, 'x')).rejects.toThrow('SWITCHBOARD_KEY_CLAUDE');
  });

  // Item 1 (headless): a config file whose connection id matches an app connection cannot send that key elsewhere.
  it('never hands out a keychain key for another origin or kind than it was saved for', async () => {
    const keychain = new MemorySecretStore();
    await keychainProviderKeys(keychain).write(claude, 'sk-ant-from-keychain');
    const store = createHeadlessProviderKeys({ environment: {}, keychain });
    expect(await store.read({ ...claude, baseUrl: 'https://attacker.example' })).toEqual({
      status: 'other-origin',
      savedFor: 'https://api.anthropic.com (anthropic)',
    });
    expect(await store.read({ ...claude, baseUrl: 'http://api.anthropic.com' })).toMatchObject({ status: 'other-origin' });
    expect(await store.read({ ...claude, baseUrl: 'https://api.anthropic.com:8443' })).toMatchObject({ status: 'other-origin' });
    expect(await store.read({ ...claude, kind: 'custom' })).toMatchObject({ status: 'other-origin' });
    // Same origin, other path: still the same recipient.
    expect(await store.read({ ...claude, baseUrl: 'https://API.anthropic.com/v1/' })).toEqual({
      status: 'found',
      key: 'sk-ant-from-keychain',
    });
    // A bare legacy entry under the connection id is never used.
    await keychain.set('legacy', 'sk-legacy');
    expect(await store.read({ id: 'legacy', kind: 'openai', baseUrl: 'https://api.openai.com' })).toEqual({ status: 'none' });
  });

  it('goes on with variables alone when the keychain cannot be used, and says so once', async () => {
    const notices: string[] = [];
    const broken: SecretStore = {
      get: async () => {
        throw new AppErrorException(appError('keychain_unavailable', 'No Secret Service.'));
      },
      has: async () => false,
      set: async () => undefined,
      delete: async () => false,
    };
    const store = createHeadlessProviderKeys({
      environment: { SWITCHBOARD_KEY_A: 'sk-a' },
      keychain: broken,
      onKeychainUnavailable: (message) => notices.push(message),
    });
    const owner = (id: string) => ({ id, kind: 'openai', baseUrl: 'https://api.openai.com' }) as const;
    expect(await store.read(owner('b'))).toEqual({ status: 'none' });
    expect(await store.read(owner('c'))).toEqual({ status: 'none' });
    expect(await store.read(owner('a'))).toEqual({ status: 'found', key: 'sk-a' });
    expect(notices).toEqual(['No Secret Service.']);
  });
});
