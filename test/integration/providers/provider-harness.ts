import { AppErrorException, type AppError } from '../../../src-shared/errors/app-error';
import { connectionSchema, type Connection, type ProviderKind } from '../../../src-shared/schemas/connection';
import type { ModelRequest, ProviderAdapter, ProviderStreamPart } from '../../../src-main/engine/ports';
import { createProviderAdapter } from '../../../src-main/providers/registry';
import type { FakeProviderServer } from '../../helpers/fake-provider-server.ts';

export const KEY = 'sk-test-Switchboard-9f8e7d6c5b4a3210';

export interface KindCase {
  kind: ProviderKind;
  /** The base URL the user would type, pointed at the fake server. */
  baseUrl: (server: FakeProviderServer) => string;
  /** The model the test asks for; Azure asks for an alias. */
  model: string;
  /** The model name the request body must carry (Azure: the deployment). */
  wireModel?: string;
  keyRequired: boolean;
  /** Where chat requests land on the fake server. */
  chatPath: string;
}

const v1 = (server: FakeProviderServer) => `${server.url}/v1`;

/** Every kind the registry builds, each pointed at the part of the fake server that speaks its wire format. */
export const kindCases: KindCase[] = [
  { kind: 'anthropic', baseUrl: (server) => server.url, model: 'claude-haiku-4-5', keyRequired: true, chatPath: '/v1/messages' },
  { kind: 'openai', baseUrl: v1, model: 'gpt-4o', keyRequired: true, chatPath: '/v1/chat/completions' },
  {
    kind: 'azure-openai',
    baseUrl: (server) => server.url,
    model: 'gpt-4o',
    wireModel: 'my-gpt4o',
    keyRequired: true,
    chatPath: '/openai/deployments/my-gpt4o/chat/completions',
  },
  {
    kind: 'gemini',
    baseUrl: (server) => `${server.url}/v1beta/openai`,
    model: 'gemini-2.5-flash',
    keyRequired: true,
    chatPath: '/v1beta/openai/chat/completions',
  },
  { kind: 'deepseek', baseUrl: v1, model: 'deepseek-chat', keyRequired: true, chatPath: '/v1/chat/completions' },
  { kind: 'ollama', baseUrl: (server) => server.url, model: 'llama3.2:3b', keyRequired: false, chatPath: '/api/chat' },
  { kind: 'openrouter', baseUrl: v1, model: 'openai/gpt-4o-mini', keyRequired: true, chatPath: '/v1/chat/completions' },
  { kind: 'groq', baseUrl: v1, model: 'llama-3.3-70b-versatile', keyRequired: true, chatPath: '/v1/chat/completions' },
  { kind: 'mistral', baseUrl: v1, model: 'mistral-large-latest', keyRequired: true, chatPath: '/v1/chat/completions' },
  { kind: 'xai', baseUrl: v1, model: 'grok-4', keyRequired: true, chatPath: '/v1/chat/completions' },
  { kind: 'perplexity', baseUrl: v1, model: 'sonar', keyRequired: true, chatPath: '/v1/chat/completions' },
  { kind: 'together', baseUrl: v1, model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', keyRequired: true, chatPath: '/v1/chat/completions' },
  { kind: 'lmstudio', baseUrl: v1, model: 'qwen2.5-7b-instruct', keyRequired: false, chatPath: '/v1/chat/completions' },
  { kind: 'custom', baseUrl: v1, model: 'my-model', keyRequired: false, chatPath: '/v1/chat/completions' },
];

export function kindCase(kind: ProviderKind): KindCase {
  const found = kindCases.find((item) => item.kind === kind);
  if (!found) throw new Error(`no case for ${kind}`);
  return found;
}

export function connectionFor(testCase: KindCase, server: FakeProviderServer, overrides: Partial<Connection> = {}): Connection {
  return connectionSchema.parse({
    id: `test-${testCase.kind}`,
    kind: testCase.kind,
    name: `Test ${testCase.kind}`,
    baseUrl: testCase.baseUrl(server),
    defaultModel: testCase.model,
    createdAt: new Date(0).toISOString(),
    ...(testCase.kind === 'azure-openai'
      ? { azure: { apiVersion: '2024-10-21', deployments: [{ alias: 'gpt-4o', deployment: 'my-gpt4o' }] } }
      : {}),
    ...overrides,
  });
}

export function adapterFor(
  testCase: KindCase,
  server: FakeProviderServer,
  options: { timeoutMs?: number; key?: string | null; connection?: Partial<Connection>; fetch?: typeof fetch } = {},
): ProviderAdapter {
  const key = options.key === undefined ? KEY : options.key;
  return createProviderAdapter(connectionFor(testCase, server, options.connection), key, {
    timeoutMs: options.timeoutMs ?? 5_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export function textRequest(model: string, overrides: Partial<ModelRequest> = {}): ModelRequest {
  return { model, messages: [{ role: 'user', content: 'Say hello to the test suite, please.' }], ...overrides };
}

export interface StreamOutcome {
  parts: ProviderStreamPart[];
  text: string;
  error: AppError | undefined;
  /** Anything thrown that was not an AppErrorException (a bug in the adapter). */
  unexpected: unknown;
}

export async function runStream(
  adapter: ProviderAdapter,
  request: ModelRequest,
  signal: AbortSignal = new AbortController().signal,
): Promise<StreamOutcome> {
  const parts: ProviderStreamPart[] = [];
  const outcome: StreamOutcome = { parts, text: '', error: undefined, unexpected: undefined };
  try {
    for await (const part of adapter.stream(request, { signal })) parts.push(part);
  } catch (error) {
    if (error instanceof AppErrorException) outcome.error = error.appError;
    else outcome.unexpected = error;
  }
  outcome.text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('');
  return outcome;
}

export async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppErrorException) return error.appError;
    throw new Error(`expected an AppErrorException, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to fail');
}

/** The key, or any 8-character run of it, anywhere in the error. */
export function leaksKey(error: AppError | undefined, key = KEY): boolean {
  if (!error) return false;
  const serialized = JSON.stringify(error);
  for (let start = 0; start + 8 <= key.length; start += 1) {
    if (serialized.includes(key.slice(start, start + 8))) return true;
  }
  return serialized.includes(key.slice(-4)) && /\*{2,}/.test(serialized);
}
