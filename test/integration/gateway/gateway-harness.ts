import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { CallLogRow } from '../../../src-shared/schemas/call-log';
import { startHeadlessGateway, type HeadlessGateway } from '../../../src-main/gateway/headless-gateway';
import { startFakeProviderServer, type FakeProviderServer } from '../../helpers/fake-provider-server.ts';

export const TOKEN = 'test-gateway-token-0123456789abcdef';
export const OPENAI_KEY = 'sk-test-openai-main-1111';
export const ANTHROPIC_KEY = 'sk-ant-test-backup-2222';
export const REPLY = 'Hello from the fake provider, through the gateway.';

/** Two providers speaking different wire formats, so a fallback visibly changes who answers. */
export interface Providers {
  openai: FakeProviderServer;
  anthropic: FakeProviderServer;
}

export async function startProviders(): Promise<Providers> {
  const [openai, anthropic] = await Promise.all([
    startFakeProviderServer({ name: 'openai-main', reply: REPLY, chunkSize: 8 }),
    startFakeProviderServer({ name: 'claude-backup', reply: REPLY, chunkSize: 8 }),
  ]);
  openai.setExpectedKey(OPENAI_KEY);
  anthropic.setExpectedKey(ANTHROPIC_KEY);
  return { openai, anthropic };
}

/** The config file a user would write: two providers, a rule and a route. */
export function configFor(providers: Providers, extra: Record<string, unknown> = {}) {
  return {
    connections: [
      {
        id: 'openai-main',
        kind: 'openai',
        name: 'OpenAI',
        baseUrl: `${providers.openai.url}/v1`,
        defaultModel: 'gpt-4o',
        models: ['gpt-4o-mini'],
      },
      { id: 'claude-backup', kind: 'anthropic', name: 'Claude', baseUrl: providers.anthropic.url, defaultModel: 'claude-haiku-4-5' },
    ],
    primaryConnectionId: 'openai-main',
    routing: {
      defaultSameProviderRetries: 0,
      rules: [{ context: 'agent:builder', connectionId: 'claude-backup', priority: 0 }],
      routes: [
        {
          id: 'resilient',
          name: 'Resilient',
          targets: [
            { connectionId: 'openai-main', model: 'gpt-4o' },
            { connectionId: 'claude-backup', model: 'claude-haiku-4-5' },
          ],
        },
      ],
    },
    ...extra,
  };
}

export interface StartedGateway extends HeadlessGateway {
  client: OpenAI;
  /** The call log, oldest first. */
  calls(): Promise<CallLogRow[]>;
}

/**
 * The real headless composition in-process (SQLite call log in a temporary folder), keys from
 * SWITCHBOARD_KEY_* variables, never the keychain.
 */
export async function startGateway(providers: Providers, extra: Record<string, unknown> = {}): Promise<StartedGateway> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-gateway-test-'));
  const gateway = await startHeadlessGateway({
    config: { contents: configFor(providers, extra) },
    port: 0,
    token: TOKEN,
    dataDirectory,
    environment: { SWITCHBOARD_KEY_OPENAI_MAIN: OPENAI_KEY, SWITCHBOARD_KEY_CLAUDE_BACKUP: ANTHROPIC_KEY },
    useKeychain: false,
    warn: () => undefined,
  });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TOKEN, maxRetries: 0 });
  const close = gateway.close.bind(gateway);
  return Object.assign(gateway, {
    client,
    calls: async () => (await gateway.services.callLog.page()).rows.reverse(),
    async close() {
      await close();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with full control of the headers (Host included), which fetch does not allow. */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        setHost: !options.headers?.['host'],
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (part: string) => (body += part));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

export const hello = [{ role: 'user' as const, content: 'Say hello to the gateway tests.' }];

/** Reads an SDK stream to the end; the error, if iteration threw. */
export async function readStream(
  stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>,
): Promise<{ text: string; chunks: OpenAI.Chat.Completions.ChatCompletionChunk[]; error: unknown }> {
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  let text = '';
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
  } catch (error) {
    return { text, chunks, error };
  }
  return { text, chunks, error: undefined };
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The fake providers and a fresh gateway for each test of a file, as most gateway tests need. */
export interface GatewayTestBed {
  providers: Providers;
  gateway: StartedGateway;
  /** Replaces this test's gateway with one started with `extra` config. */
  restart(extra: Record<string, unknown>): Promise<StartedGateway>;
}

/**
 * Registers the hooks: providers started once for the file and reset before each test, a gateway
 * started before each test and closed after it. Read `providers` and `gateway` inside tests.
 */
export function useGateway(): GatewayTestBed {
  const bed = {
    async restart(more: Record<string, unknown>) {
      await bed.gateway.close();
      bed.gateway = await startGateway(bed.providers, more);
      return bed.gateway;
    },
  } as GatewayTestBed;
  beforeAll(async () => {
    bed.providers = await startProviders();
  });
  afterAll(async () => {
    await Promise.all([bed.providers.openai.close(), bed.providers.anthropic.close()]);
  });
  beforeEach(async () => {
    await Promise.all([bed.providers.openai.reset(), bed.providers.anthropic.reset()]);
    bed.gateway = await startGateway(bed.providers);
  });
  afterEach(async () => {
    await bed.gateway.close();
  });
  return bed;
}
