import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The engine must stay pure (STYLE.md, Boundaries 1): this guards it alongside tsconfig.pure.json.
const engineDirectory = join(import.meta.dirname, '../../../src-main/engine');
const files = readdirSync(engineDirectory).filter((name) => name.endsWith('.ts'));

const forbidden: Array<[string, RegExp]> = [
  ['node built-ins', /from\s+['"]node:/],
  ['electron', /from\s+['"]electron['"]/],
  ['npm packages other than zod', /from\s+['"](?![./]|zod['"])[^'"]+['"]/],
  ['file extensions in imports', /from\s+['"]\.[^'"]*\.(ts|js)['"]/],
  ['fetch', /\bfetch\s*\(/],
  ['timers', /\b(setTimeout|setInterval|setImmediate)\s*\(/],
  ['Date.now / new Date', /\bDate\.now\b|new Date\(/],
  ['Math.random', /\bMath\.random\b/],
  ['console', /\bconsole\./],
  ['process', /\bprocess\./],
];

describe('engine purity', () => {
  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s uses no I/O, clock, randomness or foreign imports', (name) => {
    const source = readFileSync(join(engineDirectory, name), 'utf8');
    for (const [what, pattern] of forbidden) {
      expect(pattern.test(source), `${name} uses ${what}`).toBe(false);
    }
  });

  it.each(files)('%s stays under ~400 lines', (name) => {
    expect(readFileSync(join(engineDirectory, name), 'utf8').split('\n').length).toBeLessThan(420);
  });
});
