// `npm run bench` runs every test/bench/*.bench.ts and prints a table; `npm run bench -- --json`
// prints one JSON object per line. Benchmarks are not tests: nothing fails on a slow machine.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
  /** Side-by-side baseline, when the benchmark has one. */
  baseline?: number;
  note?: string;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((arg) => !arg.startsWith('--'));
const directory = import.meta.dirname;
const files = readdirSync(directory)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();

const figures: Figure[] = [];
for (const file of files) {
  const module = (await import(pathToFileURL(join(directory, file)).href)) as { run(): Promise<Figure[]> };
  try {
    const results = await module.run();
    for (const figure of results) {
      figures.push(figure);
      if (json) process.stdout.write(`${JSON.stringify(figure)}\n`);
    }
  } catch (error) {
    process.stderr.write(`${file} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (!json) {
  const rows = figures.map((figure) => [
    figure.name,
    `${Number(figure.value.toPrecision(4))} ${figure.unit}`,
    figure.target ?? '',
    figure.baseline === undefined ? '' : `${Number(figure.baseline.toPrecision(4))} ${figure.unit}`,
    figure.note ?? '',
  ]);
  const header = ['figure', 'value', 'target', 'baseline', 'note'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}
