import keytar from 'keytar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { perplexityAnswer, perplexitySearchResults } from '../fixtures/providers/perplexity-citations';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

// A Perplexity-format backend cites its sources; they stay with the answer in chat, in a task
// and in the call log.

describeWithKeychain('sources a provider cites', () => {
  let perplexity: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();

  beforeAll(async () => {
    perplexity = await startFakeProviderServer({ models: ['sonar', 'sonar-pro'], name: 'perplexity' });
    // The short title request after a first answer gets the plain default reply.
    perplexity.setRecordedReply((request) => (JSON.stringify(request.body).includes('Write a title') ? null : perplexityAnswer));
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    const added = await app.page.evaluate((request) => (window.api.connections.add as (r: unknown) => Promise<unknown>)(request), {
      kind: 'perplexity',
      name: 'Perplexity',
      baseUrl: `${perplexity.url}/v1`,
      apiKey: 'pplx-sources-e2e-0001',
      defaultModel: 'sonar',
    });
    expect(added).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await app?.close();
    await perplexity?.close();
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('shows numbered sources under the chat answer, the task answer and in the Activity detail', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill('Who won the 2024 Nobel Prize in Physics, and for what?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const answer = page.locator('article.message-assistant').last();
    await expect.poll(() => answer.getAttribute('data-status'), { timeout: 20_000 }).toBe('complete');
    const sources = answer.getByTestId('answer-source');
    await expect.poll(() => sources.count()).toBe(3);
    expect(await sources.nth(0).textContent()).toBe('[1]The Nobel Prize in Physics 2024 - NobelPrize.orgnobelprize.org · 2024-10-08');
    expect(await sources.nth(2).textContent()).toContain('Geoffrey Hinton - Wikipedia');
    expect(await answer.locator('.answer-text').textContent()).toContain('Hopfield and Geoffrey Hinton');
    await screenshot(page, 'chat-answer-sources');

    // Sources survive a reload of the conversation from the database.
    await page.reload();
    await page.locator('article.message-assistant').last().getByTestId('answer-source').first().waitFor({ timeout: 20_000 });

    // A research task keeps them with its answer.
    const created = await page.evaluate(() =>
      window.api.tasks.create({ agent: 'research', instruction: 'Who won the 2024 Nobel Prize in Physics?' }),
    );
    expect(created).toMatchObject({ ok: true });
    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.locator('.task-list li button').first().click();
    const taskSources = page.locator('.task-detail').getByTestId('answer-source');
    await expect.poll(() => taskSources.count(), { timeout: 20_000 }).toBe(3);
    await screenshot(page, 'task-answer-sources');

    // The call log keeps them, numbered, with the response.
    await page.getByRole('button', { name: 'Activity' }).click();
    const rows = page.locator('.calls-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    // The chat answer's row (the title request after it is a chat call too, without sources).
    await rows.filter({ hasText: 'task' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Why this provider').waitFor();
    const detail = (await dialog.textContent()) ?? '';
    for (const [index, source] of perplexitySearchResults.entries())
      expect(detail).toContain(`[${index + 1}] ${source.title} ${source.url}`);
    await screenshot(page, 'activity-detail-sources');
  });
});
