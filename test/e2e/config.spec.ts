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
    await page.getByLabel('When rule 1 applies').selectOption('agent:builder');
    await page.getByLabel('Provider of rule 1').selectOption('claude');
    // The edit is a draft until Save: the bar counts it, the history has not moved.
    const bar = page.getByRole('region', { name: 'Unsaved changes' });
    await expect.poll(() => bar.getByTestId('unsaved-count').textContent(), slow).toBe('1 unsaved change');
    await bar.getByText('What Save applies').click();
    // The count is 1 from the first edit on; the provider's choice reaches the summary a moment later.
    await expect.poll(() => bar.textContent(), slow).toContain('rule “Builder tasks” -> Claude');
    await screenshot(page, 'config-unsaved-bar');
    expect(Number(await history.locator('.version-row').first().getAttribute('data-version'))).toBe(beforeRule);
    await bar.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => history.locator('.version-row').first().textContent(), slow).toContain('rule “Builder tasks” -> Claude');
    expect(await bar.count()).toBe(0);
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, 'config-history');

    // The Checks panel lints what is on screen (the saved configuration now), refreshed with each change.
    const checks = page.locator('section[aria-labelledby="lint-title"]');
    await checks.scrollIntoViewIfNeeded();
    await expect.poll(() => checks.textContent(), slow).toMatch(/No problems found|Fix: /);
    await screenshot(page, 'config-lint-panel');

    const row = history.locator(`[data-version="${beforeRule}"]`);
    await row.getByRole('button', { name: 'Compare with now' }).click();
    const compare = page.getByRole('dialog', { name: `Version ${beforeRule} compared with now` });
    await expect.poll(() => compare.textContent(), slow).toContain('rule “Builder tasks” -> Claude');
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
  it('asks before leaving unsaved edits, keeps them over a reload, and badges the row a check is about', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Routing' }).click();
    const bar = page.getByRole('region', { name: 'Unsaved changes' });
    const rows = page.locator('tr[data-rule]');
    expect(await bar.count()).toBe(0);

    // Discard puts back what a field showed before the edit.
    const routeName = page.locator('[data-route="resilient"]').getByLabel('Name');
    await routeName.fill('Renamed route');
    await routeName.blur();
    await expect.poll(() => bar.getByTestId('unsaved-count').textContent(), slow).toBe('1 unsaved change');
    await bar.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => bar.count(), slow).toBe(0);
    await expect.poll(() => page.locator('[data-route="resilient"]').getByLabel('Name').inputValue()).toBe('Resilient');

    // Two identical rules: the second can never answer, and its row says so in the Checks panel's words.
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => bar.getByTestId('unsaved-count').textContent(), slow).toBe('2 unsaved changes');
    const badge = rows.nth(1).getByTestId('lint-badge');
    await badge.waitFor(slow);
    expect(await rows.nth(0).getByTestId('lint-badge').count()).toBe(0);
    await badge.click();
    const popover = rows.nth(1).getByRole('group', { name: 'What the checks found here' });
    expect(await popover.textContent()).toContain('repeats a rule with priority 0');
    const checks = page.locator('section[aria-labelledby="lint-title"]');
    expect(await checks.textContent()).toContain('Checked on your unsaved changes.');
    expect(await checks.textContent()).toContain(await popover.locator('strong').textContent());
    await rows.nth(1).scrollIntoViewIfNeeded();
    await screenshot(page, 'config-lint-badge');
    await checks.scrollIntoViewIfNeeded();
    await screenshot(page, 'config-lint-panel-draft');
    await badge.press('Escape');
    await expect.poll(() => popover.count()).toBe(0);

    // Leaving asks; focus starts on Keep editing, Tab stays in the dialog, Escape keeps editing.
    await page.getByRole('button', { name: 'Chat' }).click();
    const leave = page.getByRole('dialog', { name: 'Save your routing changes?' });
    await leave.waitFor();
    expect(await leave.textContent()).toContain('2 unsaved changes');
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focused()).toBe('Keep editing');
    for (const next of ['Discard', 'Save', 'Keep editing']) {
      await page.keyboard.press('Tab');
      expect(await focused()).toBe(next);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Save');
    await screenshot(page, 'config-leave-dialog');
    const theme = (value: 'dark' | 'light') => page.evaluate((next) => window.api.settings.update({ appearance: { theme: next } }), value);
    expect(await theme('dark')).toMatchObject({ ok: true });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'config-leave-dialog-dark');
    expect(await theme('light')).toMatchObject({ ok: true });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.keyboard.press('Escape');
    await expect.poll(() => leave.count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Routing' }).getAttribute('aria-selected')).toBe('true');
    expect(await rows.count()).toBe(2);

    // A reload loses nothing: Settings is marked, and the draft is back in the editors.
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByRole('button', { name: 'Settings' }).textContent(), slow).toContain('(unsaved changes)');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Routing' }).click();
    await expect.poll(() => bar.getByTestId('unsaved-count').textContent(), slow).toBe('2 unsaved changes');
    expect(await rows.count()).toBe(2);
    expect(savedRouting().rules).toEqual([]);

    // Discard from the question: the tab changes and the saved routing is shown again.
    await page.getByRole('tab', { name: 'Providers' }).click();
    await leave.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Providers' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Routing' }).click();
    await page.getByText('No rules: every task runs on the Primary.').waitFor();
    expect(await bar.count()).toBe(0);

    // Save from the question: one new version, then the Chat view.
    const history = page.getByRole('list', { name: 'Configuration history' });
    const before = Number(await history.locator('.version-row').first().getAttribute('data-version'));
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => bar.count(), slow).toBe(1);
    await page.getByRole('button', { name: 'Chat' }).click();
    await leave.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('main').getAttribute('data-view'), slow).toBe('chat');
    expect(savedRouting().rules).toHaveLength(1);
    const versions = await page.evaluate(() => window.api.config.history());
    if (!versions.ok) throw new Error(versions.error.message);
    expect(versions.value[0]).toMatchObject({ id: before + 1, source: 'app' });
  });

  it('imports the tier JSON of a Model Routing page, asking which connection where two share a kind', async () => {
    const { page } = app;
    const added = await page.evaluate(
      (request) => (window.api.connections.add as (r: unknown) => Promise<{ ok: boolean; value: { connection: { id: string } } }>)(request),
      {
        kind: 'deepseek',
        name: 'DeepSeek (backup)',
        baseUrl: `${deepseek.url}/v1`,
        apiKey: 'sk-deepseek-config-02',
        defaultModel: 'deepseek-chat',
      },
    );
    expect(added.ok).toBe(true);
    const backup = added.value.connection.id;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Routing' }).click();
    const tiers = {
      standard: [
        { provider: 'deepseek', model: 'deepseek-chat', priority: 0, maxTokens: 1000 },
        { provider: 'anthropic', model: 'claude-sonnet-4-6', priority: 1, maxTokens: 4000 },
      ],
    };
    await page.getByLabel('Import a configuration file').setInputFiles({
      name: 'model-routing.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(tiers)),
    });
    const dialog = page.getByRole('dialog', { name: 'Import model-routing.json' });
    const choice = dialog.getByRole('combobox');
    await choice.waitFor(slow);
    expect(await dialog.textContent()).toContain('“deepseek” in the file');
    expect(await dialog.getByRole('button', { name: 'Preview' }).isDisabled()).toBe(true);
    await screenshot(page, 'config-import-model-routing-choose');
    await choice.selectOption({ label: 'DeepSeek (backup)' });
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => dialog.textContent(), slow).toContain('tier standard');
    await screenshot(page, 'config-import-model-routing-preview');
    const standard = () => savedRouting().tiers.find((tier: { id: string }) => tier.id === 'standard');
    expect(standard().entries).toEqual([]);
    await dialog.getByRole('button', { name: 'Apply as a new version' }).click();
    await expect
      .poll(() => standard().entries, slow)
      .toMatchObject([
        { connectionId: backup, model: 'deepseek-chat', maxOutputTokens: 1000 },
        { connectionId: 'claude', model: 'claude-sonnet-4-6', maxOutputTokens: 4000 },
      ]);
    await expect.poll(() => page.getByLabel('Provider of Standard entry 1').inputValue(), slow).toBe(backup);
  });
  it('makes agent edits part of the draft, with a badge on the agent card the check is about', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Agents' }).click();
    const research = page.locator('[data-agent="research"]');
    await page.getByRole('button', { name: 'Edit research' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit research' });
    await edit.getByLabel('Cost ceiling (USD)').fill('0');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => edit.count()).toBe(0);

    // A ceiling of $0: the card says what that does, in the words of the Checks panel.
    const bar = page.getByRole('region', { name: 'Unsaved changes' });
    await expect.poll(() => bar.getByTestId('unsaved-count').textContent(), slow).toBe('1 unsaved change');
    const badge = research.getByTestId('lint-badge');
    await badge.click();
    expect(await research.getByRole('group', { name: 'What the checks found here' }).textContent()).toContain(
      'Agent research has a cost ceiling of $0',
    );
    await screenshot(page, 'config-agent-badge');
    const saved = await page.evaluate(() => window.api.settings.get());
    expect(saved.ok && saved.value.agents.some((agent) => agent.name === 'research')).toBe(false);

    // Moving to the Routing tab keeps the draft (its preview and checks use it); Discard drops it.
    await page.getByRole('tab', { name: 'Routing' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => page.locator('section[aria-labelledby="lint-title"]').textContent(), slow).toContain('cost ceiling of $0');
    await bar.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => bar.count(), slow).toBe(0);
    await page.getByRole('tab', { name: 'Agents' }).click();
    await research.waitFor();
    expect(await research.getByTestId('lint-badge').count()).toBe(0);
    expect(await research.textContent()).not.toContain('at most $0');
  });
});
