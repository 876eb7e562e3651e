// Item 1-3 of the security review: saved keys go only where they were saved for, the app's own
// secrets never share a keychain name with a provider key, and every secret held is redacted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../../src-shared/schemas/execution-event';
import { createGatewayClients } from '../../../src-main/gateway/gateway-clients';
import {
  GATEWAY_TOKEN_ACCOUNT,
  gatewayClientTokenAccount,
  LEGACY_GATEWAY_TOKEN_ACCOUNT,
  providerKeyAccount,
} from '../../../src-main/secrets/keychain-accounts';
import { migrateKeychain, migrateKeychainQuietly, type MigrationNotice } from '../../../src-main/secrets/keychain-migration';
import { appError, AppErrorException } from '../../../src-shared/errors/app-error';
import { MemorySecretStore } from '../../../src-main/secrets/memory-secret-store';
import { keychainProviderKeys } from '../../../src-main/secrets/provider-keys';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';

const KEY = 'sk-saved-for-provider-0001';

const gatewayClientsOf = (harness: CoreHarness) =>
  createGatewayClients({
    settings: harness.services.settings,
    secrets: harness.services.secrets,
    ledger: harness.services.secretLedger,
    usage: (since) => harness.services.callLog.clientUsage(since),
    now: Date.now,
  });

let provider: FakeProviderServer;
let attacker: FakeProviderServer;
let core: CoreHarness;

beforeAll(async () => {
  [provider, attacker] = await Promise.all([startFakeProviderServer({ name: 'provider' }), startFakeProviderServer({ name: 'attacker' })]);
});
afterAll(async () => {
  await Promise.all([provider.close(), attacker.close()]);
});
afterEach(async () => {
  await core?.stop();
  await Promise.all([provider.reset(), attacker.reset()]);
});

const keysSeenBy = (server: FakeProviderServer) =>
  server.requests.map((request) => request.headers['authorization'] ?? request.headers['x-api-key'] ?? '').filter(Boolean);

async function withSavedKey(): Promise<string> {
  core = await startCore();
  return core.add({ kind: 'openai', name: 'OpenAI', baseUrl: `${provider.url}/v1`, apiKey: KEY, defaultModel: 'gpt-4o-mini' });
}

describe('a saved key goes only to the origin and kind it was saved for (item 1)', () => {
  it('"Find models" with a saved connection and another address asks for the key instead of sending it', async () => {
    const id = await withSavedKey();
    const result = await core.services.connections.discoverModels({ kind: 'openai', baseUrl: `${attacker.url}/v1`, connectionId: id });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('Paste the key again');
    expect(attacker.counters.total).toBe(0);
    // Another kind at the same address is another recipient too.
    const otherKind = await core.services.connections.discoverModels({ kind: 'groq', baseUrl: `${provider.url}/v1`, connectionId: id });
    expect(otherKind.ok).toBe(false);
    expect(provider.counters.total).toBe(0);
    // Same origin, same kind: the saved key is used.
    const same = await core.services.connections.discoverModels({ kind: 'openai', baseUrl: `${provider.url}/v1/`, connectionId: id });
    expect(same.ok).toBe(true);
    expect(keysSeenBy(provider)).toEqual([`Bearer ${KEY}`]);
  });

  it('moving a connection to another address without typing the key is refused, and nothing is sent there', async () => {
    const id = await withSavedKey();
    await expect(core.services.connections.update({ id, baseUrl: `${attacker.url}/v1` })).rejects.toMatchObject({
      appError: { code: 'validation_failed', field: 'apiKey' },
    });
    await core.services.connections.test(id);
    expect(attacker.counters.total).toBe(0);
    // With the key typed again the move is the user's informed choice.
    await core.services.connections.update({ id, baseUrl: `${attacker.url}/v1`, apiKey: 'sk-typed-again-0002' });
    await core.services.connections.test(id);
    expect(keysSeenBy(attacker).every((value) => value === 'Bearer sk-typed-again-0002')).toBe(true);
    expect(keysSeenBy(attacker).length).toBeGreaterThan(0);
  });

  it('stores the key with its origin and kind, under a provider-key account', async () => {
    const id = await withSavedKey();
    const stored = await core.services.secrets.get(providerKeyAccount(id));
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ key: KEY, origin: provider.url, kind: 'openai' });
    expect(await core.services.secrets.get(id)).toBeNull();
  });
});

describe('app secrets and provider keys never share a keychain name (item 2)', () => {
  it('a connection named "Gateway token" does not overwrite the gateway token', async () => {
    core = await startCore();
    const gateway = gatewayClientsOf(core);
    const { client, token } = await gateway.create('editor');
    const id = await core.add({
      kind: 'openai',
      name: 'Gateway token',
      baseUrl: `${provider.url}/v1`,
      apiKey: KEY,
      defaultModel: 'gpt-4o-mini',
    });
    expect(id).toBe('gateway-token');
    expect(await core.services.secrets.get(gatewayClientTokenAccount(client.id))).toBe(token);
    await core.services.connections.test(id);
    expect(keysSeenBy(provider).every((value) => value === `Bearer ${KEY}`)).toBe(true);
  });

  it('moves old entries to their own names on start, binding each key to its connection as it is now', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set('openai', 'sk-old-openai');
    await secrets.set(LEGACY_GATEWAY_TOKEN_ACCOUNT, 'old-gateway-token');
    const connections = [{ id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' }] as const;
    const result = await migrateKeychain(secrets, connections);
    expect(result).toEqual({ movedKeys: ['openai'], movedGatewayToken: true, droppedAmbiguous: false });
    expect(await secrets.get('openai')).toBeNull();
    expect(await secrets.get(LEGACY_GATEWAY_TOKEN_ACCOUNT)).toBeNull();
    expect(await secrets.get(GATEWAY_TOKEN_ACCOUNT)).toBe('old-gateway-token');
    expect(await keychainProviderKeys(secrets).read(connections[0])).toEqual({ status: 'found', key: 'sk-old-openai' });
    // Running again changes nothing.
    expect(await migrateKeychain(secrets, connections)).toEqual({ movedKeys: [], movedGatewayToken: false, droppedAmbiguous: false });
  });

  it('drops the shared entry when a connection had the id "gateway-token": it may hold either secret', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set(LEGACY_GATEWAY_TOKEN_ACCOUNT, 'either-one');
    const result = await migrateKeychain(secrets, [{ id: 'gateway-token', kind: 'openai', baseUrl: 'https://api.openai.com' }]);
    expect(result.droppedAmbiguous).toBe(true);
    expect(await secrets.get(GATEWAY_TOKEN_ACCOUNT)).toBeNull();
    expect(await secrets.get(providerKeyAccount('gateway-token'))).toBeNull();
    expect(await secrets.get(LEGACY_GATEWAY_TOKEN_ACCOUNT)).toBeNull();
  });
});

describe('every secret held this session is redacted from the call log (item 3)', () => {
  async function collect(events: AsyncGenerator<ExecutionEvent, unknown>) {
    for await (const event of events) void event;
  }

  it('redacts keys rotated away and the gateway token', async () => {
    const id = await withSavedKey();
    await core.services.connections.test(id);
    await core.services.connections.update({ id, apiKey: 'sk-rotated-in-0003' });
    const gateway = gatewayClientsOf(core);
    const { token } = await gateway.create('editor');
    const prompt = `old ${KEY} new sk-rotated-in-0003 token ${token}`;
    await collect(
      core.services.runner.run({
        source: 'gateway',
        route: { kind: 'chat', needs: [], estimatedInputTokens: 10, localOnly: false },
        call: { messages: [{ role: 'user', content: prompt }] },
      }),
    );
    const [row] = (await core.services.callLog.page()).rows;
    const detail = await core.services.callLog.get(row!.id);
    expect(detail?.prompt).toContain('old [redacted] new [redacted] token [redacted]');
  });
});

describe('the keychain migration at start', () => {
  const owner = [{ id: 'openai', kind: 'openai' as const, baseUrl: 'https://api.openai.com' }];
  const failing = (code: 'keychain_unavailable' | 'internal') =>
    Object.assign(new MemorySecretStore(), {
      get: () => Promise.reject(new AppErrorException(appError(code, `the store failed (${code})`))),
    });

  it('says nothing when the keychain cannot be reached: nothing moved, and a key read names the problem', async () => {
    const notices: MigrationNotice[] = [];
    await migrateKeychainQuietly(failing('keychain_unavailable'), owner, (notice) => notices.push(notice));
    expect(notices).toEqual([]);
  });

  it('says the entries were not moved, and why, when the migration itself fails', async () => {
    const notices: MigrationNotice[] = [];
    await migrateKeychainQuietly(failing('internal'), owner, (notice) => notices.push(notice));
    expect(notices).toEqual([{ title: 'Keychain entries not moved', detail: expect.stringContaining('the store failed (internal)') }]);
  });

  it('asks for one key again when a connection shared the gateway token entry', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set(LEGACY_GATEWAY_TOKEN_ACCOUNT, 'sk-shared-0123456789');
    const notices: MigrationNotice[] = [];
    await migrateKeychainQuietly(secrets, [{ id: 'gateway-token', kind: 'openai', baseUrl: 'https://api.openai.com' }], (notice) =>
      notices.push(notice),
    );
    expect(notices.map((notice) => notice.title)).toEqual(['Paste one API key again']);
  });
});
