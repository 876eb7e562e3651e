import { describe, expect, it } from 'vitest';
import type { LintFinding } from '../../../src-shared/schemas/config-lint';
import type { Settings } from '../../../src-shared/schemas/settings';
import { formatFindings, lintConfig } from '../../../src-main/config/config-lint';
import { fixtureSettings } from '../../helpers/config-fixture';

/** The fixture with its deliberate problems taken out: two providers everywhere, nothing dangling. */
function cleanSettings(): Settings {
  const settings = fixtureSettings();
  return {
    ...settings,
    connections: settings.connections.map((connection) => ({ ...connection, monthlyBudgetUsd: null })),
    routing: {
      ...settings.routing,
      tiers: settings.routing.tiers.map((tier) =>
        tier.entries.length === 1
          ? {
              ...tier,
              entries: [
                ...tier.entries,
                { connectionId: 'deepseek', model: 'deepseek-chat', priority: 1, maxInputTokens: null, maxOutputTokens: null },
              ],
            }
          : tier,
      ),
      routes: settings.routing.routes.map((route) =>
        route.targets.length === 1
          ? { ...route, targets: [...route.targets, { connectionId: 'openai-main', model: 'gpt-4o-mini' }] }
          : route,
      ),
    },
  };
}

const codes = (findings: LintFinding[]) => findings.map((finding) => `${finding.code} ${finding.target.kind}:${finding.target.id}`);

describe('lintConfig', () => {
  it('finds nothing in a clean configuration', () => {
    expect(lintConfig(cleanSettings())).toEqual([]);
  });

  it.each<[string, (settings: Settings) => Settings, string]>([
    [
      'a route whose every target is on one provider',
      (settings) => ({
        ...settings,
        routing: {
          ...settings.routing,
          routes: [
            {
              ...settings.routing.routes[0]!,
              targets: [
                { connectionId: 'claude', model: 'claude-haiku-4-5' },
                { connectionId: 'claude', model: 'claude-sonnet-4-5' },
              ],
            },
          ],
        },
      }),
      'single-provider-chain route:resilient',
    ],
    [
      'an agent whose rules, the default rules and the Primary are all on one provider',
      (settings) => ({
        ...settings,
        primaryConnectionId: 'claude',
        routing: { ...settings.routing, rules: [{ id: 'only', context: 'agent:builder', connectionId: 'claude', priority: 0 }] },
      }),
      'single-provider-chain agent:builder',
    ],
    [
      'a tier whose every entry is on one provider',
      (settings) => ({
        ...settings,
        routing: {
          ...settings.routing,
          tiers: settings.routing.tiers.map((tier) =>
            tier.id === 'premium' ? { ...tier, entries: tier.entries.filter((entry) => entry.connectionId === 'claude') } : tier,
          ),
        },
      }),
      'single-provider-chain tier:premium',
    ],
    [
      'an agent with a cost ceiling of zero',
      (settings) => ({
        ...settings,
        agents: [...settings.agents, { ...settings.agents[0]!, name: 'frugal', localOnly: false, costCeilingUsd: 0 }],
      }),
      'zero-budget agent:frugal',
    ],
    [
      'a rule pointing at a connection that is gone',
      (settings) => ({
        ...settings,
        routing: {
          ...settings.routing,
          rules: [...settings.routing.rules, { id: 'gone', context: 'default', connectionId: 'mistral', priority: 9 }],
        },
      }),
      'missing-connection rule:gone',
    ],
    [
      'a tier entry on a disabled connection',
      (settings) => ({ ...settings, connections: settings.connections.map((c) => (c.id === 'deepseek' ? { ...c, enabled: false } : c)) }),
      'disabled-connection tier:standard',
    ],
    [
      'a rule shadowed by an earlier one with the same backend',
      (settings) => ({
        ...settings,
        routing: {
          ...settings.routing,
          rules: [...settings.routing.rules, { id: 'again', context: 'agent:builder', connectionId: 'claude', priority: 7 }],
        },
      }),
      'shadowed-rule rule:again',
    ],
    [
      'an agent needing a capability no model has',
      (settings) => ({
        ...settings,
        agents: [
          ...settings.agents,
          { ...settings.agents[0]!, name: 'thinker', localOnly: false, costCeilingUsd: null, requiredCapabilities: ['reasoning'] },
        ],
        connections: settings.connections.map((c) => ({
          ...c,
          models: c.models.map((m) => ({ ...m, capabilities: { ...m.capabilities, reasoning: false } })),
        })),
      }),
      'capability-unavailable agent:thinker',
    ],
    [
      'a local-only agent with no local connection',
      (settings) => ({ ...settings, connections: settings.connections.map((c) => (c.id === 'local' ? { ...c, local: false } : c)) }),
      'local-only-without-local agent:private',
    ],
    [
      'a monthly budget of zero',
      (settings) => ({
        ...settings,
        connections: settings.connections.map((c) => (c.id === 'deepseek' ? { ...c, monthlyBudgetUsd: 0 } : c)),
      }),
      'zero-budget connection:deepseek',
    ],
    [
      'an empty tier an agent is steered to',
      (settings) => ({
        ...settings,
        routing: {
          ...settings.routing,
          tiers: settings.routing.tiers.map((tier) => (tier.id === 'vision' ? { ...tier, entries: [] } : tier)),
        },
      }),
      'empty-tier tier:vision',
    ],
  ])('finds %s, and says what will happen and how to fix it', (_name, spoil, expected) => {
    const findings = lintConfig(spoil(cleanSettings()));
    expect(codes(findings)).toContain(expected);
    const finding = findings.find((item) => `${item.code} ${item.target.kind}:${item.target.id}` === expected)!;
    expect(finding.happens.length).toBeGreaterThan(20);
    expect(finding.fix.length).toBeGreaterThan(10);
    expect(formatFindings(findings)).toContain(finding.title);
  });

  it('names the tier entry or route target a reference finding is about, for the badge on that row', () => {
    const settings = cleanSettings();
    const spoiled = {
      ...settings,
      connections: settings.connections.map((c) => (c.id === 'deepseek' ? { ...c, enabled: false } : c)),
      routing: {
        ...settings.routing,
        routes: settings.routing.routes.map((route) =>
          route.id === 'offline' ? { ...route, targets: [...route.targets, { connectionId: 'gone', model: 'x' }] } : route,
        ),
      },
    };
    const targets = lintConfig(spoiled)
      .filter((finding) => finding.code === 'missing-connection' || finding.code === 'disabled-connection')
      .map((finding) => finding.target);
    expect(targets).toEqual(
      expect.arrayContaining([
        { kind: 'tier', id: 'standard', entry: 0 },
        { kind: 'route', id: 'offline', entry: 2 },
      ]),
    );
  });

  it('does not nag a user with one provider about single-provider chains', () => {
    const settings = cleanSettings();
    const one = {
      ...settings,
      connections: settings.connections.filter((connection) => connection.id === 'claude'),
      primaryConnectionId: 'claude',
      routing: {
        ...settings.routing,
        rules: [{ id: 'b', context: 'agent:builder', connectionId: 'claude', priority: 0 }],
        tiers: [],
        routes: [],
      },
      agents: [],
    };
    expect(codes(lintConfig(one))).toEqual([]);
  });
});
