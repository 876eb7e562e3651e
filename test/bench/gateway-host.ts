// The process the gateway benchmark runs a gateway in: the headless gateway of a checkout
// (startHeadlessGateway, as `npm run gateway` starts it), plus what the benchmark reads from inside:
// the event loop's delay (the thread the gateway serves from is the app's main thread in the app)
// and resident memory after a full collection. Commands arrive one per line on stdin; each answer is
// one JSON line on stdout:
//   delay-reset         starts a new event-loop delay window            -> {"ok":true}
//   delay               p50/p99/max delay of the window, in ms          -> {"p50":..,"p99":..,"max":..}
//   rss                 resident and heap MB after a memory-reducing gc (--expose-gc), and resident
//                       MB after a plain full gc before it -> {"rssMb":..,"heapMb":..,"pooledRssMb":..}
// `node --expose-gc --import tsx gateway-host.ts <checkout> --config <file> --token <t> --data-dir <dir>`
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const [checkout, ...rest] = process.argv.slice(2);
if (!checkout) throw new Error('usage: gateway-host.ts <checkout> --config <file> --token <token> --data-dir <dir>');
const { values } = parseArgs({
  args: rest,
  options: { config: { type: 'string' }, token: { type: 'string' }, 'data-dir': { type: 'string' } },
  strict: true,
});

interface Started {
  url: string;
  close(): Promise<void>;
}
const module = (await import(pathToFileURL(join(resolve(checkout), 'src-main/gateway/headless-gateway.ts')).href)) as {
  startHeadlessGateway(options: Record<string, unknown>): Promise<Started>;
};
const gateway = await module.startHeadlessGateway({
  config: values.config!,
  port: 0,
  token: values.token!,
  dataDirectory: values['data-dir']!,
  useKeychain: false,
  warn: (line: string) => process.stderr.write(`${line}\n`),
});

// 1 ms resolution: the figure is a p99 against a 16 ms frame.
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e4) / 100;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

const answer = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  switch (line.trim()) {
    case 'delay-reset':
      delay.reset();
      answer({ ok: true });
      return;
    case 'delay':
      answer({ p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) });
      return;
    case 'rss': {
      // A plain full collection leaves the pages it freed mapped for reuse; a memory-reducing one (what
      // V8 runs by itself once the process idles) gives them back, so what is left is what calls retain.
      const gc = (globalThis as { gc?: (options?: { type: string; execution: string; flavor: string }) => void }).gc;
      gc?.();
      const pooledRssMb = mb(process.memoryUsage.rss());
      gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      answer({ rssMb: mb(process.memoryUsage.rss()), heapMb: mb(process.memoryUsage().heapUsed), pooledRssMb });
      return;
    }
    default:
      answer({ error: `unknown command ${line}` });
  }
});

process.stdout.write(`Switchboard gateway listening on ${gateway.url}\n`);
process.on('SIGTERM', () => {
  delay.disable();
  void gateway.close().then(() => process.exit(0));
});
