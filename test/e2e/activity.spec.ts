import keytar from 'keytar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

describeWithKeychain('Activity: the call log with charts', () => {
  let claude: FakeProviderServer;
  let deepseek: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();

  beforeAll(async () => {
    claude = await startFakeProviderServer({ reply: 'Claude answer.', models: ['claude-sonnet-4-6'], name: 'claude' });
    deepseek = await startFakeProviderServer({ reply: 'DeepSeek answer.', models: ['deepseek-chat'], name: 'deepseek' });
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([claude.close(), deepseek.close()]);
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('lists every call attempt with who answered, and charts them; a failure and its fallback are visible', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'No calls yet' }).waitFor();

    for (const input of [
      { kind: 'anthropic', name: 'Claude', baseUrl: claude.url, apiKey: 'sk-ant-activity-01', defaultModel: 'claude-sonnet-4-6' },
      {
        kind: 'deepseek',
        name: 'DeepSeek',
        baseUrl: `${deepseek.url}/v1`,
        apiKey: 'sk-deepseek-activity-01',
        defaultModel: 'deepseek-chat',
      },
    ]) {
      await page.evaluate((request) => (window.api.connections.add as (r: unknown) => Promise<unknown>)(request), input);
    }
    await page.evaluate(() =>
      window.api.routing.update({
        rules: [
          { id: 'a', context: 'agent:builder', connectionId: 'claude', priority: 0 },
          { id: 'b', context: 'agent:builder', connectionId: 'deepseek', priority: 1 },
        ],
        tiers: [],
        routes: [],
        defaultSameProviderRetries: 0,
      }),
    );
    await claude.setFault('unavailable', { times: 1 });
    for (const instruction of ['First job', 'Second job']) {
      const created = await page.evaluate((text) => window.api.tasks.create({ agent: 'builder', instruction: text }), instruction);
      expect(created).toMatchObject({ ok: true });
    }
    const rows = page.locator('.calls-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const text = await page.locator('.calls-table').textContent();
    expect(text).toContain('Failed');
    expect(text).toContain('Failed unavailable');
    expect(text).not.toContain('provider_unavailable');
    expect(text).toContain('DeepSeek');
    expect(text).toContain('2nd'); // the fallback: second in the list of providers
    await screenshot(page, 'activity-calls');
    // The charts live on the Insights tab, so the log is not pushed down by them.
    expect(await page.getByRole('figure', { name: 'Latency (median)' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Insights' }).click();
    await page.getByRole('figure', { name: 'Latency (median)' }).waitFor();
    await screenshot(page, 'activity-insights-charts');
    await page.getByRole('tab', { name: 'Calls' }).click();

    // A row opens the call's details: why, prompt, response. No key anywhere.
    await rows.filter({ hasText: 'Failed' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Why this provider').waitFor();
    expect(await dialog.textContent()).not.toContain('sk-ant-activity-01');
    await screenshot(page, 'activity-call-detail');
    await page.keyboard.press('Escape');

    await page.getByLabel('Outcome').selectOption('error');
    await expect.poll(() => rows.count()).toBe(1);

    // The export holds what the filter shows (the one failed call), never a key.
    const { readFileSync } = await import('node:fs');
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^switchboard-activity-.*\.csv$/);
    const csv = readFileSync(await csvDownload.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(csv).toHaveLength(2);
    expect(csv[0]).toContain('connectionName');
    expect(csv[1]).toContain('provider_unavailable');
    expect(csv.join('\n')).not.toContain('sk-ant-activity-01');
    await page.getByRole('status').filter({ hasText: 'Exported 1 call' }).waitFor();
    await screenshot(page, 'activity-export');

    await page.getByLabel('Outcome').selectOption('');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    const [jsonlDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSONL' }).click()]);
    const lines = readFileSync(await jsonlDownload.path(), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(await rows.count());
    const records = lines.map((line) => JSON.parse(line) as { connectionName: string; outcome: string });
    expect(records.map((record) => record.connectionName)).toContain('DeepSeek');
    expect(lines.join('\n')).not.toContain('sk-deepseek-activity-01');

    // Settings -> General: with "Store prompts and answers" off, the next call keeps its figures only.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'General' }).click();
    const storeTexts = page.getByRole('checkbox', { name: /Store prompts and answers in the call log/ });
    expect(await storeTexts.isChecked()).toBe(true);
    const days = page.getByLabel('Keep calls for (days)');
    await days.fill('0');
    await days.blur();
    await page.getByRole('alert').filter({ hasText: 'Keep calls for at least 1 day' }).waitFor();
    await screenshot(page, 'settings-call-log-error');
    await days.fill('30');
    await days.blur();
    // The box follows the saved setting, so it turns off once the save is back.
    await storeTexts.click();
    await expect.poll(() => storeTexts.isChecked()).toBe(false);
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const settings = await window.api.settings.get();
          return settings.ok ? settings.value.callLog : null;
        }),
      )
      .toEqual({ storeTexts: false, retentionDays: 30, maxTextMegabytes: 256 });
    await screenshot(page, 'settings-call-log');

    const before = await rows.count();
    const created = await page.evaluate(() => window.api.tasks.create({ agent: 'builder', instruction: 'Secret-free but private job' }));
    expect(created).toMatchObject({ ok: true });
    await page.getByRole('button', { name: 'Activity' }).click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await rows.first().click();
    const latest = page.getByRole('dialog');
    await latest.getByText('Prompt').first().waitFor();
    expect(await latest.textContent()).not.toContain('Secret-free but private job');
    await page.keyboard.press('Escape');
  });

  it('Insights: quality per agent and model version, with the version change marked; the Calls table fits at 1280 px', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 800 });
    const rows = page.locator('.calls-table tbody tr');
    await rows.first().waitFor();
    // Nothing clipped: the table needs no sideways scroll and its last columns end inside the window.
    const overflow = await page.evaluate(() => {
      const scroller = document.querySelector('.calls-table')!.closest('.table-scroll')!;
      return scroller.scrollWidth - scroller.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    for (const name of ['Tokens', 'Cost']) {
      const box = await page.getByRole('columnheader', { name, exact: true }).boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
    }
    await screenshot(page, 'activity-calls-1280');

    // The planner's plan must match its schema; a plain-text answer fails it and escalates to the next backend.
    // Then Claude starts answering the builder as a newer dated version.
    await page.evaluate(() =>
      window.api.routing.update({
        rules: [
          { id: 'a', context: 'agent:builder', connectionId: 'claude', model: 'claude-sonnet-4-6-20260301', priority: 0 },
          { id: 'p', context: 'agent:planner', connectionId: 'claude', priority: 0 },
          { id: 'q', context: 'agent:planner', connectionId: 'deepseek', priority: 1 },
        ],
        tiers: [],
        routes: [],
        defaultSameProviderRetries: 0,
      }),
    );
    for (const input of [
      { agent: 'planner', instruction: 'Plan the release' },
      { agent: 'builder', instruction: 'Third job' },
    ]) {
      expect(await page.evaluate((request) => window.api.tasks.create(request), input)).toMatchObject({ ok: true });
    }
    await page.getByRole('tab', { name: 'Insights' }).click();
    const changes = page.getByRole('list', { name: 'Model version changes' });
    await expect
      .poll(async () => (await changes.count()) && (await changes.textContent()), { timeout: 20_000 })
      .toContain('claude-sonnet-4-6-20260301');
    expect(await changes.textContent()).toContain('Claude started reporting claude-sonnet-4-6-20260301 (was claude-sonnet-4-6-20250929)');
    const quality = page.locator('.quality-table tbody tr');
    await expect.poll(async () => (await quality.allTextContents()).join('\n'), { timeout: 20_000 }).toMatch(/planner.*claude-sonnet-4-6/);
    const builderRows = (await quality.allTextContents()).filter((text) => text.startsWith('builder'));
    const before = builderRows.findIndex((text) => text.includes('claude-sonnet-4-6-20250929'));
    const after = builderRows.findIndex((text) => text.includes('claude-sonnet-4-6-20260301'));
    expect(before).toBeGreaterThanOrEqual(0);
    expect(after).toBeGreaterThan(before);
    expect(builderRows[after]).toContain('new, after claude-sonnet-4-6-20250929');
    const planner = (await quality.allTextContents()).find((text) => text.startsWith('planner') && text.includes('claude-sonnet-4-6'));
    // Its one call failed the schema: 100% escalated, 100% schema failures.
    expect(planner).toMatch(/100% \(1\)100% \(1\)/);
    await screenshot(page, 'activity-insights');
    await page.locator('.quality-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'activity-insights-quality');

    // A source with no calls in range: the quality view says so instead of an empty table.
    await page.getByLabel('Source').selectOption('gateway');
    await page.getByText('No calls in this range.').waitFor();
    await screenshot(page, 'activity-insights-empty');
    await page.getByLabel('Source').selectOption('');
  });
});
