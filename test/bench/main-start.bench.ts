// main-start-ms: the built main process's own start-up (module load, settings, IPC registration,
// until it asks its window to load) under the e2e runtime; window-ready-ms: until the app frame shows.
import { performance } from 'node:perf_hooks';
import { launchApp } from '../e2e/helpers/launch-app';
import type { Figure } from './run';

const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(): Promise<Figure[]> {
  const mainStart: number[] = [];
  const windowReady: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const started = performance.now();
    const app = await launchApp();
    await app.page.locator('.sidebar').waitFor();
    windowReady.push(performance.now() - started);
    const record = app.runtimeRecord();
    if (record.mainStartMs !== null) mainStart.push(record.mainStartMs);
    await app.close();
  }
  return [
    { name: 'main-start-ms', value: median(mainStart), unit: 'ms', target: '<= 500', note: `median of ${RUNS} starts` },
    { name: 'window-ready-ms', value: median(windowReady), unit: 'ms', note: 'includes starting Chromium' },
  ];
}
