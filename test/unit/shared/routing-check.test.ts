import { describe, expect, it } from 'vitest';
import { routingConfigSchema, type RoutingConfig } from '../../../src-shared/schemas/routing';
import { routingConfigProblems } from '../../../src-shared/schemas/routing-check';
import { checkRoutingConfig } from '../../../src-main/ipc/routing-handlers';
import { settingsFromConfig } from '../../../src-main/config/config-file';

const base = routingConfigSchema.parse({});
const rule = (id: string, connectionId: string, context = 'default') => ({ id, context, connectionId, priority: 0 });
const route = (id: string, connectionId: string) => ({
  id,
  name: id,
  description: '',
  version: 1,
  sameProviderRetries: 0,
  targets: [{ connectionId, model: 'm' }],
});
const references = { connectionIds: ['a', 'b'], agentNames: ['builder'] };

describe('routing-config validation (one check for the app, its editor and the headless config)', () => {
  it.each<[string, Partial<RoutingConfig>, string, string]>([
    ['two rules with one id', { rules: [rule('r1', 'a'), rule('r1', 'b')] }, 'rules.1.id', '"r1" is used by two rules'],
    ['two routes with one id', { routes: [route('x', 'a'), route('x', 'b')] }, 'routes.1.id', '"x" is used by two routes'],
    ['a rule for a connection that is not there', { rules: [rule('r1', 'c')] }, 'rules.0.connectionId', 'there is no connection "c"'],
    [
      'a rule for an agent that is not there',
      { rules: [rule('r1', 'a', 'agent:bilder')] },
      'rules.0.context',
      'there is no agent "bilder"',
    ],
    ['a route target that is not there', { routes: [route('x', 'z')] }, 'routes.0.targets.0.connectionId', 'there is no connection "z"'],
  ])('%s', (_name, change, path, words) => {
    const [problem] = routingConfigProblems({ ...base, ...change }, references);
    expect(problem?.path.join('.')).toBe(path);
    expect(problem?.message).toContain(words);
  });

  it('finds nothing wrong with a sound config', () => {
    expect(routingConfigProblems({ ...base, rules: [rule('r1', 'a', 'agent:builder')], routes: [route('x', 'b')] }, references)).toEqual(
      [],
    );
  });

  it('lets the app keep rules for a disconnected connection (they stop matching), but not duplicate ids', () => {
    expect(() => checkRoutingConfig({ ...base, rules: [rule('r1', 'gone')] })).not.toThrow();
    expect(() => checkRoutingConfig({ ...base, rules: [rule('r1', 'a'), rule('r1', 'a')] })).toThrow(/"r1" is used by two rules/);
  });

  it('names the field in the headless config file with the same words', () => {
    expect(() =>
      settingsFromConfig({
        connections: [{ id: 'a', kind: 'openai' }],
        routing: { routes: [route('x', 'a'), route('x', 'a')] },
      }),
    ).toThrow(/routing\.routes\[1\]\.id: "x" is used by two routes/);
  });
});
