import { describe, expect, it } from 'vitest';
import { routePlanSchema, type RoutePlan } from '../../../src-shared/schemas/route-plan';
import { prepareRouting } from '../../../src-main/engine/prepare-routing';
import { selectCandidates } from '../../../src-main/engine/select-candidates';
import { config, connection, facts, health, input, request, rule, tier } from './helpers/fixtures';

const pairs = (plan: RoutePlan): string[] => plan.candidates.map((candidate) => `${candidate.connectionId}/${candidate.model}`);
const first = (plan: RoutePlan) => plan.candidates[0];

// The product docs' common configuration: DeepSeek Primary, Claude for builder and planner.
const deepseek = connection('deepseek', {
  kind: 'deepseek',
  name: 'DeepSeek',
  defaultModel: 'deepseek-chat',
  models: [facts('deepseek-chat')],
});
const claude = connection('claude', {
  kind: 'anthropic',
  name: 'Claude',
  defaultModel: 'claude-sonnet-4-5',
  models: [facts('claude-sonnet-4-5', { vision: true, structuredOutput: true })],
});
const docsRouting = config({
  rules: [rule('r1', 'agent:builder', 'claude', 0), rule('r2', 'agent:planner', 'claude', 0), rule('r3', 'default', 'deepseek', 0)],
});
const docsInput = (overrides: Parameters<typeof input>[0] = {}) =>
  input({ connections: [deepseek, claude], primaryConnectionId: 'deepseek', routing: docsRouting, ...overrides });

describe('selectCandidates: the product docs configuration', () => {
  it.each([
    {
      name: 'chat goes to DeepSeek (Primary), whatever the rules say',
      req: request({ kind: 'chat' }),
      expected: 'deepseek',
      source: 'primary',
    },
    { name: 'a builder task runs on Claude', req: request({ agent: 'builder' }), expected: 'claude', source: 'agent-rule' },
    { name: 'a planner task runs on Claude', req: request({ agent: 'planner' }), expected: 'claude', source: 'agent-rule' },
    {
      name: 'a research task runs on DeepSeek via the default rule',
      req: request({ agent: 'research' }),
      expected: 'deepseek',
      source: 'default-rule',
    },
    { name: 'a task with no agent uses the default rule', req: request(), expected: 'deepseek', source: 'default-rule' },
  ])('$name', ({ req, expected, source }) => {
    const plan = selectCandidates(docsInput({ request: req }));
    expect(first(plan)?.connectionId).toBe(expected);
    expect(first(plan)?.source).toBe(source);
  });

  it('chat lists only Primary even when rules match', () => {
    const plan = selectCandidates(docsInput({ request: request({ kind: 'chat', agent: 'builder' }) }));
    expect(pairs(plan)).toEqual(['deepseek/deepseek-chat']);
  });

  it('a builder task falls to the default rule when Claude is red, and says why', () => {
    const plan = selectCandidates(
      docsInput({ request: request({ agent: 'builder' }), health: { claude: health('claude', 'red', 'Invalid API key') } }),
    );
    expect(first(plan)).toMatchObject({ connectionId: 'deepseek', source: 'default-rule', ruleId: 'r3' });
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        connectionId: 'claude',
        connectionName: 'Claude',
        source: 'agent-rule',
        ruleId: 'r1',
        reason: 'unhealthy',
      }),
    ]);
    expect(plan.skipped[0]?.message).toContain('Invalid API key');
  });

  it('Primary is a candidate after the rules, collapsed when it duplicates the default rule', () => {
    const plan = selectCandidates(docsInput({ request: request({ agent: 'builder' }) }));
    expect(pairs(plan)).toEqual(['claude/claude-sonnet-4-5', 'deepseek/deepseek-chat']);
    expect(plan.candidates[1]?.source).toBe('default-rule');
  });

  it('yellow and grey connections are still tried; only red is skipped', () => {
    const plan = selectCandidates(docsInput({ request: request({ agent: 'builder' }), health: { claude: health('claude', 'yellow') } }));
    expect(first(plan)?.connectionId).toBe('claude');
  });
});

describe('selectCandidates: task order', () => {
  const a = connection('alpha');
  const b = connection('beta');
  const c = connection('gamma');
  const primary = connection('primary');
  const base = { connections: [a, b, c, primary], primaryConnectionId: 'primary' };

  it.each([
    {
      name: 'lower priority number wins (0 beats 5)',
      rules: [rule('x', 'agent:builder', 'alpha', 5), rule('y', 'agent:builder', 'beta', 0)],
      expected: ['beta', 'alpha', 'primary'],
    },
    {
      name: 'equal priorities keep creation order',
      rules: [rule('x', 'agent:builder', 'alpha', 1), rule('y', 'agent:builder', 'beta', 1), rule('z', 'agent:builder', 'gamma', 1)],
      expected: ['alpha', 'beta', 'gamma', 'primary'],
    },
    {
      name: 'equal priorities keep creation order (reversed config)',
      rules: [rule('z', 'agent:builder', 'gamma', 1), rule('y', 'agent:builder', 'beta', 1), rule('x', 'agent:builder', 'alpha', 1)],
      expected: ['gamma', 'beta', 'alpha', 'primary'],
    },
    {
      name: 'agent rules come before default rules whatever their priorities',
      rules: [rule('d', 'default', 'alpha', 0), rule('x', 'agent:builder', 'beta', 9)],
      expected: ['beta', 'alpha', 'primary'],
    },
    {
      name: 'rules for other agents do not match',
      rules: [rule('x', 'agent:planner', 'alpha', 0), rule('d', 'default', 'beta', 3)],
      expected: ['beta', 'primary'],
    },
    { name: 'no rules: Primary', rules: [], expected: ['primary'] },
  ])('$name', ({ rules, expected }) => {
    const plan = selectCandidates(input({ ...base, routing: config({ rules }), request: request({ agent: 'builder' }) }));
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(expected);
  });

  it('no rules: Primary is the only candidate, with its default model and the reason', () => {
    const plan = selectCandidates(input({ ...base, request: request({ agent: 'research' }) }));
    expect(plan.candidates).toEqual([
      expect.objectContaining({
        connectionId: 'primary',
        model: 'primary-model',
        source: 'primary',
        reason: 'No rule for this task, so Primary',
      }),
    ]);
  });

  it('a rule with a model uses that model; without one, the connection default', () => {
    const rules = [rule('x', 'agent:builder', 'alpha', 0, 'alpha-large'), rule('y', 'agent:builder', 'beta', 1)];
    const plan = selectCandidates(input({ ...base, routing: config({ rules }), request: request({ agent: 'builder' }) }));
    expect(pairs(plan).slice(0, 2)).toEqual(['alpha/alpha-large', 'beta/beta-model']);
  });

  it('duplicates collapse, keeping the first position and its source', () => {
    const rules = [
      rule('x', 'agent:builder', 'alpha', 0),
      rule('y', 'agent:builder', 'alpha', 1, 'alpha-model'),
      rule('d1', 'default', 'beta', 0),
      rule('d2', 'default', 'alpha', 1),
      rule('d3', 'default', 'primary', 2),
    ];
    const plan = selectCandidates(input({ ...base, routing: config({ rules }), request: request({ agent: 'builder' }) }));
    expect(pairs(plan)).toEqual(['alpha/alpha-model', 'beta/beta-model', 'primary/primary-model']);
    expect(plan.candidates.map((candidate) => candidate.ruleId)).toEqual(['x', 'd1', 'd3']);
  });

  it('the same connection with two different models is not a duplicate', () => {
    const rules = [rule('x', 'agent:builder', 'alpha', 0, 'one'), rule('y', 'agent:builder', 'alpha', 1, 'two')];
    const plan = selectCandidates(input({ ...base, routing: config({ rules }), request: request({ agent: 'builder' }) }));
    expect(pairs(plan).slice(0, 2)).toEqual(['alpha/one', 'alpha/two']);
  });

  it('a disconnected backend stops matching, is shown as such, and work falls through', () => {
    const rules = [rule('x', 'agent:builder', 'removed', 0), rule('d', 'default', 'beta', 0)];
    const plan = selectCandidates(input({ ...base, routing: config({ rules }), request: request({ agent: 'builder' }) }));
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['beta', 'primary']);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ connectionId: 'removed', reason: 'disconnected', source: 'agent-rule', ruleId: 'x' }),
    ]);
    expect(plan.skipped[0]?.message).toMatch(/no longer connected/);
  });

  it('an explicit model override goes straight to that connection and model', () => {
    const rules = [rule('x', 'agent:builder', 'alpha', 0)];
    const plan = selectCandidates(
      input({
        ...base,
        routing: config({ rules }),
        request: request({ agent: 'builder', override: { connectionId: 'gamma', model: 'g-1' } }),
      }),
    );
    expect(pairs(plan)).toEqual(['gamma/g-1']);
    expect(first(plan)?.source).toBe('override');
  });

  it('a named route uses its targets in order with the route’s same-provider retries', () => {
    const route = {
      id: 'default-text',
      name: 'Default Text Route',
      description: '',
      version: 3,
      sameProviderRetries: 1,
      targets: [
        { connectionId: 'beta', model: 'b-1' },
        { connectionId: 'alpha', model: 'a-1' },
      ],
    };
    const plan = selectCandidates(
      input({
        ...base,
        routing: config({ routes: [route], rules: [rule('x', 'agent:builder', 'gamma', 0)] }),
        request: request({ agent: 'builder', route: 'default-text' }),
      }),
    );
    expect(pairs(plan)).toEqual(['beta/b-1', 'alpha/a-1']);
    expect(plan.candidates.every((candidate) => candidate.source === 'route' && candidate.sameProviderRetries === 1)).toBe(true);
    expect(first(plan)?.reason).toContain('Default Text Route');
  });

  it('a named route that no longer exists falls back to the usual rules, with a note', () => {
    const plan = selectCandidates(
      input({
        ...base,
        routing: config({ rules: [rule('x', 'agent:builder', 'gamma', 0)] }),
        request: request({ agent: 'builder', route: 'gone' }),
      }),
    );
    expect(first(plan)?.connectionId).toBe('gamma');
    expect(plan.notes[0]).toMatch(/Route "gone" does not exist/);
  });

  it('a named tier uses its entries by priority (ties in config order), found by id or by name', () => {
    const premium = tier('premium', 1, [
      ['gamma', 'gemini-pro', 3],
      ['alpha', 'claude-sonnet', 1],
      ['beta', 'gpt-4o', 2],
      ['primary', 'p-2', 2],
    ]);
    for (const key of ['premium', 'Premium']) {
      const plan = selectCandidates(input({ ...base, routing: config({ tiers: [premium] }), request: request({ tier: key }) }));
      expect(pairs(plan)).toEqual(['alpha/claude-sonnet', 'beta/gpt-4o', 'primary/p-2', 'gamma/gemini-pro']);
      expect(first(plan)).toMatchObject({ source: 'tier', tierId: 'premium' });
    }
  });

  it('tier entry limits carry through: max output tokens to the candidate, max input to the filter', () => {
    const premium = tier('premium', 1, [
      ['alpha', 'a-1', 1],
      ['beta', 'b-1', 2],
    ]);
    premium.entries[0]!.maxInputTokens = 1_000;
    premium.entries[1]!.maxOutputTokens = 512;
    const plan = selectCandidates(
      input({ ...base, routing: config({ tiers: [premium] }), request: request({ tier: 'premium', estimatedInputTokens: 5_000 }) }),
    );
    expect(pairs(plan)).toEqual(['beta/b-1']);
    expect(first(plan)?.maxOutputTokens).toBe(512);
    expect(plan.skipped[0]).toMatchObject({ connectionId: 'alpha', reason: 'input_too_large' });
  });

  it('the plan is serializable and matches its schema', () => {
    const plan = selectCandidates(docsInput({ request: request({ agent: 'builder' }), health: { claude: health('claude', 'red') } }));
    expect(routePlanSchema.parse(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });

  it('a prepared routing decides exactly like the raw config', () => {
    const rules = Array.from({ length: 40 }, (_, index) =>
      rule(`r${index}`, index % 3 === 0 ? 'default' : 'agent:builder', ['alpha', 'beta', 'gamma'][index % 3]!, index % 4, `m${index % 5}`),
    );
    const routing = config({ rules });
    const raw = selectCandidates(input({ ...base, routing, request: request({ agent: 'builder' }) }));
    const prepared = selectCandidates(input({ ...base, routing: prepareRouting(routing), request: request({ agent: 'builder' }) }));
    expect(prepared).toEqual(raw);
  });
});
