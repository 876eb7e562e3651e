import { describe, expect, it } from 'vitest';
import { connectionSchema, providerKinds } from '../../../src-shared/schemas/connection';
import { createProviderAdapter, providerProfiles } from '../../../src-main/providers/registry';

describe('provider registry', () => {
  it('has one Add-provider profile per kind', () => {
    expect(providerProfiles.map((profile) => profile.kind).sort()).toEqual([...providerKinds].sort());
  });

  it.each(providerProfiles)('$kind: its defaults make a valid connection and an adapter of that kind', (profile) => {
    const connection = connectionSchema.parse({
      id: `new-${profile.kind}`,
      kind: profile.kind,
      name: profile.displayName,
      baseUrl: profile.defaultBaseUrl,
      defaultModel: profile.defaultModel ?? 'any-model',
      createdAt: new Date(0).toISOString(),
    });
    const adapter = createProviderAdapter(connection, profile.keyRequired ? 'sk-test-key-123456' : null);
    expect(adapter.kind).toBe(profile.kind);
    expect(adapter.connectionId).toBe(connection.id);
    expect(profile.docsHint.length).toBeGreaterThan(10);
  });

  it('local kinds need no key; cloud kinds do', () => {
    const keyless = providerProfiles.filter((profile) => !profile.keyRequired).map((profile) => profile.kind);
    expect(keyless.sort()).toEqual(['custom', 'lmstudio', 'ollama']);
  });
});
