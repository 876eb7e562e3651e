// The tier JSON of a gateway's "Model Routing" page, imported into Switchboard's tiers.
import { describe, expect, it } from 'vitest';
import { applyModelRouting, isModelRoutingFile, providerKindFor } from '../../../src-main/config/model-routing-import';
import { planImport } from '../../../src-main/config/config-import';
import { fixtureSettings } from '../../helpers/config-fixture';

const file = {
  standard: [
    { provider: 'openai', model: 'gpt-4o-mini', priority: 2, maxTokens: 2_000 },
    { provider: 'deepseek', model: 'deepseek-chat', priority: 1, maxTokens: null },
  ],
  reasoning: [{ provider: 'claude', model: 'claude-sonnet-4-5', priority: 0 }],
};

describe('Model Routing tier JSON import', () => {
  it('tells the tier JSON from a Switchboard configuration file', () => {
    expect(isModelRoutingFile(file)).toBe(true);
    expect(isModelRoutingFile({ connections: [], routing: {} })).toBe(false);
    expect(isModelRoutingFile([])).toBe(false);
    expect(isModelRoutingFile({})).toBe(false);
    expect(providerKindFor(' Google ')).toBe('gemini');
    expect(providerKindFor('Anthropic')).toBe('anthropic');
    expect(providerKindFor('acme')).toBeNull();
  });

  it('matches providers to connections by kind: named tiers replaced in priority order, new ones added above, the rest kept', () => {
    const settings = fixtureSettings();
    const result = applyModelRouting(file, settings.routing, settings.connections);
    if (result.status !== 'ready') throw new Error(JSON.stringify(result));
    const standard = result.routing.tiers.find((tier) => tier.id === 'standard')!;
    expect(standard).toMatchObject({ name: 'Cheap chat', rank: 0 });
    expect(standard.entries).toEqual([
      { connectionId: 'deepseek', model: 'deepseek-chat', priority: 1, maxInputTokens: null, maxOutputTokens: null },
      { connectionId: 'openai-main', model: 'gpt-4o-mini', priority: 2, maxInputTokens: null, maxOutputTokens: 2_000 },
    ]);
    expect(result.routing.tiers.find((tier) => tier.id === 'reasoning')).toEqual({
      id: 'reasoning',
      name: 'Reasoning',
      rank: 3,
      preferredFor: null,
      entries: [{ connectionId: 'claude', model: 'claude-sonnet-4-5', priority: 0, maxInputTokens: null, maxOutputTokens: null }],
    });
    expect(result.routing.tiers.find((tier) => tier.id === 'premium')).toEqual(
      settings.routing.tiers.find((tier) => tier.id === 'premium'),
    );
    expect(result.routing.rules).toBe(settings.routing.rules);
  });

  it('asks which connection is meant where two share a kind, and uses the answer', () => {
    const settings = fixtureSettings();
    const team = { ...settings.connections[0]!, id: 'openai-team', name: 'OpenAI (team)' };
    const connections = [...settings.connections, team];
    const asked = applyModelRouting(file, settings.routing, connections);
    expect(asked).toEqual({
      status: 'choose',
      choices: [
        {
          provider: 'openai',
          connections: [
            { id: 'openai-main', name: 'OpenAI' },
            { id: 'openai-team', name: 'OpenAI (team)' },
          ],
        },
      ],
    });
    const answered = applyModelRouting(file, settings.routing, connections, { openai: 'openai-team' });
    if (answered.status !== 'ready') throw new Error(JSON.stringify(answered));
    expect(answered.routing.tiers.find((tier) => tier.id === 'standard')?.entries.map((entry) => entry.connectionId)).toEqual([
      'deepseek',
      'openai-team',
    ]);
    // An answer that names a connection of another kind is refused, naming the field.
    expect(applyModelRouting(file, settings.routing, connections, { openai: 'claude' })).toEqual({
      status: 'refused',
      problems: ['standard[0].provider: the connection chosen for "openai" is not a openai connection.'],
    });
  });

  it('refuses an unknown provider, a provider with no connection, a bad tier name or a wrong type, naming the field', () => {
    const settings = fixtureSettings();
    const refused = (raw: unknown) => {
      const result = applyModelRouting(raw, settings.routing, settings.connections);
      return result.status === 'refused' ? result.problems : [];
    };
    expect(refused({ standard: [{ provider: 'acme', model: 'x' }] })[0]).toMatch(/^standard\[0\]\.provider: "acme" is not a provider/);
    expect(refused({ standard: [{ provider: 'mistral', model: 'x' }] })).toEqual([
      'standard[0].provider: you have no mistral connection. Add one in Settings -> Providers, then import again.',
    ]);
    expect(refused({ 'Big Tier': [{ provider: 'openai', model: 'gpt-4o' }] })[0]).toContain('Big Tier: a tier name uses lowercase letters');
    expect(refused({ standard: [{ provider: 'openai', model: 'gpt-4o', priority: 'high' }] })[0]).toMatch(/^standard\[0\]\.priority: /);
  });

  it('goes through the import preview: a question first, then the changes, nothing applied', () => {
    const settings = fixtureSettings();
    const team = { ...settings.connections[0]!, id: 'openai-team', name: 'OpenAI (team)' };
    const current = { ...settings, connections: [...settings.connections, team] };
    const text = JSON.stringify(file);
    expect(planImport(current, { fileName: 'tiers.json', text })).toMatchObject({ status: 'choose', fileName: 'tiers.json' });
    const ready = planImport(current, { fileName: 'tiers.json', text, assignments: { openai: 'openai-main' } });
    if (ready.status !== 'ready') throw new Error(JSON.stringify(ready));
    expect(ready.plan.changes).toEqual(
      expect.arrayContaining([
        { kind: 'added', subject: 'tier reasoning', detail: '' },
        expect.objectContaining({ kind: 'changed', subject: 'tier standard' }),
      ]),
    );
    expect(ready.plan.dropKeys).toEqual([]);
    expect(current.routing.tiers.some((tier) => tier.id === 'reasoning')).toBe(false);
  });
});
