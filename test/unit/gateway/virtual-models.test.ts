import { describe, expect, it } from 'vitest';
import { settingsFromConfig } from '../../../src-main/config/config-file';
import { listVirtualModels, primaryModelChoice, resolveVirtualModel } from '../../../src-main/gateway/virtual-models';

const { settings } = settingsFromConfig({
  connections: [
    { id: 'openrouter', kind: 'openrouter', defaultModel: 'openai/gpt-4o-mini', models: ['anthropic/claude-sonnet-4-5'] },
    { id: 'claude', kind: 'anthropic', defaultModel: 'claude-sonnet-4-6' },
    { id: 'off', kind: 'openai', defaultModel: 'gpt-4o', enabled: false },
  ],
  primaryConnectionId: 'claude',
  routing: {
    tiers: [
      { id: 'cheap', name: 'Cheap chat', rank: 0, entries: [{ connectionId: 'openrouter', model: 'openai/gpt-4o-mini', priority: 0 }] },
    ],
    routes: [{ id: 'safe', name: 'Safe', targets: [{ connectionId: 'claude', model: 'claude-sonnet-4-6' }] }],
  },
  agents: [{ name: 'translator', description: 'Translates.' }],
});

describe('virtual models', () => {
  it('lists Primary, every agent, tier and route, and the models of enabled connections', () => {
    expect(listVirtualModels(settings)).toEqual([
      'switchboard/primary',
      'agent/builder',
      'agent/planner',
      'agent/research',
      'agent/vision_agent',
      'agent/translator',
      'tier/cheap',
      'route/safe',
      'openrouter/openai/gpt-4o-mini',
      'openrouter/anthropic/claude-sonnet-4-5',
      'claude/claude-sonnet-4-6',
    ]);
  });

  it.each([
    ['switchboard/primary', { route: { kind: 'chat' } }],
    ['agent/translator', { route: { kind: 'gateway', agent: 'translator' } }],
    ['tier/cheap', { route: { kind: 'gateway', tier: 'cheap' } }],
    ['tier/Cheap chat', { route: { kind: 'gateway', tier: 'cheap' } }],
    ['route/safe', { route: { kind: 'gateway', route: 'safe' } }],
    // Models may contain slashes, and need not be listed yet.
    [
      'openrouter/meta-llama/llama-3.3-70b',
      { route: { kind: 'gateway', override: { connectionId: 'openrouter', model: 'meta-llama/llama-3.3-70b' } } },
    ],
    ['off/gpt-4o', { route: { kind: 'gateway', override: { connectionId: 'off', model: 'gpt-4o' } } }],
  ])('resolves %s', (id, expected) => {
    expect(resolveVirtualModel(id, settings)).toMatchObject(expected);
  });

  it.each(['gpt-4o', 'agent/nobody', 'tier/premium-plus', 'route/none', 'switchboard/other', 'unknown/gpt-4o', 'claude/', '/x'])(
    'does not resolve %s',
    (id) => {
      expect(resolveVirtualModel(id, settings)).toBeNull();
    },
  );

  it('picks the Claude model like chat does when Primary is Anthropic', () => {
    expect(primaryModelChoice(settings, [{ role: 'user', content: 'hi' }])).toMatchObject({ model: 'claude-haiku-4-5' });
    const hard = 'Design the architecture, analyze the trade-offs and prove the algorithm step by step. '.repeat(20);
    // Opus is kept for tasks: the gateway's Primary model is chat.
    expect(primaryModelChoice(settings, [{ role: 'user', content: hard }])).toMatchObject({ model: 'claude-sonnet-4-6' });
    expect(primaryModelChoice({ ...settings, primaryConnectionId: 'openrouter' }, [{ role: 'user', content: 'hi' }])).toBeUndefined();
  });
});
