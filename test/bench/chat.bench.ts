// chat-open-10k-ms: switching to a 10,000-message conversation until its newest message shows.
// chat-stream-frame-p95-ms: while a 2,000-token Markdown answer with a long code block streams in at
// about 500 tokens/s, the gaps between requestAnimationFrame callbacks, p95, median of 3 runs (a
// 60 Hz display gives 16.7 ms when no frame is missed). chat-stream-frame-p95-ms-4x: the same with
// the page's CPU slowed 4x through the DevTools protocol (Emulation.setCPUThrottlingRate).
// Both in Chromium, on the real app. CHAT_BENCH_PROFILE=<dir> keeps a CPU profile of each streamed answer;
// CHAT_BENCH_BASELINE=<another checkout, built> streams in that build too, interleaved, for a side-by-side figure.
import { DatabaseSync } from 'node:sqlite';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getEncoding } from 'js-tiktoken';
import type { CDPSession, Page } from 'playwright-core';
import { startFakeProviderServer } from '../helpers/fake-provider-server';
import { launchApp, type AppHandle } from '../e2e/helpers/launch-app';
import type { Figure } from './run';

const RUNS = 5;
const APP_ENV = { SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9', SWITCHBOARD_E2E_START_TIMEOUT_MS: '120000' };
// CHAT_BENCH_RUNS=N streams N answers per speed instead of 3 (for comparing builds; the figure is defined on 3).
const STREAM_RUNS = Number(process.env.CHAT_BENCH_RUNS ?? 3);
const CODE_LINES = 150;
const END_MARK = 'That is the whole router.';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

function countTokens(text: string): number {
  return getEncoding('o200k_base').encode(text).length;
}

/** A long TypeScript listing: comments, strings, templates and nesting, CODE_LINES lines. */
function longCode(): string {
  const unit = (index: number) => [
    `/**`,
    ` * Candidate filter ${index}: drops a backend that is unhealthy, over budget or missing a capability.`,
    ` */`,
    `export function filter${index}(candidates: Candidate[], context: Context): Candidate[] {`,
    `  const kept: Candidate[] = [];`,
    `  for (const candidate of candidates) {`,
    `    if (candidate.health === 'red' || context.spent[candidate.id] > ${index * 10}) {`,
    `      context.skips.push({ id: candidate.id, reason: \`filter ${index}: \${candidate.health}\` });`,
    `      continue;`,
    `    }`,
    `    kept.push(candidate); // ${index % 2 ? 'cheapest first' : 'healthiest first'}`,
    `  }`,
    `  return kept;`,
    `}`,
    ``,
  ];
  const lines = [`import type { Candidate, Context } from './types';`, ``];
  for (let index = 1; lines.length < CODE_LINES; index += 1) lines.push(...unit(index));
  return lines.slice(0, CODE_LINES).join('\n');
}

/** About 2,000 tokens of Markdown: paragraphs, lists, tables and one long code block. */
function longAnswer(): string {
  const section = (index: number) =>
    [
      `## Part ${index}`,
      'The router builds an ordered list of candidates, filters out the unhealthy ones and explains every skip, so that a user can see why a provider answered.',
      '- first, the rules for the agent\n- then the default rules\n- then the **Primary**, with `fallback` on',
      '| step | what | cost |\n| --- | --- | --- |\n| 1 | plan | low |\n| 2 | call | depends |',
    ].join('\n\n');
  const before = Array.from({ length: 5 }, (_, index) => section(index + 1)).join('\n\n');
  const after = Array.from({ length: 3 }, (_, index) => section(index + 6)).join('\n\n');
  return `${before}\n\nHere is the filter chain in full:\n\n\`\`\`ts\n${longCode()}\n\`\`\`\n\n${after}\n\n${END_MARK}`;
}

async function addOllama(page: Page, url: string): Promise<void> {
  // Ollama needs no key, so the benchmark runs without a keychain.
  const result = await page.evaluate(
    (baseUrl) => window.api.connections.add({ kind: 'ollama', name: 'Local', baseUrl, defaultModel: 'llama3.1:8b' }),
    url,
  );
  if (!result.ok) throw new Error(result.error.message);
}

async function openTenThousand(): Promise<number[]> {
  const server = await startFakeProviderServer({ reply: 'ok', models: ['llama3.1:8b'] });
  let app = await launchApp({ env: APP_ENV });
  await addOllama(app.page, server.url);
  for (let index = 0; index < 2; index += 1) {
    await app.page.getByRole('button', { name: 'New chat' }).click();
    await app.page.waitForTimeout(100);
  }
  const userDataDir = app.userDataDir;
  await app.close();
  const database = new DatabaseSync(join(userDataDir, 'switchboard.db'));
  const [big, small] = database.prepare('SELECT id FROM conversations ORDER BY created_at').all() as Array<{ id: string }>;
  database.prepare("UPDATE conversations SET title = 'Ten thousand' WHERE id = ?").run(big!.id);
  database.prepare("UPDATE conversations SET title = 'Small' WHERE id = ?").run(small!.id);
  const insert = database.prepare(
    "INSERT INTO messages (conversation_id, sequence, role, content, parts, status, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, 'complete', ?, ?)",
  );
  database.exec('BEGIN');
  for (let sequence = 1; sequence <= 10_000; sequence += 1) {
    const text = `Message ${sequence}${sequence % 5 === 0 ? `\n\n${'A paragraph with **bold** text and `code`. '.repeat(8)}` : ''}`;
    insert.run(big!.id, sequence, sequence % 2 ? 'user' : 'assistant', text, sequence, sequence);
  }
  insert.run(small!.id, 1, 'user', 'Hello', 1, 1);
  database.exec('COMMIT');
  database.close();

  app = await launchApp({ userDataDir, env: APP_ENV });
  const timings: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    await app.page.locator('.conversation-item', { hasText: 'Small' }).click();
    await app.page.getByTestId('message-list').getByText('Hello', { exact: true }).waitFor();
    const started = performance.now();
    await app.page.locator('.conversation-item', { hasText: 'Ten thousand' }).click();
    await app.page.getByTestId('message-list').getByText('Message 10000', { exact: true }).waitFor();
    timings.push(performance.now() - started);
  }
  await app.close();
  await server.close();
  return timings;
}

/**
 * The same frame probe on the same page with nothing streaming, for `seconds`: the floor this
 * machine and browser give (headless Chromium without a GPU on a busy machine misses frames even
 * when the page does nothing), reported beside each streaming figure.
 */
async function idleFrames(page: Page, cdp: CDPSession, throttle: number, seconds: number): Promise<number> {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const gaps = (await page.evaluate(`new Promise((done) => {
    const gaps = [];
    let last = 0;
    const until = performance.now() + ${seconds * 1000};
    requestAnimationFrame(function tick(now) {
      if (last > 0) gaps.push(now - last);
      last = now;
      if (now < until) requestAnimationFrame(tick);
      else done(gaps);
    });
  })`)) as number[];
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  return percentile(gaps, 0.95);
}

interface StreamRun {
  /** p95 of the gaps between requestAnimationFrame callbacks while the answer streamed, ms. */
  frameP95: number;
  worstFrame: number;
  frames: number;
  seconds: number;
}

/**
 * Streams the long answer into a new chat while a requestAnimationFrame loop records the gap
 * between frames; with `throttle` the page's CPU is slowed that many times through CDP.
 */
async function streamOnce(page: Page, cdp: CDPSession, throttle: number): Promise<StreamRun> {
  const step = (what: string) => process.env.BENCH_DEBUG && console.error(`stream ${throttle}x: ${what}`);
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.waitForTimeout(300);
  const composer = page.getByRole('textbox', { name: /message/i });
  await composer.fill('Explain the router and show its code.');
  step('throttling');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  step('probe');
  // A string, not a function: the TypeScript loader would wrap a named inner function in a helper
  // that does not exist in the page.
  await page.evaluate(`{
    const probe = { gaps: [], running: true, last: 0 };
    window.frameProbe = probe;
    requestAnimationFrame(function tick(now) {
      if (probe.last > 0) probe.gaps.push(now - probe.last);
      probe.last = now;
      if (probe.running) requestAnimationFrame(tick);
    });
  }`);
  // CHAT_BENCH_PROFILE=<dir> writes a CPU profile of the page for each streamed answer there.
  const profileDirectory = process.env.CHAT_BENCH_PROFILE;
  if (profileDirectory) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    await cdp.send('Tracing.start', {
      traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] },
      transferMode: 'ReturnAsStream',
    });
  }
  const started = performance.now();
  step('sending');
  await composer.press('Enter');
  step('sent');
  const answer = page.locator('article.message-assistant').last();
  // Polled from here four times a second, not on every animation frame inside the page (what a
  // locator's waitFor does), so the probe's own querying does not take frames from the page it measures.
  const finished = `(() => { const all = document.querySelectorAll('article.message-assistant'); return all[all.length - 1]?.querySelector('[data-testid="provenance"]') != null; })()`;
  const deadline = performance.now() + 120_000;
  while (!(await page.evaluate(finished))) {
    if (performance.now() > deadline) {
      await page.screenshot({ path: 'test-results/bench-chat-failure.png' });
      throw new Error('The streamed answer did not finish within 120 s.');
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  const seconds = (performance.now() - started) / 1000;
  const gaps = await page.evaluate(() => {
    const probe = (window as unknown as { frameProbe: { gaps: number[]; running: boolean } }).frameProbe;
    probe.running = false;
    return probe.gaps;
  });
  if (profileDirectory) {
    const { profile } = await cdp.send('Profiler.stop');
    const complete = new Promise<string>((done) => cdp.once('Tracing.tracingComplete', (event) => done(event.stream!)));
    await cdp.send('Tracing.end');
    const handle = await complete;
    let trace = '';
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle });
      trace += chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle });
    writeFileSync(join(profileDirectory, `chat-stream-${throttle}x-${Date.now()}.trace.json`), trace);
    writeFileSync(join(profileDirectory, `chat-stream-${throttle}x-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const text = (await answer.locator('.answer-text').textContent()) ?? '';
  if (!text.includes(END_MARK)) throw new Error('The streamed answer did not arrive whole.');
  return { frameP95: percentile(gaps, 0.95), worstFrame: Math.max(...gaps), frames: gaps.length, seconds };
}

interface StreamSide {
  normal: StreamRun[];
  slowed: StreamRun[];
  idleNormal: number[];
  idleSlowed: number[];
}

interface OpenSide {
  app: AppHandle;
  cdp: CDPSession;
  result: StreamSide;
}

/**
 * Streams the long answer STREAM_RUNS times at normal speed and STREAM_RUNS times slowed 4x, in this
 * build and, with CHAT_BENCH_BASELINE=<another checkout, built>, in that one too, the two sides
 * interleaved run by run so a burst of load from elsewhere on the machine lands on both.
 */
async function streamLongAnswer(baseline: string | undefined): Promise<{ current: StreamSide; baseline: StreamSide | null }> {
  const answer = longAnswer();
  // ~500 tokens/s: 2,000 characters a second, 5 at a time every 2.5 ms (the server sleeps 2 ms).
  const server = await startFakeProviderServer({ reply: answer, models: ['llama3.1:8b'], chunkSize: 5 });
  await server.setFault('slow-between-chunks', { delayMs: 2 });
  const open = async (checkout?: string): Promise<OpenSide> => {
    const app = await launchApp({ env: APP_ENV, checkout });
    await addOllama(app.page, server.url);
    const cdp = await app.page.context().newCDPSession(app.page);
    return { app, cdp, result: { normal: [], slowed: [], idleNormal: [], idleSlowed: [] } };
  };
  const sides = [await open()];
  if (baseline) sides.push(await open(baseline));
  for (let run = 0; run < STREAM_RUNS; run += 1) {
    for (const throttle of [1, 4]) {
      for (const { app, cdp, result } of sides) {
        (throttle === 1 ? result.idleNormal : result.idleSlowed).push(await idleFrames(app.page, cdp, throttle, 3));
        (throttle === 1 ? result.normal : result.slowed).push(await streamOnce(app.page, cdp, throttle));
      }
    }
  }
  if (process.env.BENCH_DEBUG) console.error(JSON.stringify(sides.map((side) => side.result)));
  for (const { app, cdp } of sides) {
    await cdp.detach().catch(() => undefined);
    await app.close();
  }
  await server.close();
  return { current: sides[0]!.result, baseline: sides[1]?.result ?? null };
}

export async function run(): Promise<Figure[]> {
  // BENCH_SKIP_OPEN=1 measures only the streaming figures.
  const open = process.env.BENCH_SKIP_OPEN ? null : await openTenThousand();
  const baselineCheckout = process.env.CHAT_BENCH_BASELINE;
  const both = await streamLongAnswer(baselineCheckout);
  const stream = both.current;
  const tokens = countTokens(longAnswer());
  const runsOf = (runs: StreamRun[]) =>
    `median of ${runs.length} runs of the p95 gap between animation frames (${runs.map((one) => one.frameP95.toFixed(1)).join(', ')}); ${runs.map((one) => Math.round(tokens / one.seconds)).join(', ')} tokens/s; worst gap ${Math.max(...runs.map((one) => one.worstFrame)).toFixed(0)} ms`;
  const other = (runs: StreamRun[] | undefined) =>
    runs
      ? `; ${baselineCheckout} in the same run, interleaved: ${median(runs.map((one) => one.frameP95)).toFixed(1)} ms, ${runsOf(runs)}`
      : '';
  const note = (runs: StreamRun[], slowed: string, baselineRuns?: StreamRun[]) =>
    `${tokens.toLocaleString('en')}-token answer with a ${CODE_LINES}-line code block${slowed}; ${runsOf(runs)}; baseline = the same page idle for 3 s${other(baselineRuns)}`;
  return [
    ...(open
      ? [{ name: 'chat-open-10k-ms', value: median(open), unit: 'ms', note: `median of ${RUNS} switches; includes the CDP round trip` }]
      : []),
    {
      name: 'chat-stream-frame-p95-ms',
      value: median(stream.normal.map((one) => one.frameP95)),
      baseline: median(stream.idleNormal),
      unit: 'ms',
      target: '<= 20',
      note: note(stream.normal, '', both.baseline?.normal),
    },
    {
      name: 'chat-stream-frame-p95-ms-4x',
      value: median(stream.slowed.map((one) => one.frameP95)),
      baseline: median(stream.idleSlowed),
      unit: 'ms',
      target: '<= 50',
      note: note(stream.slowed, ', CPU slowed 4x (Emulation.setCPUThrottlingRate)', both.baseline?.slowed),
    },
  ];
}
