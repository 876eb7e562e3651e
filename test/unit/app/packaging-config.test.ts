// The packaged app's Electron fuses, as electron-builder itself reads and applies them: the real
// schema validation and the real fuse translation of app-builder-lib, on electron-builder.yml.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const require = createRequire(resolve(root, 'package.json'));

interface Builder {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: unknown): Promise<Record<string | number, unknown>> } };
}
const { PlatformPackager } = require('app-builder-lib') as Builder;
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: { add(): void; isEnabled: boolean }): Promise<void>;
};
const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };

const config = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const quietLogger = { add() {}, isEnabled: false };

describe('electron-builder.yml: Electron fuses of the packaged app', () => {
  it('is a configuration electron-builder accepts (a misspelled fuse would be refused)', async () => {
    await expect(validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, electronFuses: { runAsnode: false } }, quietLogger)).rejects.toThrow(/electronFuses/);
  }, 60_000);

  it.each([
    ['RunAsNode', false],
    ['EnableNodeOptionsEnvironmentVariable', false],
    ['EnableNodeCliInspectArguments', false],
    ['OnlyLoadAppFromAsar', true],
    ['EnableEmbeddedAsarIntegrityValidation', true],
    ['EnableCookieEncryption', true],
    ['GrantFileProtocolExtraPrivileges', false],
  ])('flips %s to %s', async (fuse, value) => {
    const fuses = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    const option = FuseV1Options[fuse];
    expect(option, `@electron/fuses knows ${fuse}`).toBeTypeOf('number');
    expect(fuses[option!]).toBe(value);
  });
});
