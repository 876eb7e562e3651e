// A call takes the adapters built for earlier calls without asking the keychain again, and only
// while they are still right: a new key, address or connection builds (and reads) afresh.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server';

let provider: FakeProviderServer;
let other: FakeProviderServer;
let core: CoreHarness;

beforeAll(async () => {
  [provider, other] = await Promise.all([startFakeProviderServer({ name: 'provider' }), startFakeProviderServer({ name: 'other' })]);
});
afterAll(async () => {
  await Promise.all([provider.close(), other.close()]);
});
afterEach(async () => {
  await core?.stop();
});

/** A core with one OpenAI connection to `provider`; resolves with its id. */
async function startWithOneConnection(): Promise<string> {
  core = await startCore();
  return core.add({ kind: 'openai', name: 'OpenAI', baseUrl: `${provider.url}/v1`, apiKey: 'sk-first-0001', defaultModel: 'gpt-4o' });
}

describe('an adapter at hand (readyAdapter)', () => {
  it('is none before the first call, then the very adapter the keychain path gives', async () => {
    const id = await startWithOneConnection();
    const connections = core.services.connections;
    expect(connections.readyAdapter('no-such-connection')).toBeUndefined();
    const built = await connections.adapter(id);
    expect(connections.readyAdapter(id)).toBe(built);
  });

  it('is none once the key, the address or the connection changed, until an adapter is built again', async () => {
    const id = await startWithOneConnection();
    const connections = core.services.connections;
    const first = await connections.adapter(id);

    await connections.update({ id, apiKey: 'sk-second-0002' });
    expect(connections.readyAdapter(id)).toBeUndefined();
    const second = await connections.adapter(id);
    expect(second).not.toBe(first);
    expect(connections.readyAdapter(id)).toBe(second);

    await connections.update({ id, baseUrl: `${other.url}/v1`, apiKey: 'sk-third-0003' });
    expect(connections.readyAdapter(id)).toBeUndefined();
    const third = await connections.adapter(id);
    expect(connections.readyAdapter(id)).toBe(third);

    await connections.update({ id, name: 'Renamed' });
    expect(connections.readyAdapter(id)).toBeUndefined();

    await connections.remove(id);
    expect(connections.readyAdapter(id)).toBeUndefined();
  });
});
