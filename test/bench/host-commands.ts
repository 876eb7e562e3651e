// The commands a benchmark host (gateway-host.ts, app-host.ts) answers, one per line on stdin, each
// answered with one JSON line on stdout:
//   delay-reset   starts a new event-loop delay window of this thread     -> {"ok":true}
//   delay         p50/p99/max delay of the window, in ms                  -> {"p50":..,"p99":..,"max":..}
//   rss           resident and heap MB after a memory-reducing gc (--expose-gc), and resident MB
//                 after a plain full gc before it -> {"rssMb":..,"heapMb":..,"pooledRssMb":..}
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

/** Answers the commands; `onReset` runs with each new delay window. Returns a function that stops measuring. */
export function answerHostCommands(onReset: () => void = () => undefined): () => void {
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
        onReset();
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
  return () => delay.disable();
}
