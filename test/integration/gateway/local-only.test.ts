// Item 5-6 of the security review: work marked local-only through the gateway is answered by a
// local connection or fails with 503 local_unavailable; it never reaches a cloud provider.
// Both fake providers listen on 127.0.0.1, so "claude-backup" is marked not local in the config
// (like a 127.0.0.1 proxy that forwards to a cloud): locality is the user's word.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configFor, hello, rawRequest, startGateway, startProviders, TOKEN, type Providers, type StartedGateway } from './gateway-harness';

let providers: Providers;
let gateway: StartedGateway;

beforeAll(async () => {
  providers = await startProviders();
});
afterAll(async () => {
  await Promise.all([providers.openai.close(), providers.anthropic.close()]);
});
beforeEach(async () => {
  await Promise.all([providers.openai.reset(), providers.anthropic.reset()]);
  const config = configFor(providers);
  gateway = await startGateway(providers, {
    // The second connection is a cloud one by the user's word in the config, though its address is local.
    connections: config.connections.map((connection) => (connection.id === 'claude-backup' ? { ...connection, local: false } : connection)),
    agents: [{ name: 'private', localOnly: true }],
    routing: {
      ...config.routing,
      rules: [...config.routing.rules, { context: 'agent:private', connectionId: 'claude-backup', priority: 0 }],
    },
  });
});
afterEach(async () => {
  await gateway.close();
});

async function post(model: string, headers: Record<string, string> = {}) {
  const response = await rawRequest(gateway.url, {
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: hello }),
  });
  return { ...response, json: JSON.parse(response.body) as { error?: { code: string; message: string } } };
}

describe('local-only through the gateway', () => {
  it('a call with x-switchboard-local-only never falls over to a cloud connection: 503 local_unavailable', async () => {
    await providers.openai.setFault('server-error');
    const response = await post('route/resilient', { 'x-switchboard-local-only': '1' });
    expect(response.status).toBe(503);
    expect(response.json.error?.code).toBe('local_unavailable');
    expect(response.json.error?.message).toContain('Nothing was sent to a cloud provider');
    expect(providers.anthropic.counters.chat).toBe(0);
    // Without the header the same route falls over as usual.
    const open = await post('route/resilient');
    expect(open.status).toBe(200);
    expect(open.headers['x-switchboard-connection']).toBe('claude-backup');
  });

  it('a call naming a local connection stays local even when that connection is red', async () => {
    await providers.openai.setFault('server-error');
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await post('openai-main/gpt-4o');
      expect(response.status).toBe(503);
      expect(response.json.error?.code).toBe('local_unavailable');
    }
    expect(gateway.services.health.get('openai-main').color).toBe('red');
    expect(providers.anthropic.counters.chat).toBe(0);
  });

  it('a local-only agent is never answered by the cloud connection its rule names', async () => {
    const local = await post('agent/private');
    expect(local.status).toBe(200);
    expect(local.headers['x-switchboard-connection']).toBe('openai-main');
    await providers.openai.setFault('server-error');
    const response = await post('agent/private');
    expect(response.status).toBe(503);
    expect(response.json.error?.code).toBe('local_unavailable');
    expect(providers.anthropic.counters.chat).toBe(0);
  });

  it('a connection the user marked not local is refused for local-only work, whatever its address', async () => {
    await providers.openai.setFault('server-error');
    const response = await post('claude-backup/claude-haiku-4-5', { 'x-switchboard-local-only': 'true' });
    expect(response.status).toBe(503);
    expect(providers.anthropic.counters.chat).toBe(0);
  });

  it('answers local-only work from a local connection, and names a bad header value', async () => {
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: TOKEN,
      maxRetries: 0,
      defaultHeaders: { 'x-switchboard-local-only': '1' },
    });
    const { response } = await client.chat.completions.create({ model: 'route/resilient', messages: hello }).withResponse();
    expect(response.headers.get('x-switchboard-connection')).toBe('openai-main');
    const bad = await post('route/resilient', { 'x-switchboard-local-only': 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.message).toContain('x-switchboard-local-only');
    expect(providers.anthropic.counters.chat).toBe(0);
  });
});
