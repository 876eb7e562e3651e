import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

/** Polls wait this long: on a busy machine a save and its history row can take seconds. */
const slow = { timeout: 20_000 };

describeWithKeychain('configuration file, history and rollback', () => {
  let deepseek: FakeProviderServer;
  let claude: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();
  const savedRouting = () => JSON.parse(readFileSync(join(app.userDataDir, 'settings.json'), 'utf8')).routing;

  beforeAll(async () => {
    deepseek = await startFakeProviderServer({ models: ['deepseek-chat'], name: 'deepseek' });
    claude = await startFakeProviderServer({ models: ['claude-sonnet-4-6'], name: 'claude' });
    app = await launchApp({
      env: {
        SWITCHBOARD_KEYCHAIN_SERVICE: service,
        SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9',
        SWITCHBOARD_E2E_START_TIMEOUT_MS: '180000',
      },
    });
    for (const input of [
      { kind: 'deepseek', name: 'DeepSeek', baseUrl: `${deepseek.url}/v1`, apiKey: 'sk-deepseek-config-01', defaultModel: 'deepseek-chat' },
      { kind: 'anthropic', name: 'Claude', baseUrl: claude.url, apiKey: 'sk-ant-config-01', defaultModel: 'claude-sonnet-4-6' },
    ]) {
      expect(
        await app.page.evaluate((request) => (window.api.connections.add as (r: unknown) => Promise<unknown>)(request), input),
      ).toMatchObject({
        ok: true,
      });
    }
    // A busy machine can take most of a minute to bring the app up.
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([deepseek?.close(), claude?.close()]);
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('keeps each change as a version, compares one with now and rolls back to it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Routing' }).click();
    const history = page.getByRole('list', { name: 'Configuration history' });
    await history.waitFor();
    const beforeRule = Number(await history.locator('.version-row').first().getAttribute('data-version'));

    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Context of rule 1').selectOption('agent:builder');
    await page.getByLabel('Backend of rule 1').selectOption('claude');
    await expect.poll(() => history.locator('.version-row').first().textContent(), slow).toContain('rule agent:builder -> Claude');
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, 'config-history');

    // The Checks panel lints the saved configuration, refreshed with each new version.
    const checks = page.locator('section[aria-labelledby="lint-title"]');
    await checks.scrollIntoViewIfNeeded();
    await expect.poll(() => checks.textContent(), slow).toMatch(/No problems found|Fix: /);
    await screenshot(page, 'config-lint-panel');

    const row = history.locator(`[data-version="${beforeRule}"]`);
    await row.getByRole('button', { name: 'Compare with now' }).click();
    const compare = page.getByRole('dialog', { name: `Version ${beforeRule} compared with now` });
    await expect.poll(() => compare.textContent(), slow).toContain('rule agent:builder -> Claude');
    await screenshot(page, 'config-compare');
    await compare.getByRole('button', { name: 'Roll back to this version…' }).click();

    const rollback = page.getByRole('dialog', { name: `Roll back to version ${beforeRule}` });
    await expect.poll(() => rollback.textContent(), slow).toContain('removed');
    await screenshot(page, 'config-rollback-preview');
    expect(savedRouting().rules).toHaveLength(1);
    await rollback.getByRole('button', { name: 'Apply as a new version' }).click();
    await expect.poll(() => savedRouting().rules.length, slow).toBe(0);
    await expect.poll(() => history.locator('.version-row').first().textContent(), slow).toContain(`Rolled back to version ${beforeRule}`);
    await expect.poll(() => page.getByText('No rules: every task runs on the Primary.').count(), slow).toBe(1);
  });

  it('previews an import, applies it only when confirmed, and refuses a newer format naming the field', async () => {
    const { page } = app;
    const exported = await page.evaluate(() => window.api.config.export());
    if (!exported.ok) throw new Error(exported.error.message);
    const file = JSON.parse(exported.value.text);
    file.routing.routes.push({
      id: 'resilient',
      name: 'Resilient',
      targets: [
        { connectionId: 'deepseek', model: 'deepseek-chat' },
        { connectionId: 'claude', model: 'claude-sonnet-4-6' },
      ],
    });
    file.connections.push({ id: 'openai-team', kind: 'openai', name: 'OpenAI (team)' });
    const input = page.getByLabel('Import a configuration file');
    await input.setInputFiles({ name: 'team.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    const preview = page.getByRole('dialog', { name: 'Import team.json' });
    await expect.poll(() => preview.textContent(), slow).toContain('route resilient');
    expect(await preview.textContent()).toContain('Needs a key before it can answer: OpenAI (team)');
    await screenshot(page, 'config-import-preview');
    expect(savedRouting().routes).toHaveLength(0);
    await preview.getByRole('button', { name: 'Apply as a new version' }).click();
    await expect.poll(() => savedRouting().routes.length, slow).toBe(1);
    await page.locator('[data-route="resilient"]').waitFor();

    const before = readFileSync(join(app.userDataDir, 'settings.json'), 'utf8');
    await input.setInputFiles({
      name: 'future.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...file, formatVersion: 99 })),
    });
    const refused = page.getByRole('dialog', { name: 'Import future.json' });
    await expect.poll(() => refused.textContent(), slow).toContain('formatVersion: this file is format 99');
    await screenshot(page, 'config-import-refused');
    await refused.getByRole('button', { name: 'Close' }).click();
    expect(readFileSync(join(app.userDataDir, 'settings.json'), 'utf8')).toBe(before);
  });

  it('exports the routing for a LiteLLM proxy: the imported route in order, keys as variable names only', async () => {
    const { page } = app;
    const section = page.locator('section[aria-labelledby="configuration-title"]');
    await section.scrollIntoViewIfNeeded();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Export for LiteLLM' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('config.yaml');
    const text = readFileSync(await download.path(), 'utf8');
    expect(text).not.toMatch(/sk-deepseek-config-01|sk-ant-config-01/);
    const exported = parse(text) as {
      model_list: { model_name: string; litellm_params: Record<string, unknown> }[];
      router_settings: { fallbacks: Record<string, string[]>[] };
    };
    const params = (name: string) => exported.model_list.find((deployment) => deployment.model_name === name)?.litellm_params;
    expect(params('route/resilient')).toMatchObject({
      model: 'deepseek/deepseek-chat',
      api_base: `${deepseek.url}/v1`,
      api_key: expect.stringMatching(/^os\.environ\/SWITCHBOARD_KEY_[A-Z0-9_]+$/),
    });
    expect(params('route/resilient#2')).toMatchObject({ model: 'anthropic/claude-sonnet-4-6', api_base: claude.url });
    expect(exported.router_settings.fallbacks).toContainEqual({ 'route/resilient': ['route/resilient#2'] });
    await screenshot(page, 'config-export-litellm');
  });
});
