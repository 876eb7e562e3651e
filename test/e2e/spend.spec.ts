import keytar from 'keytar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

describeWithKeychain('spend: monthly caps and month-to-date spend on Settings -> Providers', () => {
  let claude: FakeProviderServer;
  let custom: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();

  beforeAll(async () => {
    claude = await startFakeProviderServer({ reply: 'Claude answer.', models: ['claude-sonnet-4-6'], name: 'claude' });
    custom = await startFakeProviderServer({ reply: 'Mine.', models: ['my-finetune'], name: 'custom' });
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([claude.close(), custom.close()]);
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('shows the cap field, this month’s spend against the cap, and an unknown price as a lower bound', async () => {
    const { page } = app;
    for (const input of [
      { kind: 'anthropic', name: 'Claude', baseUrl: claude.url, apiKey: 'sk-ant-spend-e2e-01', defaultModel: 'claude-sonnet-4-6' },
      { kind: 'custom', name: 'My model', baseUrl: `${custom.url}/v1`, apiKey: 'sk-custom-spend-e2e-01', defaultModel: 'my-finetune' },
    ]) {
      expect(
        await page.evaluate((request) => (window.api.connections.add as (r: unknown) => Promise<unknown>)(request), input),
      ).toMatchObject({
        ok: true,
      });
    }
    await page.evaluate(() =>
      window.api.routing.update({
        rules: [
          { id: 'a', context: 'agent:builder', connectionId: 'claude', priority: 0 },
          { id: 'b', context: 'agent:research', connectionId: 'my-model', priority: 0 },
        ],
        tiers: [],
        routes: [],
        defaultSameProviderRetries: 0,
      }),
    );
    for (const agent of ['builder', 'research']) {
      expect(await page.evaluate((name) => window.api.tasks.create({ agent: name, instruction: 'Say hello' }), agent)).toMatchObject({
        ok: true,
      });
    }
    const spend = async () =>
      (await page.evaluate(() => window.api.spend.monthToDate())) as { ok: boolean; value?: Array<Record<string, number | string>> };
    await expect.poll(async () => (await spend()).value?.length ?? 0, { timeout: 20_000 }).toBe(2);
    const claudeCost = Number((await spend()).value?.find((row) => row.connectionId === 'claude')?.costUsd);
    expect(claudeCost).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Settings' }).click();
    const claudeRow = page.locator('[data-connection="claude"]');
    const mineRow = page.locator('[data-connection="my-model"]');
    await expect.poll(() => claudeRow.getByTestId('month-spend').textContent()).toContain('This month: $0.0001');
    expect(await claudeRow.getByTestId('month-spend').textContent()).toContain('no cap');
    // The custom model has no known price: its spend is a lower bound, never a plain $0.
    expect(await mineRow.getByTestId('month-spend').textContent()).toContain('This month: at least $0 ·');

    // The cap field: a wrong amount is named, the typed text stays; a right one is saved.
    await claudeRow.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Claude' });
    const cap = dialog.getByLabel('Monthly cap (US$)');
    await cap.fill('fifty');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Enter the monthly cap in US dollars').waitFor();
    expect(await cap.inputValue()).toBe('fifty');
    await screenshot(page, 'spend-cap-field-error');
    // A cap the month's spend is at 90% of.
    const near = Math.round((claudeCost / 0.9) * 1e8) / 1e8;
    await cap.fill(String(near));
    await screenshot(page, 'spend-cap-field');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => claudeRow.getByTestId('month-spend').textContent()).toContain('(90%)');
    expect(await claudeRow.getByTestId('month-spend').getAttribute('class')).toContain('month-spend-near');
    expect(await claudeRow.getByTestId('month-spend').textContent()).toContain('near the cap');
    await page.getByTestId('price-list').getByText('LiteLLM’s public list').waitFor();
    await screenshot(page, 'spend-month-to-date');

    // Offline, Refresh prices says so and keeps the prices in use.
    await page.getByRole('button', { name: 'Refresh prices' }).click();
    await page.getByText('Could not refresh prices from', { exact: false }).waitFor({ timeout: 40_000 });
    expect(await page.getByTestId('price-list').textContent()).toContain('the price list shipped with the app');
    await screenshot(page, 'spend-refresh-offline');
  });

  it('rate limits in the provider dialog, with what the provider reported beside them', async () => {
    const { page } = app;
    claude.setChatResponseHeaders({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '48',
      'anthropic-ratelimit-requests-reset': new Date(Date.now() + 30_000).toISOString(),
      'anthropic-ratelimit-tokens-limit': '40000',
      'anthropic-ratelimit-tokens-remaining': '39200',
      'anthropic-ratelimit-tokens-reset': new Date(Date.now() + 30_000).toISOString(),
    });
    const task = await page.evaluate(() => window.api.tasks.create({ agent: 'builder', instruction: 'Say hello again' }));
    expect(task).toMatchObject({ ok: true });
    await expect.poll(() => claude.counters.chat, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    claude.setChatResponseHeaders(null);

    await page.getByRole('button', { name: 'Settings' }).click();
    const claudeRow = page.locator('[data-connection="claude"]');
    await claudeRow.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Claude' });
    await dialog.getByText('Provider says: limit 50 requests, 48 left; limit 40,000 tokens, 39,200 left').waitFor({ timeout: 20_000 });
    const perMinute = dialog.getByLabel('Requests per minute');
    await perMinute.fill('lots');
    await dialog.getByLabel('Calls at once').fill('0');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Enter the requests per minute as a whole number of at least 1').waitFor();
    await dialog.getByText('Enter the calls at once as a whole number of at least 1').waitFor();
    expect(await perMinute.inputValue()).toBe('lots');
    const said = dialog.getByText('Provider says:', { exact: false });
    await said.scrollIntoViewIfNeeded();
    await screenshot(page, 'rate-limit-fields-error');
    await perMinute.fill('2');
    await dialog.getByLabel('Calls at once').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Saved: opened again, the limit is there with the provider's word beside it.
    await claudeRow.getByRole('button', { name: 'Edit' }).click();
    expect(await dialog.getByLabel('Requests per minute').inputValue()).toBe('2');
    await said.scrollIntoViewIfNeeded();
    await screenshot(page, 'rate-limit-fields');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const saved = (await page.evaluate(() => window.api.connections.list())) as {
      value: Array<{ connection: { id: string; rateLimits?: unknown } }>;
    };
    expect(saved.value.find((view) => view.connection.id === 'claude')?.connection.rateLimits).toEqual({
      requestsPerMinute: 2,
      tokensPerMinute: null,
      concurrentCalls: null,
    });
  });

  it('chat on a Primary over its cap says so and offers Retry on X and Answer anyway this once', async () => {
    const { page } = app;
    // No rate limit in the way here; the cap below what Claude (Primary) has spent this month.
    const spent = (await page.evaluate(() => window.api.spend.monthToDate())) as {
      value: Array<{ connectionId: string; costUsd: number }>;
    };
    const claudeSpent = spent.value.find((row) => row.connectionId === 'claude')!.costUsd;
    expect(
      await page.evaluate(
        (cap) =>
          (window.api.connections.update as (patch: unknown) => Promise<unknown>)({
            id: 'claude',
            monthlyBudgetUsd: cap,
            rateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentCalls: null },
          }),
        claudeSpent / 2,
      ),
    ).toMatchObject({ ok: true });
    const before = claude.counters.chat;

    await page.getByRole('button', { name: 'Chat' }).click();
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill('What is the capital of France?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const failed = page.locator('article.message-assistant').last();
    await failed.locator('.message-error').waitFor({ timeout: 30_000 });
    expect((await failed.locator('.message-error p').textContent()) ?? '').toMatch(/^Claude reached its monthly cap of \$/);
    await failed.getByRole('button', { name: 'Retry on My model' }).waitFor();
    const anyway = failed.getByRole('button', { name: 'Answer anyway this once' });
    await anyway.waitFor();
    expect(claude.counters.chat).toBe(before);
    await screenshot(page, 'chat-over-cap');

    await anyway.click();
    const answered = page.locator('article.message-assistant').last();
    await expect.poll(async () => (await answered.getAttribute('data-status')) === 'complete', { timeout: 30_000 }).toBe(true);
    expect(await answered.locator('.answer-text').textContent()).toContain('Claude answer.');
    expect(claude.counters.chat).toBe(before + 1);
    await screenshot(page, 'chat-over-cap-answered-anyway');
  });
});
