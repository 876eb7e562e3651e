import { describe, expect, it } from 'vitest';
import type { Capability, Connection } from '../../../src-shared/schemas/connection';
import type { ConnectionHealth } from '../../../src-shared/schemas/health';
import type { RouteRequest } from '../../../src-shared/schemas/route-plan';
import type { RoutingConfig } from '../../../src-shared/schemas/routing';
import { prepareRouting, type PreparedRouting } from '../../../src-main/engine/prepare-routing';
import { selectCandidates, chatFallbackCandidates } from '../../../src-main/engine/select-candidates';
import { config, connection, facts, health, input, request, rule, tier } from './helpers/fixtures';

// A deterministic generator, so a failure names a seed that reproduces it.
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

function scenario(seed: number) {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const maybe = (): boolean | null => (random() < 0.2 ? null : random() < 0.6);
  const connections: Connection[] = Array.from({ length: 12 }, (_, index) => {
    const models = Array.from({ length: 3 }, (__, modelIndex) =>
      facts(
        `m${index}-${modelIndex}`,
        { vision: maybe(), structuredOutput: maybe(), tools: maybe() },
        {
          contextWindow: pick([null, 4_000, 32_000, 200_000]),
          inputPricePerMillion: pick([null, 0, 3]),
          outputPricePerMillion: pick([null, 0, 15]),
        },
      ),
    );
    return connection(`c${index}`, {
      defaultModel: models[0]!.id,
      models,
      enabled: random() > 0.1,
      baseUrl: random() < 0.3 ? `http://192.168.0.${index}:11434` : `https://api${index}.example.com`,
      monthlyBudgetUsd: random() < 0.2 ? 10 : null,
    });
  });
  const contexts = ['default', 'agent:builder', 'agent:planner', 'agent:research', 'agent:vision_agent'];
  const ids = [...connections.map((item) => item.id), 'gone'];
  const rules = Array.from({ length: 40 }, (_, index) => {
    const target = pick(ids);
    return rule(
      `r${index}`,
      pick(contexts),
      target,
      Math.floor(random() * 4),
      random() < 0.5 ? `m${target.slice(1)}-${Math.floor(random() * 3)}` : undefined,
    );
  });
  const tiers = Array.from({ length: 4 }, (_, index) =>
    tier(
      `t${index}`,
      index,
      Array.from({ length: 4 }, () => {
        const target = pick(ids);
        return [target, `m${target.slice(1)}-${Math.floor(random() * 3)}`, Math.floor(random() * 3)] as [string, string, number];
      }),
      { preferredFor: index === 2 ? 'vision' : null },
    ),
  );
  const routing: RoutingConfig = config({
    rules,
    tiers,
    routes: [
      {
        id: 'main',
        name: 'Main',
        description: '',
        version: 1,
        sameProviderRetries: 1,
        targets: [{ connectionId: pick(ids), model: 'm1-1' }],
      },
    ],
    defaultSameProviderRetries: 1,
  });
  const healthSnapshot: Record<string, ConnectionHealth> = {};
  for (const item of connections) if (random() < 0.25) healthSnapshot[item.id] = health(item.id, 'red');
  const needs: Capability[][] = [[], ['vision'], ['structuredOutput'], ['tools', 'vision']];
  const requests: RouteRequest[] = Array.from({ length: 40 }, () => {
    const kind = pick(['task', 'task', 'gateway', 'chat'] as const);
    const shape = random();
    return request({
      kind,
      needs: pick(needs),
      estimatedInputTokens: Math.floor(random() * 40_000),
      localOnly: random() < 0.3,
      ...(shape < 0.6 ? { agent: pick(['builder', 'planner', 'research', 'vision_agent', 'other']) } : {}),
      ...(shape >= 0.6 && shape < 0.7 ? { tier: pick(['t1', 'T2', 'missing']) } : {}),
      ...(shape >= 0.7 && shape < 0.75 ? { route: pick(['main', 'missing']) } : {}),
      ...(shape >= 0.75 && shape < 0.8 ? { override: { connectionId: pick(ids), model: 'm2-0' } } : {}),
      ...(random() < 0.1 ? { simulateDown: [pick(ids)] } : {}),
    });
  });
  return { connections, routing, health: healthSnapshot, requests, primary: pick(connections).id };
}

describe('prepared routing decides exactly like the raw config', () => {
  it.each(Array.from({ length: 25 }, (_, index) => index + 1))('seed %i', (seed) => {
    const world = scenario(seed);
    const plain = prepareRouting(world.routing);
    const withConnections = prepareRouting(world.routing, world.connections);
    for (const req of world.requests) {
      const base = { connections: world.connections, primaryConnectionId: world.primary, health: world.health, request: req };
      const expected = selectCandidates(input({ ...base, routing: world.routing }));
      expect(selectCandidates(input({ ...base, routing: plain }))).toEqual(expected);
      expect(selectCandidates(input({ ...base, routing: withConnections }))).toEqual(expected);
      expect(chatFallbackCandidates(input({ ...base, routing: withConnections }))).toEqual(
        chatFallbackCandidates(input({ ...base, routing: world.routing })),
      );
    }
  });

  it.each(Array.from({ length: 15 }, (_, index) => index + 1))(
    'seed %i: a rule to a target an earlier rule named decides nothing',
    (seed) => {
      const world = scenario(seed);
      // Every rule again (and a third time for a third of them), later in each context's order.
      const { rules } = world.routing;
      const repeated = [
        ...rules,
        ...rules.map((item, index) => ({ ...item, id: `again-${index}`, priority: item.priority + 1 })),
        ...rules.filter((_, index) => index % 3 === 0).map((item, index) => ({ ...item, id: `third-${index}` })),
      ];
      const routing = { ...world.routing, rules: repeated };
      // The decision as it was made before: every rule of the context considered in turn.
      const everyRule = (prepared: PreparedRouting): PreparedRouting => ({
        ...prepared,
        ruleProposalsFor: (context) => prepared.rulesFor(context).map((item) => item.proposal),
      });
      for (const prepared of [prepareRouting(routing), prepareRouting(routing, world.connections)]) {
        expect(prepared.ruleProposalsFor('default').length).toBeLessThan(prepared.rulesFor('default').length);
        for (const req of world.requests) {
          const base = { connections: world.connections, primaryConnectionId: world.primary, health: world.health, request: req };
          expect(selectCandidates(input({ ...base, routing: prepared }))).toEqual(
            selectCandidates(input({ ...base, routing: everyRule(prepared) })),
          );
          expect(chatFallbackCandidates(input({ ...base, routing: prepared }))).toEqual(
            chatFallbackCandidates(input({ ...base, routing: everyRule(prepared) })),
          );
        }
      }
    },
  );

  it('ignores its connection index when handed a different connections array (never reads stale)', () => {
    const alpha = connection('alpha');
    const beta = connection('beta');
    const routing = config({ rules: [rule('a', 'default', 'alpha', 0), rule('b', 'default', 'beta', 1)] });
    const prepared = prepareRouting(routing, [alpha, beta]);
    const plan = selectCandidates(input({ connections: [beta], primaryConnectionId: 'beta', routing: prepared, request: request() }));
    expect(plan.skipped).toEqual([expect.objectContaining({ connectionId: 'alpha', reason: 'disconnected' })]);
    expect(plan.candidates.map((item) => item.connectionId)).toEqual(['beta']);
  });
});
