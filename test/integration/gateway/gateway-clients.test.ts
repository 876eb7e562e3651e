// Item 7 of the security review: a token per gateway client, each revocable on its own, kept in
// the keychain, named in the call log. The app's gateway (controller + clients over the real core
// services) is driven with the official openai and Anthropic SDKs.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayStatus } from '../../../src-shared/schemas/gateway';
import { createGatewayClients, MIGRATED_CLIENT_NAME, type GatewayClients } from '../../../src-main/gateway/gateway-clients';
import { createGatewayController, type GatewayController } from '../../../src-main/gateway/gateway-controller';
import { createGatewayHandlers } from '../../../src-main/ipc/gateway-handlers';
import { GATEWAY_TOKEN_ACCOUNT, gatewayClientTokenAccount } from '../../../src-main/secrets/keychain-accounts';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { HEADLESS_CLIENT } from '../../../src-main/gateway/headless-gateway';
import { hello, OPENAI_KEY, REPLY, startGateway, startProviders, type Providers } from './gateway-harness';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let providers: Providers;
let core: CoreHarness;
let clients: GatewayClients;
let gateway: GatewayController;
let baseUrl: string;
const statuses: GatewayStatus[] = [];

const openai = (token: string) => new OpenAI({ baseURL: baseUrl, apiKey: token, maxRetries: 0 });
const clientsFor = (harness: CoreHarness) =>
  createGatewayClients({
    settings: harness.services.settings,
    secrets: harness.services.secrets,
    ledger: harness.services.secretLedger,
    usage: (since) => harness.services.callLog.clientUsage(since),
    now: Date.now,
  });

async function startGatewayOn(harness: CoreHarness): Promise<void> {
  clients = clientsFor(harness);
  await clients.start();
  gateway = createGatewayController({
    runner: harness.services.runner,
    settings: harness.services.settings,
    clients,
    onChange: (status) => statuses.push(status),
  });
  const status = await gateway.configure({ enabled: true, port: await freePort(), allowedOrigins: [] });
  baseUrl = status.baseUrl!;
}

beforeAll(async () => {
  providers = await startProviders();
});
afterAll(async () => {
  await Promise.all([providers.openai.close(), providers.anthropic.close()]);
});
beforeEach(async () => {
  statuses.length = 0;
  core = await startCore();
  await core.add({ kind: 'openai', name: 'OpenAI', baseUrl: `${providers.openai.url}/v1`, apiKey: OPENAI_KEY, defaultModel: 'gpt-4o' });
});
afterEach(async () => {
  await gateway?.stop();
  await core.stop();
  await providers.openai.reset();
});

describe('a token per client', () => {
  beforeEach(async () => {
    await startGatewayOn(core);
  });

  it('refuses a revoked client’s token with a clear 401 while another client keeps working', async () => {
    const editor = await clients.create('editor');
    const scripts = await clients.create('scripts');
    for (const token of [editor.token, scripts.token]) {
      const answer = await openai(token).chat.completions.create({ model: 'switchboard/primary', messages: hello });
      expect(answer.choices[0]?.message.content).toBe(REPLY);
    }

    await clients.revoke(editor.client.id);
    const refused = await openai(editor.token)
      .chat.completions.create({ model: 'switchboard/primary', messages: hello })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({
      type: 'authentication_error',
      code: 'auth_invalid',
      message: expect.stringMatching(/^This token of gateway client "editor" was revoked on \d{4}-\d{2}-\d{2}\. Create a new token/),
    });
    // Anthropic's SDK gets the same answer in Anthropic's error shape.
    const anthropic = new Anthropic({ baseURL: baseUrl.replace(/\/v1$/, ''), apiKey: editor.token, maxRetries: 0 });
    const refusedMessages = await anthropic.messages
      .create({ model: 'switchboard/primary', max_tokens: 20, messages: hello })
      .catch((error: unknown) => error);
    expect(refusedMessages).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((refusedMessages as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: expect.stringContaining('"editor" was revoked') },
    });

    const still = await openai(scripts.token).chat.completions.create({ model: 'switchboard/primary', messages: hello });
    expect(still.choices[0]?.message.content).toBe(REPLY);
    // A token that never existed is told apart from a revoked one.
    const wrong = await openai('sbg-never-issued-token-000000000000000000000')
      .models.list()
      .catch((error: unknown) => error);
    expect((wrong as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({
      message: expect.stringContaining('Send a gateway token'),
    });
    // The revoked client is gone from the list and from the keychain.
    expect((await clients.list()).map((client) => client.name)).toEqual(['scripts']);
    expect(await core.services.secrets.get(gatewayClientTokenAccount(editor.client.id))).toBeNull();
  });

  it('records which client made each call, filters the log by it and sums its month', async () => {
    const editor = await clients.create('editor');
    const scripts = await clients.create('scripts');
    await openai(editor.token).chat.completions.create({ model: 'switchboard/primary', messages: hello });
    await openai(editor.token).chat.completions.create({ model: 'switchboard/primary', messages: hello, stream: false });
    await openai(scripts.token).chat.completions.create({ model: 'switchboard/primary', messages: hello });

    const rows = (await core.services.callLog.page()).rows;
    expect(rows.map((row) => row.client).sort()).toEqual(['editor', 'editor', 'scripts']);
    expect((await core.services.callLog.page({ clients: ['editor'] })).rows).toHaveLength(2);
    expect(await core.services.callLog.clientNames()).toEqual(['editor', 'scripts']);
    const listed = await clients.list();
    expect(listed.find((client) => client.name === 'editor')).toMatchObject({ monthCalls: 2, lastUsedAt: expect.any(Number) });
    expect(listed.find((client) => client.name === 'scripts')).toMatchObject({ monthCalls: 1 });
    const editorSpend = listed.find((client) => client.name === 'editor')!.monthCostUsd;
    const [aggregate] = await core.services.callLog.aggregate({ clients: ['editor'], bucket: 'day', groupBy: 'none' });
    expect(editorSpend).toBeCloseTo(aggregate!.costUsd, 10);
  });

  it('refuses empty, duplicate and hidden-character names with a message saying what to do', async () => {
    await clients.create('editor');
    const failure = (name: string) =>
      clients.create(name).then(
        () => 'created',
        (error: { appError: { code: string; message: string } }) => error.appError,
      );
    expect(await failure('   ')).toMatchObject({ code: 'validation_failed', message: 'Give the client a name, e.g. editor or scripts' });
    expect(await failure('Editor')).toMatchObject({
      code: 'validation_failed',
      message: 'A client named "editor" already has a token: choose another name, or revoke that one first.',
    });
    expect(await failure('edi\u202Etor')).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('U+202E') });
    expect((await clients.list()).map((client) => client.name)).toEqual(['editor']);
  });

  it('keeps tokens in the keychain only, and redacts every one from the call log', async () => {
    const editor = await clients.create('editor');
    const settingsFile = readFileSync(core.services.settings.filePath, 'utf8');
    expect(settingsFile).toContain('"editor"');
    expect(settingsFile).not.toContain(editor.token);
    await openai(editor.token).chat.completions.create({
      model: 'switchboard/primary',
      messages: [{ role: 'user', content: `my token is ${editor.token}` }],
    });
    const [row] = (await core.services.callLog.page()).rows;
    expect((await core.services.callLog.get(row!.id))?.prompt).toBe('user: my token is [redacted]');
  });
});

describe('the single token from before named clients', () => {
  it('becomes the first named client on start, and the tool that holds it keeps working', async () => {
    const old = 'sbg-the-one-token-from-before-0123456789abcdef';
    await core.services.secrets.set(GATEWAY_TOKEN_ACCOUNT, old);
    await startGatewayOn(core);

    const [migrated] = core.services.settings.get().gateway.clients;
    expect(migrated).toMatchObject({ name: MIGRATED_CLIENT_NAME });
    expect(await core.services.secrets.get(gatewayClientTokenAccount(migrated!.id))).toBe(old);
    expect(await core.services.secrets.get(GATEWAY_TOKEN_ACCOUNT)).toBeNull();
    const answer = await openai(old).chat.completions.create({ model: 'switchboard/primary', messages: hello });
    expect(answer.choices[0]?.message.content).toBe(REPLY);
    expect((await core.services.callLog.page()).rows[0]?.client).toBe(MIGRATED_CLIENT_NAME);

    // A second start finds nothing to move; a start cut short after the copy does not duplicate it.
    expect(await clients.migrate()).toBeNull();
    await core.services.secrets.set(GATEWAY_TOKEN_ACCOUNT, old);
    expect(await clientsFor(core).migrate()).toBeNull();
    expect(core.services.settings.get().gateway.clients).toHaveLength(1);
    expect(await core.services.secrets.get(GATEWAY_TOKEN_ACCOUNT)).toBeNull();
  });
});

describe('the IPC channels of Settings -> Local gateway', () => {
  it('carry a token to the renderer once, in the answer that created it, and never again', async () => {
    await startGatewayOn(core);
    const handlers = createGatewayHandlers({ gateway, clients });
    const sentToRenderer: unknown[] = [];
    const unsubscribe = core.services.settings.onChange((settings) => sentToRenderer.push(settings));
    const call = async <C extends keyof typeof handlers>(channel: C, request: unknown) => {
      const handler = handlers[channel];
      const answer: unknown = await handler.handle(handler.payload.parse(request) as never);
      sentToRenderer.push(answer);
      return answer;
    };

    const created = (await call('app:gateway.createClient', { name: 'editor' })) as { token: string };
    expect(created.token).toMatch(/^sbg-/);
    const other = (await call('app:gateway.createClient', { name: 'scripts' })) as { client: { id: string }; token: string };
    await openai(created.token).chat.completions.create({ model: 'switchboard/primary', messages: hello });
    await call('app:gateway.status', undefined);
    await call('app:gateway.clients', undefined);
    await call('app:gateway.configure', {
      enabled: true,
      port: new URL(baseUrl).port ? Number(new URL(baseUrl).port) : 4141,
      allowedOrigins: [],
    });
    await call('app:gateway.revokeClient', { id: other.client.id });
    sentToRenderer.push(...statuses);
    unsubscribe();

    const everything = JSON.stringify(sentToRenderer);
    expect(everything.split(created.token)).toHaveLength(2);
    expect(everything.split(other.token)).toHaveLength(2);
    expect(handlers['app:gateway.createClient'].payload.safeParse({ name: 'x', token: 'chosen' }).success).toBe(false);
  });
});

describe('the headless gateway', () => {
  it('is one client, "headless": its --token admits it and its calls carry that name', async () => {
    const headless = await startGateway(providers);
    try {
      await headless.client.chat.completions.create({ model: 'switchboard/primary', messages: hello });
      expect((await headless.calls()).map((row) => row.client)).toEqual([HEADLESS_CLIENT]);
    } finally {
      await headless.close();
    }
  });
});
