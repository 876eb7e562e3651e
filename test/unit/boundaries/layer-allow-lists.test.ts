import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
// The allow-lists themselves: one entry per folder of src-main, written once in the lint config.
import { layers } from '../../../eslint.config.js';

const root = resolve(import.meta.dirname, '../../..');

const allowLists = layers;

const folders = readdirSync(join(root, 'src-main')).filter((name) => statSync(join(root, 'src-main', name)).isDirectory());

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The no-restricted-imports messages for one import written in a probe file at `path`. */
async function refusals(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as probe from '${source}';\nexport default probe;\n`, {
    filePath: join(root, path),
  });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('layer allow-lists', () => {
  it('cover every folder of src-main, and name only folders that exist', () => {
    expect(Object.keys(allowLists).sort()).toEqual([...folders].sort());
    for (const { folders: allowed } of Object.values(allowLists)) {
      for (const folder of allowed) expect(folders).toContain(folder);
    }
  });

  describe.each(folders)('%s/', (folder) => {
    const allowed = allowLists[folder]!;
    const forbiddenFolder = folders.find((other) => other !== folder && !allowed.folders.includes(other))!;
    const forbiddenPackage = ['electron', 'keytar', 'openai'].find((name) => !allowed.packages.includes(name))!;

    it(`refuses a folder it does not list (${forbiddenFolder}/), at the top and one level down`, async () => {
      expect(await refusals(`src-main/${folder}/probe.ts`, `../${forbiddenFolder}/x`)).toContainEqual(
        expect.stringContaining(`${folder}/ may`),
      );
      expect(await refusals(`src-main/${folder}/inner/probe.ts`, `../../${forbiddenFolder}/x`)).toContainEqual(
        expect.stringContaining(`${folder}/ may`),
      );
    }, 30_000);

    it(`refuses a package it does not list (${forbiddenPackage}), the renderer and the top-level wiring`, async () => {
      expect(await refusals(`src-main/${folder}/probe.ts`, forbiddenPackage)).toContainEqual(expect.stringContaining(`${folder}/ may`));
      expect(await refusals(`src-main/${folder}/probe.ts`, '../../src-renderer/src/App')).toContainEqual(
        expect.stringContaining(`${folder}/ may`),
      );
      expect(await refusals(`src-main/${folder}/probe.ts`, '../services')).toContainEqual(expect.stringContaining(`${folder}/ may`));
    }, 30_000);

    it('allows itself, src-shared and what it lists', async () => {
      expect(await refusals(`src-main/${folder}/probe.ts`, './sibling')).toEqual([]);
      expect(await refusals(`src-main/${folder}/inner/probe.ts`, '../sibling')).toEqual([]);
      expect(await refusals(`src-main/${folder}/probe.ts`, '../../src-shared/schemas/settings')).toEqual([]);
      for (const other of allowed.folders) expect(await refusals(`src-main/${folder}/probe.ts`, `../${other}/x`)).toEqual([]);
      for (const name of allowed.packages) expect(await refusals(`src-main/${folder}/probe.ts`, name)).toEqual([]);
    }, 30_000);
  });

  it('lets the composition roots wire everything together', async () => {
    expect(await refusals('src-main/services.ts', './tasks/task-runner')).toEqual([]);
    expect(await refusals('src-main/gateway/headless-gateway.ts', '../services')).toEqual([]);
  }, 30_000);
});
