// Gateway overhead: the same openai SDK client calls the fake provider directly, through a minimal
// keep-alive forwarding proxy (forwarding-proxy.ts: no routing, no log) and through the headless
// gateway, each a separate process as in real use, side by side in one run. Requests are
// interleaved one by one (concurrency 1) or in alternating rounds (concurrency 50), so machine
// noise lands on every side alike. The provider answers at once with a short reply, no faults,
// so what is measured is the added hop: HTTP in, routing, the provider call, HTTP out.
//
// GATEWAY_BENCH_BASELINE=<checkout> adds a fourth side: the gateway of another checkout of this
// repository (an earlier commit, with its own node_modules), so a change is judged against the code
// it replaces in the same run. GATEWAY_BENCH_PROFILE=<dir> writes CPU profiles of the gateways there.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { startFakeProviderServer } from '../helpers/fake-provider-server.ts';
import type { Figure } from './run.ts';
import { freePort } from '../helpers/free-port.ts';

const root = resolve(import.meta.dirname, '../..');
const key = 'sk-bench-0000';
const token = 'bench-token-0123456789abcdef0123456789abcdef';
const messages = [{ role: 'user' as const, content: 'Say hello.' }];
const serialCount = Number(process.env['GATEWAY_BENCH_SERIAL'] ?? 1_500);
const baselineCheckout = process.env['GATEWAY_BENCH_BASELINE'];
const concurrency = 50;
// GATEWAY_BENCH_MEMORY_CALLS shortens the memory run while working on something else.
const memoryCalls = Number(process.env['GATEWAY_BENCH_MEMORY_CALLS'] ?? 100_000);
// GATEWAY_BENCH_ONLY=memory runs the memory figure alone (while working on it).
const memoryOnly = process.env['GATEWAY_BENCH_ONLY'] === 'memory';
const scaleModel = 'agent/builder';
const perWorker = 20;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

interface ServerProcess {
  url: string;
  /** CPU time the process has used so far (all its threads), in ms; null where /proc is missing. */
  cpuMs(): number | null;
  /** Sends one command line to a gateway host (gateway-host.ts) and resolves with its JSON answer. */
  command(line: string): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <args>` in `cwd` and waits for its "listening on <url>" line. */
async function startProcess(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, nodeFlags: string[] = []): Promise<ServerProcess> {
  // `node --import tsx` rather than the tsx launcher, so the child's pid is the server itself.
  const profile = process.env['GATEWAY_BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['GATEWAY_BENCH_PROFILE']] : [];
  const child = spawn(process.execPath, [...profile, ...nodeFlags, '--import', 'tsx', ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  let listening = false;
  const waiting: Array<(answer: Record<string, number>) => void> = [];
  const url = await new Promise<string>((done, fail) => {
    child.stdout.setEncoding('utf8').on('data', (part: string) => {
      output += part;
      if (!listening) {
        const match = /listening on (http:\/\/\S+)\n/.exec(output);
        if (!match) return;
        listening = true;
        output = output.slice(match.index + match[0].length);
        done(match[1]!);
      }
      let end = output.indexOf('\n');
      while (end >= 0) {
        const line = output.slice(0, end);
        output = output.slice(end + 1);
        if (line.startsWith('{')) waiting.shift()?.(JSON.parse(line) as Record<string, number>);
        end = output.indexOf('\n');
      }
    });
    child.on('exit', (code) => fail(new Error(`${args[0]} exited (${code}): ${output}`)));
  });
  const clockTicksPerMs = 0.1; // USER_HZ is 100 on Linux
  return {
    url,
    cpuMs() {
      // Each thread's time on a CPU in nanoseconds (schedstat): /proc/<pid>/stat counts in 10 ms
      // ticks, which read around a call of 1 to 2 ms is 0 or 10, about 12 % noise over 500 calls.
      try {
        let nanoseconds = 0;
        for (const thread of readdirSync(`/proc/${child.pid}/task`)) {
          nanoseconds += Number(readFileSync(`/proc/${child.pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
        }
        if (Number.isFinite(nanoseconds)) return nanoseconds / 1e6;
      } catch {
        // No schedstat (or the process is gone): the tick count below.
      }
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(fields[11]) + Number(fields[12])) / clockTicksPerMs;
      } catch {
        return null;
      }
    },
    command: (line) =>
      new Promise((done) => {
        waiting.push(done);
        child.stdin.write(`${line}\n`);
      }),
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

interface GatewayShape {
  /** How many connections (all to the fake provider) and routing rules the config has. */
  connections: number;
  rules: number;
}

/** A config for the fake provider: `connections` connections, `rules` rules spread over the agents. */
function benchConfig(providerUrl: string, shape: GatewayShape): unknown {
  const connections = Array.from({ length: shape.connections }, (_, index) => ({
    id: index === 0 ? 'fake' : `fake-${index}`,
    kind: 'openai',
    baseUrl: `${providerUrl}/v1`,
    defaultModel: 'gpt-4o',
  }));
  const contexts = ['default', 'agent:builder', 'agent:planner', 'agent:research', 'agent:vision_agent'];
  const rules = Array.from({ length: shape.rules }, (_, index) => ({
    context: contexts[index % contexts.length]!,
    connectionId: connections[(index * 7) % connections.length]!.id,
    priority: index % 10,
  }));
  return shape.rules > 0 ? { connections, routing: { rules } } : { connections };
}

/** The gateway of `checkout` in a gateway host (gateway-host.ts), keys from the environment. */
function startGateway(checkout: string, providerUrl: string, directory: string, shape: GatewayShape): Promise<ServerProcess> {
  const config = join(directory, 'bench.json');
  writeFileSync(config, JSON.stringify(benchConfig(providerUrl, shape)));
  const keys = Object.fromEntries(
    Array.from({ length: shape.connections }, (_, index) => [index === 0 ? 'SWITCHBOARD_KEY_FAKE' : `SWITCHBOARD_KEY_FAKE_${index}`, key]),
  );
  const args = ['test/bench/gateway-host.ts', resolve(checkout), '--config', config, '--token', token, '--data-dir', directory];
  return startProcess(root, args, keys, ['--expose-gc']);
}

/**
 * The app's gateway: the services thread of `checkout` started by a stand-in for Electron's main
 * thread (app-host.ts), which measures its own event loop while the gateway serves from the thread.
 */
async function startAppGateway(
  checkout: string,
  providerUrl: string,
  directory: string,
): Promise<{ process: ServerProcess; token: string }> {
  const args = [
    'test/bench/app-host.ts',
    resolve(checkout),
    '--provider',
    providerUrl,
    '--key',
    key,
    '--port',
    String(await freePort()),
    '--data-dir',
    directory,
  ];
  const started = await startProcess(root, args, {}, ['--expose-gc']);
  return { process: started, token: readFileSync(join(directory, 'bench-token'), 'utf8') };
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

/** One way of reaching the provider: straight, through the proxy, through a gateway. */
interface Side {
  name: string;
  plain: Call;
  stream: Call;
  process?: ServerProcess;
  /** The process is a gateway host, which answers gateway-host.ts commands. */
  host?: boolean;
}

type Times = Map<string, number[]>;

/** `count` calls per side, one side after another, the order rotated every call. */
async function serial(sides: Side[], kind: 'plain' | 'stream', count: number, cpu?: Map<string, number>): Promise<Times> {
  const times: Times = new Map(sides.map((side) => [side.name, []]));
  for (let index = 0; index < count; index += 1) {
    for (let offset = 0; offset < sides.length; offset += 1) {
      const side = sides[(index + offset) % sides.length]!;
      const before = side.process?.cpuMs() ?? null;
      times.get(side.name)!.push(await side[kind]());
      const after = side.process?.cpuMs() ?? null;
      if (cpu && before !== null && after !== null) cpu.set(side.name, (cpu.get(side.name) ?? 0) + after - before);
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

/** Requests per second at concurrency 50, per side, the latencies seen and a gateway's event-loop delay meanwhile. */
async function concurrent(sides: Side[], kind: 'plain' | 'stream', rotation: number) {
  const result = new Map<string, { latencies: number[]; rate: number; delayP99?: number }>();
  for (let offset = 0; offset < sides.length; offset += 1) {
    const side = sides[(rotation + offset) % sides.length]!;
    if (side.host) await side.process!.command('delay-reset');
    const measured = await concurrentRound(side[kind]);
    const delay = side.host ? await side.process!.command('delay') : undefined;
    result.set(side.name, {
      latencies: measured.latencies,
      rate: measured.latencies.length / measured.seconds,
      ...(delay ? { delayP99: delay['p99']! } : {}),
    });
  }
  return result;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** What one round measured for one side. */
interface RoundFigures {
  plainP50: number;
  plainP99: number;
  streamP50: number;
  streamP99: number;
  busyP50: number;
  busyP99: number;
  busyStreamP50: number;
  busyStreamP99: number;
  rate: number;
  /** Process CPU per non-streamed call, ms (null for the direct side). */
  cpuPerCall: number | null;
  /** p99 event-loop delay of a gateway's process while it served concurrency 50 (the worse of plain and stream), ms. */
  delayP99: number | null;
  /** Process CPU per non-streamed agent call, 1-connection and 50-connection configs (gateway side only). */
  agentCpuPerCall?: number;
  wideAgentCpuPerCall?: number;
}

async function measureRound(sides: Side[], scale: Side[], rotation: number, count: number): Promise<Map<string, RoundFigures>> {
  const cpu = new Map<string, number>();
  const plain = await serial(sides, 'plain', count, cpu);
  const scaleCpu = new Map<string, number>();
  await serial(scale, 'plain', count, scaleCpu);
  const stream = await serial(sides, 'stream', count);
  const busy = await concurrent(sides, 'plain', rotation);
  const busyStream = await concurrent(sides, 'stream', rotation);
  return new Map(
    sides.map((side) => {
      const figures: RoundFigures = {
        plainP50: percentile(plain.get(side.name)!, 0.5),
        plainP99: percentile(plain.get(side.name)!, 0.99),
        streamP50: percentile(stream.get(side.name)!, 0.5),
        streamP99: percentile(stream.get(side.name)!, 0.99),
        busyP50: percentile(busy.get(side.name)!.latencies, 0.5),
        busyP99: percentile(busy.get(side.name)!.latencies, 0.99),
        busyStreamP50: percentile(busyStream.get(side.name)!.latencies, 0.5),
        busyStreamP99: percentile(busyStream.get(side.name)!.latencies, 0.99),
        rate: busy.get(side.name)!.rate,
        cpuPerCall: cpu.has(side.name) ? cpu.get(side.name)! / count : null,
        delayP99: side.host ? Math.max(busy.get(side.name)!.delayP99!, busyStream.get(side.name)!.delayP99!) : null,
      };
      if (side.name === 'gateway') {
        figures.agentCpuPerCall = scaleCpu.get('agent')! / count;
        figures.wideAgentCpuPerCall = scaleCpu.get('wide-agent')! / count;
      }
      return [side.name, figures];
    }),
  );
}

interface Memory {
  afterFirst: number;
  afterAll: number;
  /** Growth of the JavaScript heap over the same calls, MB. */
  heapGrowth: number;
  /** Calls that failed, as "<count> x <status>", or "none". */
  failures: string;
  /** The growth read after a plain full GC, with the freed pages V8 keeps for reuse. */
  pooledGrowth: number;
}

/**
 * Resident memory of a gateway after `first` calls and again after `total`, at concurrency 50, each
 * read after a full collection: what stays behind per call (caches, the log's queue, listeners).
 */
async function memoryGrowth(gateway: ServerProcess, first: number, total: number, forget: () => void): Promise<Memory> {
  const body = JSON.stringify({ model: 'switchboard/primary', messages });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let sent = 0;
  // Calls that failed, by status: reported, not fatal (a memory figure is still a memory figure).
  const failures = new Map<number, number>();
  const callUntil = async (count: number) => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < count) {
          sent += 1;
          const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers, body });
          if (!response.ok) failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
          await response.arrayBuffer();
          if (sent % 1_000 === 0) forget();
        }
      }),
    );
  };
  await callUntil(first);
  const early = await gateway.command('rss');
  await callUntil(total);
  const late = await gateway.command('rss');
  return {
    afterFirst: early['rssMb']!,
    afterAll: late['rssMb']!,
    heapGrowth: late['heapMb']! - early['heapMb']!,
    pooledGrowth: late['pooledRssMb']! - early['pooledRssMb']!,
    failures: [...failures].map(([status, count]) => `${count} x ${status}`).join(', ') || 'none',
  };
}

export async function run(): Promise<Figure[]> {
  const provider = await startFakeProviderServer({ name: 'bench', reply: 'Hello from the fake provider.', chunkSize: 8 });
  provider.setExpectedKey(key);
  const directories: string[] = [];
  const directory = () => {
    const made = mkdtempSync(join(tmpdir(), 'switchboard-gateway-bench-'));
    directories.push(made);
    return made;
  };
  const processes: ServerProcess[] = [];
  try {
    if (memoryOnly) {
      const alone = await startGateway(root, provider.url, directory(), { connections: 1, rules: 0 });
      processes.push(alone);
      return [memoryFigure(await memoryGrowth(alone, 1_000, memoryCalls, () => (provider.requests.length = 0)))];
    }
    const gateway = await startGateway(root, provider.url, directory(), { connections: 1, rules: 0 });
    processes.push(gateway);
    const wide = await startGateway(root, provider.url, directory(), { connections: 50, rules: 500 });
    processes.push(wide);
    const proxy = await startProcess(root, ['test/bench/forwarding-proxy.ts', provider.url]);
    processes.push(proxy);
    // The app's gateway, served from its services thread, with a stand-in for Electron's main thread.
    const app = await startAppGateway(root, provider.url, directory());
    processes.push(app.process);
    const baseline = baselineCheckout
      ? await startGateway(resolve(baselineCheckout), provider.url, directory(), { connections: 1, rules: 0 })
      : undefined;
    if (baseline) processes.push(baseline);

    const client = (url: string, apiKey: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });
    const side = (name: string, openai: OpenAI, model: string, process?: ServerProcess): Side => ({
      name,
      plain: plainCall(openai, model),
      stream: streamCall(openai, model),
      ...(process ? { process, host: process !== proxy } : {}),
    });
    const sides: Side[] = [
      side('direct', client(provider.url, key), 'gpt-4o'),
      side('proxy', client(proxy.url, key), 'gpt-4o', proxy),
      side('gateway', client(gateway.url, token), 'switchboard/primary', gateway),
      side('app', client(app.process.url, app.token), 'switchboard/primary', app.process),
      ...(baseline ? [side('baseline', client(baseline.url, token), 'switchboard/primary', baseline)] : []),
    ];
    // The same agent's calls (its rules: none, or a hundred of the 500) on 1 and on 50 connections.
    const scale: Side[] = [
      side('agent', client(gateway.url, token), scaleModel, gateway),
      side('wide-agent', client(wide.url, token), scaleModel, wide),
    ];
    // Warm up every side (JIT, connection pools, the gateway's adapter and plan caches).
    await serial(sides, 'plain', 300);
    await serial(sides, 'stream', 300);
    await serial(scale, 'plain', 300);
    await concurrent(sides, 'plain', 0);
    // The 50-connection gateway serves only the scale calls, the other one every gateway side's
    // too: it gets as many warm-up calls as those, so it is not still compiling its hot path
    // (V8's compiler threads busy) while the first round measures it.
    await serial([scale[1]!], 'plain', 300 + 300 + concurrency * perWorker);

    const rounds: Array<Map<string, RoundFigures>> = [];
    const perRound = Math.max(1, Math.round(serialCount / 3));
    for (let index = 0; index < 3; index += 1) {
      rounds.push(await measureRound(sides, scale, index, perRound));
      // The fake keeps every request it saw; it is not what is measured.
      provider.requests.length = 0;
    }
    // A fresh gateway, so what the rounds left behind is not counted.
    const fresh = await startGateway(root, provider.url, directory(), { connections: 1, rules: 0 });
    processes.push(fresh);
    const memory = await memoryGrowth(fresh, 1_000, memoryCalls, () => {
      provider.requests.length = 0;
    });
    return figuresFrom(rounds, perRound, baseline !== undefined, memory);
  } finally {
    for (const process of processes) await process.stop();
    await provider.close();
    for (const made of directories) rmSync(made, { recursive: true, force: true });
  }
}

/** The published figures: each the median over the rounds of a figure taken within one round. */
function figuresFrom(rounds: Array<Map<string, RoundFigures>>, perRound: number, withBaseline: boolean, memory: Memory): Figure[] {
  const over = (pick: (round: Map<string, RoundFigures>) => number) => round(median(rounds.map(pick)));
  const of = (name: string, round: Map<string, RoundFigures>) => round.get(name)!;
  const added = (name: string, key: keyof RoundFigures, base: string) =>
    over((one) => (of(name, one)[key] as number) - (of(base, one)[key] as number));
  const samples = `${perRound} interleaved calls per side in each of ${rounds.length} rounds; median of the rounds`;
  const busy = `${concurrency * perWorker} calls per side at concurrency ${concurrency} in each round`;
  const sideFigures = (name: string, label: string): Figure[] => [
    {
      name: `${label}-added-p50-ms`,
      value: added(name, 'plainP50', 'direct'),
      unit: 'ms',
      baseline: over((one) => of('direct', one).plainP50),
      note: `non-stream, concurrency 1, ${samples}; baseline = direct p50`,
    },
    { name: `${label}-added-p99-ms`, value: added(name, 'plainP99', 'direct'), unit: 'ms', note: 'non-stream, concurrency 1' },
    {
      name: `${label}-stream-ttfb-added-p50-ms`,
      value: added(name, 'streamP50', 'direct'),
      unit: 'ms',
      note: 'time to first token, concurrency 1',
    },
    { name: `${label}-stream-ttfb-added-p99-ms`, value: added(name, 'streamP99', 'direct'), unit: 'ms', note: 'time to first token' },
    { name: `${label}-added-p50-ms-c50`, value: added(name, 'busyP50', 'direct'), unit: 'ms', note: `non-stream, ${busy}` },
    { name: `${label}-added-p99-ms-c50`, value: added(name, 'busyP99', 'direct'), unit: 'ms', note: 'non-stream, concurrency 50' },
    {
      name: `${label}-stream-ttfb-added-p50-ms-c50`,
      value: added(name, 'busyStreamP50', 'direct'),
      unit: 'ms',
      note: 'time to first token, concurrency 50',
    },
    {
      name: `${label}-throughput-c50`,
      value: Math.round(median(rounds.map((one) => of(name, one).rate))),
      unit: 'req/s',
      baseline: Math.round(median(rounds.map((one) => of('direct', one).rate))),
      note: 'non-stream, concurrency 50; baseline = direct',
    },
    {
      name: `${label}-cpu-per-call-ms`,
      value: over((one) => of(name, one).cpuPerCall ?? Number.NaN),
      unit: 'ms',
      note: 'CPU time of the process (all threads, call log included) per non-streamed call; less sensitive to a busy machine than latency',
    },
    // The app side's delay is its main thread's: main-event-loop-delay-under-gateway-load-p99-ms.
    ...(rounds[0]!.get(name)!.delayP99 === null || name === 'app'
      ? []
      : [
          {
            name: `${label}-event-loop-delay-p99-ms-c50`,
            value: over((one) => of(name, one).delayP99!),
            unit: 'ms',
            note: 'p99 event-loop delay of its process while serving concurrency 50',
          },
        ]),
  ];
  const ratio = (numerator: (one: Map<string, RoundFigures>) => number, denominator: (one: Map<string, RoundFigures>) => number) =>
    over((one) => numerator(one) / denominator(one));
  const addedIn = (name: string, key: 'plainP50' | 'streamP50', one: Map<string, RoundFigures>) =>
    of(name, one)[key] - of('direct', one)[key];
  const figures: Figure[] = [
    ...sideFigures('gateway', 'gateway'),
    {
      name: 'gateway-throughput-ratio-c50',
      value: ratio(
        (one) => of('gateway', one).rate,
        (one) => of('direct', one).rate,
      ),
      unit: 'x',
      baseline: 1,
      note: 'non-stream at concurrency 50, gateway / direct',
    },
    {
      name: 'gateway-added-vs-proxy-ratio',
      value: ratio(
        (one) => addedIn('gateway', 'plainP50', one),
        (one) => addedIn('proxy', 'plainP50', one),
      ),
      unit: 'x',
      target: '<= 1.5',
      note: 'added p50, non-stream, concurrency 1: gateway / forwarding proxy',
    },
    {
      name: 'gateway-stream-ttfb-vs-proxy-ratio',
      value: ratio(
        (one) => addedIn('gateway', 'streamP50', one),
        (one) => addedIn('proxy', 'streamP50', one),
      ),
      unit: 'x',
      target: '<= 1.5',
      note: 'added time to first token p50, concurrency 1: gateway / forwarding proxy',
    },
    {
      name: 'gateway-cpu-vs-proxy-ratio',
      value: ratio(
        (one) => of('gateway', one).cpuPerCall!,
        (one) => of('proxy', one).cpuPerCall!,
      ),
      unit: 'x',
      target: '<= 2',
      note: 'process CPU per non-streamed call: gateway / forwarding proxy',
    },
    {
      name: 'gateway-throughput-vs-proxy-ratio-c50',
      value: ratio(
        (one) => of('gateway', one).rate,
        (one) => of('proxy', one).rate,
      ),
      unit: 'x',
      target: '>= 0.7',
      note: 'non-stream requests per second at concurrency 50: gateway / forwarding proxy',
    },
    {
      name: 'gateway-cpu-per-call-ms-50-connections',
      value: over((one) => of('gateway', one).wideAgentCpuPerCall!),
      unit: 'ms',
      baseline: over((one) => of('gateway', one).agentCpuPerCall!),
      target: 'within 10% of baseline',
      note: `${scaleModel}, non-stream, concurrency 1, 50 connections and 500 rules; baseline = the same calls on 1 connection, no rules, interleaved`,
    },
    {
      name: 'gateway-cpu-50-vs-1-connection-ratio',
      value: ratio(
        (one) => of('gateway', one).wideAgentCpuPerCall!,
        (one) => of('gateway', one).agentCpuPerCall!,
      ),
      unit: 'x',
      target: '<= 1.1',
      note: 'process CPU per call: 50 connections and 500 rules / 1 connection',
    },
    memoryFigure(memory),
    {
      name: 'main-event-loop-delay-under-gateway-load-p99-ms',
      value: over((one) => of('app', one).delayP99!),
      unit: 'ms',
      target: '<= 16',
      note: "p99 event-loop delay of the app's main thread (app-host.ts standing in for Electron's) while the app's gateway serves concurrency 50 from the services thread, plain or streamed, the worse of the two",
    },
    ...sideFigures('app', 'app-gateway'),
    ...sideFigures('proxy', 'proxy'),
  ];
  if (withBaseline) {
    figures.push(...sideFigures('baseline', 'baseline-gateway'), {
      name: 'gateway-cpu-vs-baseline-ratio',
      value: ratio(
        (one) => of('gateway', one).cpuPerCall!,
        (one) => of('baseline', one).cpuPerCall!,
      ),
      unit: 'x',
      note: `process CPU per non-streamed call: this checkout's gateway / the one at ${baselineCheckout}`,
    });
  }
  return figures;
}

/** Resident memory left behind per call: what the memory run measured. */
function memoryFigure(memory: Memory): Figure {
  return {
    name: 'gateway-rss-growth-mb-100k',
    value: round(memory.afterAll - memory.afterFirst),
    unit: 'MB',
    baseline: memory.afterFirst,
    target: '<= 20',
    note: `resident memory after ${memoryCalls} calls minus after 1,000 (each after a memory-reducing full GC), concurrency 50; baseline = after 1,000; the JavaScript heap grew ${round(memory.heapGrowth)} MB; read after a plain full GC, which leaves freed pages mapped for reuse, it grew ${round(memory.pooledGrowth)} MB; failed calls: ${memory.failures}`,
  };
}
