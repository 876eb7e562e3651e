import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { hello, rawRequest, TOKEN, useGateway } from './gateway-harness';

const env = useGateway();

const chatBody = JSON.stringify({ model: 'switchboard/primary', messages: hello });

describe('who may call the gateway', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(env.gateway.host).toBe('127.0.0.1');
    expect(env.gateway.url).toBe(`http://127.0.0.1:${env.gateway.port}`);
  });

  it('answers 401 without the bearer token, or with a wrong one, and calls no provider', async () => {
    for (const apiKey of ['wrong-token', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const client = new OpenAI({ baseURL: `${env.gateway.url}/v1`, apiKey, maxRetries: 0 });
      const error = await client.chat.completions
        .create({ model: 'switchboard/primary', messages: hello })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('auth_invalid');
    }
    const bare = await rawRequest(env.gateway.url, { path: '/v1/models' });
    expect(bare.status).toBe(401);
    expect(JSON.parse(bare.body)).toMatchObject({ error: { type: 'authentication_error', code: 'auth_invalid', param: null } });
    expect(env.providers.openai.counters.chat).toBe(0);
  });

  it('answers 403 to a request naming a foreign Host, even with the right token (DNS rebinding)', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${env.gateway.port}`,
      `127.0.0.1:${env.gateway.port + 1}`,
      `127.0.0.1.nip.io:${env.gateway.port}`,
    ]) {
      const response = await rawRequest(env.gateway.url, {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { host, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: chatBody,
      });
      expect(response.status, host).toBe(403);
      expect(JSON.parse(response.body).error.code).toBe('permission_denied');
    }
    for (const host of [`localhost:${env.gateway.port}`, `LOCALHOST:${env.gateway.port}`, `[::1]:${env.gateway.port}`]) {
      const response = await rawRequest(env.gateway.url, { path: '/v1/models', headers: { host, authorization: `Bearer ${TOKEN}` } });
      expect(response.status, host).toBe(200);
    }
    expect(env.providers.openai.counters.chat).toBe(0);
  });

  it('refuses a body over the size limit with a 413 the client can read', async () => {
    const error = await env.gateway.client.chat.completions
      .create({ model: 'switchboard/primary', messages: [{ role: 'user', content: 'x'.repeat(21 * 1024 * 1024) }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('20 MB');
    expect(env.providers.openai.counters.chat).toBe(0);
  });

  it('refuses a body declared far over the limit without reading it', async () => {
    const response = await rawRequest(env.gateway.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': String(500 * 1024 * 1024) },
      body: '',
    });
    expect(response.status).toBe(413);
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    expect((await rawRequest(env.gateway.url, { path: '/v1/embeddings', method: 'POST', headers, body: '{}' })).status).toBe(404);
    expect((await rawRequest(env.gateway.url, { path: '/v1/chat/completions', headers })).status).toBe(405);
    const badJson = await rawRequest(env.gateway.url, { path: '/v1/chat/completions', method: 'POST', headers, body: '{"model":' });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body).error.code).toBe('validation_failed');
  });
});

describe('CORS', () => {
  const origin = 'http://localhost:5173';

  it('sends no CORS headers by default, and refuses preflights', async () => {
    const response = await rawRequest(env.gateway.url, { path: '/v1/models', headers: { authorization: `Bearer ${TOKEN}`, origin } });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await rawRequest(env.gateway.url, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers an allowed origin, preflight included, and exposes the routing headers', async () => {
    await env.restart({ gateway: { allowedOrigins: [origin] } });
    const preflight = await rawRequest(env.gateway.url, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-stainless-os',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toContain('x-stainless-os');

    const response = await rawRequest(env.gateway.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${TOKEN}`, origin, 'content-type': 'application/json' },
      body: chatBody,
    });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(response.headers['access-control-expose-headers']).toContain('x-switchboard-connection');

    const other = await rawRequest(env.gateway.url, {
      path: '/v1/models',
      headers: { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
