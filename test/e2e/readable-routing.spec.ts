// Routing that reads as sentences and tasks that say how they ended, at 1280 and 820 px, light and
// dark: the Rules list says how order is decided, each agent card writes out its chain (decided by
// main's router), a task can name its own model, and a finished task has a one-line summary.
import keytar from 'keytar';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  expect(await page.evaluate((value) => window.api.settings.update({ appearance: { theme: value } }), theme)).toMatchObject({ ok: true });
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

describeWithKeychain('routing as sentences, agent chains and task summaries', () => {
  let deepseek: FakeProviderServer;
  let claude: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();
  const detail = () => app.page.locator('.task-detail');

  beforeAll(async () => {
    deepseek = await startFakeProviderServer({ models: ['deepseek-chat', 'deepseek-reasoner'], name: 'deepseek' });
    claude = await startFakeProviderServer({ models: ['claude-sonnet-4-6'], name: 'claude' });
    deepseek.setReply('DeepSeek wrote the function.');
    claude.setReply('Claude wrote the function.');
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    const { page } = app;
    for (const input of [
      { kind: 'deepseek', name: 'DeepSeek', baseUrl: `${deepseek.url}/v1`, apiKey: 'sk-deepseek-read-01', defaultModel: 'deepseek-chat' },
      { kind: 'anthropic', name: 'Claude', baseUrl: claude.url, apiKey: 'sk-ant-read-01', defaultModel: 'claude-sonnet-4-6' },
    ]) {
      expect(
        await page.evaluate((request) => (window.api.connections.add as (r: unknown) => Promise<unknown>)(request), input),
      ).toMatchObject({ ok: true });
    }
    // Builder tasks go to Claude by rule; DeepSeek (the Primary) is next.
    const settings = await page.evaluate(() => window.api.settings.get());
    if (!settings.ok) throw new Error(settings.error.message);
    const routing = {
      ...settings.value.routing,
      defaultSameProviderRetries: 0,
      rules: [{ id: 'rule-builder', context: 'agent:builder', connectionId: 'claude', priority: 0 }],
    };
    expect(await page.evaluate((request) => window.api.routing.update(request), routing)).toMatchObject({ ok: true });

    // A builder task whose first provider fails: it is answered by the next one, and says so in one line.
    await claude.setFault('unavailable', { times: 1 });
    await nav(page, 'Tasks').click();
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.locator('form.task-form');
    await form.getByLabel('Instruction').fill('Write a function that adds two numbers.');
    await form.getByRole('button', { name: 'Run task' }).click();
    await detail().getByTestId('task-status').filter({ hasText: 'Done' }).waitFor({ timeout: 60_000 });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([deepseek?.close(), claude?.close()]);
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('says how the task ended in one line, groups its attempts and explains the dots; finished, it offers Run again', async () => {
    const summary = detail().getByTestId('task-summary');
    await expect.poll(() => summary.textContent()).toBe('Answered by DeepSeek after Claude is unavailable.');
    expect(await detail().getByRole('list', { name: 'What the dots mean' }).textContent()).toContain('answered');
    expect(await detail().locator('.timeline-attempt').count()).toBe(2);
    expect(await detail().getByRole('button', { name: 'Run again' }).count()).toBe(1);
    expect(await detail().getByRole('button', { name: 'Retry' }).count()).toBe(0);
    // Finished while the user was on Tasks: no notification.
    expect(app.runtimeRecord().notifications).toEqual([]);
  });

  it('counts running tasks on Tasks in the nav, and tells of one that finishes while the user is on another page', async () => {
    const { page } = app;
    await claude.setFault('slow-between-chunks', { delayMs: 400 });
    const created = await page.evaluate(() => window.api.tasks.create({ agent: 'builder', instruction: 'Write a slow function' }));
    expect(created).toMatchObject({ ok: true });
    await nav(page, 'Activity').click();
    await expect.poll(() => page.getByTestId('tasks-count').textContent(), { timeout: 20_000 }).toContain('1');
    await screenshot(page, 'readable-nav-count');
    await expect
      .poll(() => app.runtimeRecord().notifications, { timeout: 60_000 })
      .toEqual([{ title: 'Builder task finished', body: 'Answered by Claude. “Write a slow function”' }]);
    await expect.poll(() => page.getByTestId('tasks-count').count()).toBe(0);
    // A click on the notification opens that task, not only the list.
    app.clickLastNotification();
    await expect.poll(() => detail().getByTestId('task-summary').textContent()).toBe('Answered by Claude.');
    expect(await detail().textContent()).toContain('Write a slow function');
    await claude.setFault(null);
  });

  it('runs one task on a model named in the form, with the model’s capabilities shown', async () => {
    const { page } = app;
    const before = { deepseek: deepseek.counters.chat, claude: claude.counters.chat };
    await nav(page, 'Tasks').click();
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.locator('form.task-form');
    await form.getByLabel('Run on').selectOption('model');
    await form.getByLabel('Provider for this task').selectOption('deepseek');
    await form.getByLabel('Model for this task').fill('deepseek-chat');
    await form.getByLabel('Instruction').fill('Write a function that subtracts two numbers.');
    await expect.poll(() => form.getByTestId('will-run-on').textContent()).toContain('Will run on DeepSeek · deepseek-chat');
    expect(await form.getByTestId('will-run-on').textContent()).toContain('named for this task');
    await screenshot(page, 'readable-task-form-model');
    await form.getByRole('button', { name: 'Run task' }).click();
    await detail().getByTestId('task-status').filter({ hasText: 'Done' }).waitFor({ timeout: 60_000 });
    expect(await detail().getByTestId('task-summary').textContent()).toBe('Answered by DeepSeek.');
    expect([deepseek.counters.chat - before.deepseek, claude.counters.chat - before.claude]).toEqual([1, 0]);
  });

  for (const width of [1280, 820] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`reads as sentences at ${width} px (${theme}): Rules with its order, an agent card with its chain, a task with its summary`, async () => {
        const { page } = app;
        await page.setViewportSize({ width, height: 800 });
        await setTheme(page, theme);

        await nav(page, 'Tasks').click();
        await page.getByTestId('task-row').last().click();
        await detail().getByTestId('task-summary').waitFor();
        await screenshot(page, `readable-task-summary-${width}-${theme}`);

        await nav(page, 'Settings').click();
        await page.getByRole('tab', { name: 'Routing' }).click();
        const rules = page.locator('section[aria-labelledby="rules-title"]');
        await rules.scrollIntoViewIfNeeded();
        expect(await rules.getByTestId('order-note').textContent()).toContain('the lowest priority number first');
        expect(await rules.getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining(['When', 'Use', 'Model']));
        expect(await page.getByLabel('When rule 1 applies').locator('option:checked').textContent()).toBe('Builder tasks');
        await screenshot(page, `readable-routing-${width}-${theme}`);

        await page.getByRole('tab', { name: 'Agents' }).click();
        const builder = page.locator('[data-agent="builder"]');
        await expect
          .poll(() => builder.getByTestId('agent-chain').textContent())
          .toBe('Builder: Claude claude-sonnet-4-6, then DeepSeek deepseek-chat');
        expect(await page.locator('[data-agent="vision_agent"] .agent-name').textContent()).toBe('Vision');
        await screenshot(page, `readable-agent-chain-${width}-${theme}`);
      });
    }
  }
});
