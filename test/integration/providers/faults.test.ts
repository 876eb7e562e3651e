import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src-shared/errors/app-error';
import type { ProviderKind } from '../../../src-shared/schemas/connection';
import { startFakeProviderServer, type FakeProviderServer, type FaultName } from '../../helpers/fake-provider-server.ts';
import { adapterFor, failureOf, KEY, kindCases, leaksKey, runStream, textRequest, type KindCase } from './provider-harness';

let server: FakeProviderServer;

beforeAll(async () => {
  server = await startFakeProviderServer({ name: 'faults', chunkSize: 4 });
});

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  await server.reset();
});

interface StatusFaultCase {
  fault: FaultName;
  code: ErrorCode;
  status?: number;
  retryAfterMs?: number;
  options?: { retryAfterSeconds?: number; status?: number };
}

const statusFaults: StatusFaultCase[] = [
  { fault: 'unauthorized', code: 'auth_invalid', status: 401 },
  { fault: 'insufficient-quota', code: 'quota_exhausted' },
  { fault: 'forbidden', code: 'permission_denied', status: 403 },
  { fault: 'model-not-found', code: 'model_not_found', status: 404 },
  { fault: 'context-too-long', code: 'context_length_exceeded', status: 400 },
  { fault: 'bad-request', code: 'bad_request', status: 400 },
  { fault: 'rate-limited', code: 'rate_limited', status: 429, retryAfterMs: 3_000, options: { retryAfterSeconds: 3 } },
  { fault: 'server-error', code: 'provider_unavailable', status: 500 },
  { fault: 'unavailable', code: 'provider_unavailable', status: 503 },
  { fault: 'overloaded', code: 'provider_overloaded', status: 529 },
];

describe.each(kindCases)('$kind maps every injected fault to one code', (testCase: KindCase) => {
  const request = textRequest(testCase.model);

  it.each(statusFaults)('$fault -> $code', async ({ fault, code, status, retryAfterMs, options }) => {
    await server.setFault(fault, options);
    const outcome = await runStream(adapterFor(testCase, server), request);

    expect(outcome.unexpected).toBeUndefined();
    expect(outcome.parts).toEqual([]);
    expect(outcome.error).toMatchObject({ code, provider: `Test ${testCase.kind}` });
    if (status !== undefined) expect(outcome.error?.status).toBe(status);
    if (retryAfterMs !== undefined) expect(outcome.error?.retryAfterMs).toBe(retryAfterMs);
    expect(outcome.error?.message).toContain(`Test ${testCase.kind}`);
    expect(leaksKey(outcome.error)).toBe(false);
  });

  it('a wrong key is auth_invalid and the masked key never reaches the message', async () => {
    server.setExpectedKey('sk-the-right-key-000000');
    const outcome = await runStream(adapterFor(testCase, server), request);
    expect(outcome.error?.code).toBe('auth_invalid');
    expect(leaksKey(outcome.error)).toBe(false);
  });

  it.each([['refused'], ['reset']] as const)('%s -> network', async (fault) => {
    await server.setFault(fault);
    const outcome = await runStream(adapterFor(testCase, server), request);
    expect(outcome.unexpected).toBeUndefined();
    expect(outcome.error?.code).toBe('network');
    expect(outcome.error?.retryable).toBe(true);
  });

  it('hang + abort -> aborted, promptly', async () => {
    await server.setFault('hang');
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 150);
    const outcome = await runStream(adapterFor(testCase, server, { timeoutMs: 10_000 }), request, controller.signal);
    expect(outcome.error?.code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('hang + deadline -> timeout', async () => {
    await server.setFault('hang');
    const started = Date.now();
    const outcome = await runStream(adapterFor(testCase, server, { timeoutMs: 300 }), request);
    expect(outcome.error?.code).toBe('timeout');
    expect(outcome.error?.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a first token later than the deadline -> timeout', async () => {
    await server.setFault('slow-first-token', { delayMs: 2_000 });
    const outcome = await runStream(adapterFor(testCase, server, { timeoutMs: 300 }), request);
    expect(outcome.error?.code).toBe('timeout');
  });

  it('abort after the first tokens stops the stream as aborted', async () => {
    await server.setFault('slow-between-chunks', { delayMs: 300 });
    const controller = new AbortController();
    const adapter = adapterFor(testCase, server, { timeoutMs: 10_000 });
    const texts: string[] = [];
    let caught: unknown;
    try {
      for await (const part of adapter.stream(request, { signal: controller.signal })) {
        if (part.type === 'text-delta') {
          texts.push(part.text);
          controller.abort();
        }
      }
    } catch (error) {
      caught = error;
    }
    expect(texts.length).toBe(1);
    expect(caught).toMatchObject({ appError: { code: 'aborted' } });
  });

  it('drop-mid-stream -> an error after some text, never a clean finish', async () => {
    await server.setFault('drop-mid-stream', { afterChunks: 2 });
    const outcome = await runStream(adapterFor(testCase, server), request);
    expect(outcome.unexpected).toBeUndefined();
    expect(outcome.parts.filter((part) => part.type === 'text-delta').length).toBe(2);
    expect(outcome.parts.some((part) => part.type === 'finish')).toBe(false);
    expect(['stream_malformed', 'network']).toContain(outcome.error?.code);
    expect(outcome.error?.fallbackable).toBe(true);
  });

  it('malformed-chunk -> stream_malformed', async () => {
    await server.setFault('malformed-chunk', { afterChunks: 1 });
    const outcome = await runStream(adapterFor(testCase, server), request);
    expect(outcome.unexpected).toBeUndefined();
    expect(outcome.error?.code).toBe('stream_malformed');
    expect(outcome.parts.some((part) => part.type === 'finish')).toBe(false);
  });

  if (testCase.keyRequired) {
    it('a missing key is auth_invalid without a request', async () => {
      const outcome = await runStream(adapterFor(testCase, server, { key: null }), request);
      expect(outcome.error?.code).toBe('auth_invalid');
      expect(outcome.error?.message).toMatch(/No API key is saved/);
      expect(server.counters.total).toBe(0);
    });
  }
});

/** Perplexity's models come from its published list, so its probe is the only models request. */
const listingKinds = kindCases.filter((testCase) => testCase.kind !== 'perplexity');

describe.each(listingKinds)('$kind: failures while listing models and probing', (testCase: KindCase) => {
  const signal = () => new AbortController().signal;

  it.each([
    ['unauthorized', 'auth_invalid'],
    ['forbidden', 'permission_denied'],
    ['server-error', 'provider_unavailable'],
    ['rate-limited', 'rate_limited'],
  ] as const)('%s on the models endpoint -> %s', async (fault, code) => {
    await server.setFault(fault, { on: 'models' });
    const adapter = adapterFor(testCase, server);
    expect((await failureOf(adapter.probe({ signal: signal() }))).code).toBe(code);
    // Azure lists its configured aliases even when the listing endpoint fails with a status it ignores.
    if (testCase.kind !== 'azure-openai') expect((await failureOf(adapter.listModels({ signal: signal() }))).code).toBe(code);
  });

  it('nothing listening -> network', async () => {
    await server.setFault('refused');
    expect((await failureOf(adapterFor(testCase, server).probe({ signal: signal() }))).code).toBe('network');
  });

  it('a probe that hangs -> timeout within the deadline', async () => {
    await server.setFault('hang', { on: 'models' });
    const started = Date.now();
    const error = await failureOf(adapterFor(testCase, server, { timeoutMs: 300 }).probe({ signal: signal() }));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an unreadable models answer -> stream_malformed', async () => {
    await server.setFault('malformed-chunk', { on: 'models' });
    const error = await failureOf(adapterFor(testCase, server).probe({ signal: signal() }));
    expect(error.code).toBe('stream_malformed');
  });
});

describe('kind-specific failure shapes', () => {
  it.each<[ProviderKind]>([['deepseek'], ['openai'], ['openrouter']])(
    '%s: a 402 "Insufficient Balance" -> quota_exhausted',
    async (kind) => {
      await server.setFault('insufficient-quota', { status: 402 });
      const outcome = await runStream(
        adapterFor(
          kindCases.find((item) => item.kind === kind)!,
          server,
        ),
        textRequest('m'),
      );
      expect(outcome.error).toMatchObject({ code: 'quota_exhausted', status: 402, retryable: false, fallbackable: true });
    },
  );

  it('a wrong base URL (404 on /models) -> not_found on the baseUrl field, not a missing model', async () => {
    const testCase = kindCases.find((item) => item.kind === 'custom')!;
    const adapter = adapterFor(testCase, server, { connection: { baseUrl: `${server.url}/nothing-here` } });
    const error = await failureOf(adapter.probe({ signal: new AbortController().signal }));
    expect(error).toMatchObject({ code: 'not_found', field: 'baseUrl', status: 404, fallbackable: true });
  });

  it('a bad request shows the provider words, without the key', async () => {
    const testCase = kindCases.find((item) => item.kind === 'openai')!;
    await server.setFault('bad-request');
    const outcome = await runStream(adapterFor(testCase, server), textRequest('gpt-4o'));
    expect(outcome.error?.code).toBe('bad_request');
    expect(outcome.error?.message).toMatch(/Invalid type/);
    expect(JSON.stringify(outcome.error)).not.toContain(KEY);
  });
});
