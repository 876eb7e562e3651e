import { describe, expect, it } from 'vitest';
import { connectionSchema, providerKinds } from '../../../src-shared/schemas/connection';
import { AppErrorException } from '../../../src-shared/errors/app-error';
import { createProviderAdapter, providerProfiles } from '../../../src-main/providers/registry';

describe('provider registry', () => {
  it('has one Add-provider profile per kind', () => {
    expect(providerProfiles.map((profile) => profile.kind).sort()).toEqual([...providerKinds].sort());
  });

  it.each(providerProfiles)(
    '$kind: its defaults make a valid connection and an adapter of that kind that really calls',
    async (profile) => {
      const connection = connectionSchema.parse({
        id: `new-${profile.kind}`,
        kind: profile.kind,
        name: profile.displayName,
        baseUrl: profile.defaultBaseUrl,
        defaultModel: profile.defaultModel ?? 'any-model',
        createdAt: new Date(0).toISOString(),
      });
      // Adapters load their provider module on first use, so only a call shows the factory works:
      // the real module and SDK must build a request to the connection's address and map the answer.
      const requested: string[] = [];
      const fetch: typeof globalThis.fetch = async (input) => {
        requested.push(input instanceof Request ? input.url : String(input));
        return new Response(JSON.stringify({ error: { message: 'invalid api key', type: 'authentication_error' } }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        });
      };
      const adapter = createProviderAdapter(connection, profile.keyRequired ? 'sk-test-key-123456' : null, { fetch });
      expect(adapter.kind).toBe(profile.kind);
      expect(adapter.connectionId).toBe(connection.id);
      const failure = await (async () => {
        const request = {
          model: connection.defaultModel,
          messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }],
        };
        for await (const _part of adapter.stream(request, { signal: new AbortController().signal })) return null;
        return null;
      })().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppErrorException);
      expect((failure as AppErrorException).appError.code).toBe('auth_invalid');
      expect(requested.length).toBeGreaterThan(0);
      expect(new URL(requested[0]!).host).toBe(new URL(profile.defaultBaseUrl).host);
      expect(profile.docsHint.length).toBeGreaterThan(10);
    },
  );

  it('local kinds need no key; cloud kinds do', () => {
    const keyless = providerProfiles.filter((profile) => !profile.keyRequired).map((profile) => profile.kind);
    expect(keyless.sort()).toEqual(['custom', 'lmstudio', 'ollama']);
  });
});
