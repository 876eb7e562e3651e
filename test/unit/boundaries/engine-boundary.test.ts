import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

/** Typechecks the engine plus one probe file under the engine's own compiler options. */
function typecheckEngineWith(probeSource: string): { ok: boolean; output: string } {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-boundary-'));
  writeFileSync(join(directory, 'probe.ts'), probeSource);
  writeFileSync(
    join(directory, 'tsconfig.json'),
    JSON.stringify({
      extends: join(root, 'tsconfig.pure.json'),
      compilerOptions: { typeRoots: [join(root, 'node_modules/@types')] },
      include: [
        join(root, 'src-main/engine/**/*.ts'),
        join(root, 'src-shared/**/*.ts'),
        join(root, 'types/pure-globals.d.ts'),
        join(directory, 'probe.ts'),
      ],
    }),
  );
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(directory, 'tsconfig.json')], {
      encoding: 'utf8',
    });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

describe('the engine stays pure (checked by tools)', () => {
  it('typechecks as it is', () => {
    expect(typecheckEngineWith('export const probe = 1;\n')).toEqual({ ok: true, output: '' });
  }, 60_000);

  it('fails its typecheck when it imports node:fs', () => {
    const result = typecheckEngineWith("import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n");
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/probe\.ts.*'node:fs'/);
  }, 60_000);

  it('fails its typecheck when it reaches for timers or the DOM', () => {
    const result = typecheckEngineWith('export const probe = () => { setTimeout(() => {}, 1); return document.title; };\n');
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/Cannot find name 'setTimeout'|Cannot find name 'document'/);
  }, 60_000);

  it('is refused by the lint rule for impure imports and calls', async () => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText(
      "import { readFileSync } from 'node:fs';\nimport { app } from 'electron';\nexport const probe = [readFileSync, app, Date.now(), Math.random()];\n",
      { filePath: join(root, 'src-main/engine/probe.ts') },
    );
    const rules = result!.messages.map((message) => message.ruleId);
    const impure = result!.messages.filter(
      (message) => message.ruleId === 'no-restricted-imports' && /The engine is pure/.test(message.message),
    );
    expect(impure).toHaveLength(2);
    expect(rules.filter((rule) => rule === 'no-restricted-properties')).toHaveLength(2);
  }, 60_000);

  it('keeps the renderer away from main-process code', async () => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText(
      "import { createSettingsService } from '../../../src-main/settings/settings-service';\nexport const probe = createSettingsService;\n",
      {
        filePath: join(root, 'src-renderer/src/lib/probe.ts'),
      },
    );
    expect(result!.messages.map((message) => message.ruleId)).toContain('no-restricted-imports');
  }, 60_000);
});
