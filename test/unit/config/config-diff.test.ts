import { describe, expect, it } from 'vitest';
import { describeChanges, diffConfig } from '../../../src-main/config/config-diff';
import { fixtureSettings } from '../../helpers/config-fixture';

describe('diffConfig', () => {
  it('says nothing for the same configuration', () => {
    expect(diffConfig(fixtureSettings(), fixtureSettings())).toEqual([]);
  });

  it('names a rule moved in the list: rules of equal priority answer in list order', () => {
    const before = fixtureSettings();
    const [r1, r2, ...rest] = before.routing.rules;
    const after = { ...before, routing: { ...before.routing, rules: [r2!, r1!, ...rest] } };
    expect(diffConfig(before, after)).toEqual([
      { kind: 'changed', subject: 'rule “Builder tasks” -> Claude', detail: 'moved below rule “Builder tasks” -> OpenAI gpt-4o' },
    ]);
    const top = { ...before, routing: { ...before.routing, rules: [rest[0]!, r1!, r2!, ...rest.slice(1)] } };
    expect(describeChanges(diffConfig(before, top))).toBe('rule “Builder tasks” -> Claude: moved below rule “Any task” -> DeepSeek');
  });

  it('reads as one line per change', () => {
    const before = fixtureSettings();
    const after = {
      ...before,
      routing: {
        ...before.routing,
        rules: before.routing.rules.filter((rule) => rule.id !== 'r5'),
        routes: before.routing.routes.map((route) =>
          route.id === 'resilient' ? { ...route, targets: [...route.targets].reverse() } : route,
        ),
      },
    };
    expect(describeChanges(diffConfig(before, after))).toBe(
      'rule “Private tasks” -> Ollama removed; route resilient: OpenAI gpt-4o moved below Claude claude-haiku-4-5',
    );
  });
});
