// Gateway overhead: the same openai SDK client calls the fake provider directly and through the
// headless gateway (a separate process, as in real use), side by side in one run. Requests are
// interleaved one by one (concurrency 1) or in alternating rounds (concurrency 50), so machine
// noise lands on both sides alike. The provider answers at once with a short reply, no faults,
// so what is measured is our added hop: HTTP in, routing, the provider call, HTTP out.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { startFakeProviderServer } from '../helpers/fake-provider-server.ts';
import type { Figure } from './run.ts';

const root = resolve(import.meta.dirname, '../..');
const key = 'sk-bench-0000';
const token = 'bench-token';
const messages = [{ role: 'user' as const, content: 'Say hello.' }];
const serialCount = Number(process.env['GATEWAY_BENCH_SERIAL'] ?? 1_500);
const concurrentRounds = Number(process.env['GATEWAY_BENCH_ROUNDS'] ?? 6);
const concurrency = 50;
const perWorker = 20;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

interface GatewayProcess {
  url: string;
  /** CPU time the gateway process has used so far (all its threads), in ms; null where /proc is missing. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

async function startGatewayProcess(providerUrl: string, directory: string): Promise<GatewayProcess> {
  const config = join(directory, 'bench.json');
  writeFileSync(
    config,
    JSON.stringify({ connections: [{ id: 'fake', kind: 'openai', baseUrl: `${providerUrl}/v1`, defaultModel: 'gpt-4o' }] }),
  );
  // `node --import tsx` rather than the tsx launcher, so the child's pid is the gateway itself.
  // GATEWAY_BENCH_PROFILE=<dir> writes a CPU profile of the gateway process there.
  const profile = process.env['GATEWAY_BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['GATEWAY_BENCH_PROFILE']] : [];
  const args = [
    ...profile,
    '--import',
    'tsx',
    'src-main/gateway/headless.ts',
    '--config',
    config,
    '--port',
    '0',
    '--token',
    token,
    '--no-keychain',
    '--data-dir',
    directory,
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, SWITCHBOARD_KEY_FAKE: key },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    child.stdout.setEncoding('utf8').on('data', (part: string) => {
      output += part;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) done(match[1]!);
    });
    child.on('exit', (code) => fail(new Error(`the gateway exited (${code}): ${output}`)));
  });
  const clockTicksPerMs = 0.1; // USER_HZ is 100 on Linux
  return {
    url,
    cpuMs() {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(fields[11]) + Number(fields[12])) / clockTicksPerMs;
      } catch {
        return null;
      }
    },
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

type Call = () => Promise<number>;

/** Milliseconds for one non-streamed completion. */
function plainCall(client: OpenAI, model: string): Call {
  return async () => {
    const started = performance.now();
    await client.chat.completions.create({ model, messages });
    return performance.now() - started;
  };
}

/** Milliseconds until the first content token of a stream; the rest is read but not timed. */
function streamCall(client: OpenAI, model: string): Call {
  return async () => {
    const started = performance.now();
    let firstToken = Number.NaN;
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    for await (const chunk of stream) {
      if (Number.isNaN(firstToken) && chunk.choices[0]?.delta.content) firstToken = performance.now() - started;
    }
    return firstToken;
  };
}

async function serial(direct: Call, gateway: Call, count: number) {
  const times = { direct: [] as number[], gateway: [] as number[] };
  for (let index = 0; index < count; index += 1) {
    // Alternating who goes first keeps any warm-cache advantage from favouring one side.
    if (index % 2 === 0) {
      times.direct.push(await direct());
      times.gateway.push(await gateway());
    } else {
      times.gateway.push(await gateway());
      times.direct.push(await direct());
    }
  }
  return times;
}

async function concurrentRound(call: Call): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = 0; index < perWorker; index += 1) latencies.push(await call());
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

async function concurrent(direct: Call, gateway: Call, rounds: number) {
  const result = { direct: { latencies: [] as number[], seconds: 0 }, gateway: { latencies: [] as number[], seconds: 0 } };
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? (['direct', 'gateway'] as const) : (['gateway', 'direct'] as const);
    for (const side of order) {
      const measured = await concurrentRound(side === 'direct' ? direct : gateway);
      result[side].latencies.push(...measured.latencies);
      result[side].seconds += measured.seconds;
    }
  }
  return result;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function added(name: string, direct: number[], gateway: number[], fraction: number, target?: string, note?: string): Figure {
  const baseline = percentile(direct, fraction);
  const figure: Figure = { name, value: round(percentile(gateway, fraction) - baseline), unit: 'ms', baseline: round(baseline) };
  if (target) figure.target = target;
  if (note) figure.note = note;
  return figure;
}

export async function run(): Promise<Figure[]> {
  const provider = await startFakeProviderServer({ name: 'bench', reply: 'Hello from the fake provider.', chunkSize: 8 });
  provider.setExpectedKey(key);
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-gateway-bench-'));
  const gatewayProcess = await startGatewayProcess(provider.url, directory);
  try {
    const direct = new OpenAI({ baseURL: `${provider.url}/v1`, apiKey: key, maxRetries: 0 });
    const viaGateway = new OpenAI({ baseURL: `${gatewayProcess.url}/v1`, apiKey: token, maxRetries: 0 });
    const calls = {
      plain: { direct: plainCall(direct, 'gpt-4o'), gateway: plainCall(viaGateway, 'switchboard/primary') },
      stream: { direct: streamCall(direct, 'gpt-4o'), gateway: streamCall(viaGateway, 'switchboard/primary') },
    };
    // Warm up both sides (JIT, connection pools, the gateway's adapter and plan caches).
    await serial(calls.plain.direct, calls.plain.gateway, 300);
    await serial(calls.stream.direct, calls.stream.gateway, 300);
    await concurrent(calls.plain.direct, calls.plain.gateway, 1);

    const cpuBefore = gatewayProcess.cpuMs();
    const plain = await serial(calls.plain.direct, calls.plain.gateway, serialCount);
    const cpuAfter = gatewayProcess.cpuMs();
    const stream = await serial(calls.stream.direct, calls.stream.gateway, serialCount);
    const plainBusy = await concurrent(calls.plain.direct, calls.plain.gateway, concurrentRounds);
    const streamBusy = await concurrent(calls.stream.direct, calls.stream.gateway, concurrentRounds);
    // The fake keeps every request it saw; it is not what is measured.
    provider.requests.length = 0;

    const directRate = plainBusy.direct.latencies.length / plainBusy.direct.seconds;
    const gatewayRate = plainBusy.gateway.latencies.length / plainBusy.gateway.seconds;
    const samples = `${serialCount} interleaved calls per side`;
    const busySamples = `${concurrentRounds * concurrency * perWorker} calls per side at concurrency ${concurrency}`;
    return [
      added(
        'gateway-added-p50-ms',
        plain.direct,
        plain.gateway,
        0.5,
        '<= 0.3',
        `non-stream, concurrency 1, ${samples}; baseline = direct p50`,
      ),
      added('gateway-added-p99-ms', plain.direct, plain.gateway, 0.99, undefined, 'non-stream, concurrency 1; baseline = direct p99'),
      added(
        'gateway-stream-ttfb-added-p50-ms',
        stream.direct,
        stream.gateway,
        0.5,
        '<= 0.5',
        `time to first token, concurrency 1, ${samples}`,
      ),
      added('gateway-stream-ttfb-added-p99-ms', stream.direct, stream.gateway, 0.99, undefined, 'time to first token, concurrency 1'),
      added(
        'gateway-added-p50-ms-c50',
        plainBusy.direct.latencies,
        plainBusy.gateway.latencies,
        0.5,
        undefined,
        `non-stream, ${busySamples}`,
      ),
      added(
        'gateway-added-p99-ms-c50',
        plainBusy.direct.latencies,
        plainBusy.gateway.latencies,
        0.99,
        undefined,
        'non-stream, concurrency 50',
      ),
      added(
        'gateway-stream-ttfb-added-p50-ms-c50',
        streamBusy.direct.latencies,
        streamBusy.gateway.latencies,
        0.5,
        undefined,
        `time to first token, ${busySamples}`,
      ),
      added(
        'gateway-stream-ttfb-added-p99-ms-c50',
        streamBusy.direct.latencies,
        streamBusy.gateway.latencies,
        0.99,
        undefined,
        'time to first token, concurrency 50',
      ),
      {
        name: 'gateway-throughput-ratio-c50',
        value: round(gatewayRate / directRate),
        unit: 'x',
        target: '>= 0.5',
        baseline: 1,
        note: `non-stream at concurrency ${concurrency}: gateway ${Math.round(gatewayRate)} req/s, direct ${Math.round(directRate)} req/s`,
      },
      {
        name: 'gateway-throughput-c50',
        value: Math.round(gatewayRate),
        unit: 'req/s',
        baseline: Math.round(directRate),
        note: 'non-stream, concurrency 50; baseline = direct',
      },
      ...(cpuBefore === null || cpuAfter === null
        ? []
        : [
            {
              name: 'gateway-cpu-per-call-ms',
              value: round((cpuAfter - cpuBefore) / serialCount),
              unit: 'ms',
              note: 'CPU time of the gateway process (all threads, call log included) per non-streamed call; less sensitive to a busy machine than latency',
            },
          ]),
    ];
  } finally {
    await gatewayProcess.stop();
    await provider.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
