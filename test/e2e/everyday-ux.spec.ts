// Everyday screens at 1280 and 820 px, light and dark, each saved as a screenshot to judge: Activity's Calls
// (searched as typed) and Insights, a provider form asking before Esc discards what was typed, an answer's
// provenance popover with "Why this provider?", and an answer cut off by a lost connection, continued.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
const REPLY = 'Routing tries the Primary first, then each backup in order, and writes down why at every step of the way.';

describe('everyday screens', { timeout: 300_000 }, () => {
  let ollama: FakeProviderServer;
  let app: AppHandle;

  beforeAll(async () => {
    ollama = await startFakeProviderServer({ models: ['llama3.2:3b'], name: 'ollama' });
    ollama.setReply(REPLY);
    app = await launchApp({ env: { SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    const added = await app.page.evaluate(
      (baseUrl) => window.api.connections.add({ kind: 'ollama', name: 'Ollama', baseUrl, defaultModel: 'llama3.2:3b' }),
      ollama.url,
    );
    if (!added.ok) throw new Error(added.error.message);
    const { page } = app;
    await nav(page, 'Chat').click();
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill('How does routing pick a provider?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await page.locator('article.message-assistant[data-status="complete"]').waitFor({ timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await ollama?.close();
  });

  it('an answer cut off by a lost connection says why and continues where it stopped', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 800 });
    await ollama.setFault('drop-mid-stream', { afterChunks: 2 });
    await page.getByRole('textbox', { name: 'Message' }).fill('And when the Primary fails?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const answer = page.locator('article.message-assistant').last();
    await answer.locator('[data-testid="answer-stopped"]').waitFor({ timeout: 60_000 });
    expect(await answer.getAttribute('data-status')).toBe('interrupted');
    await answer.getByText('Interrupted: the connection was lost part way.').waitFor();
    const partial = (await answer.locator('.answer-text').textContent()) ?? '';
    expect(partial.length).toBeGreaterThan(0);
    await screenshot(page, 'ux-interrupted-1280-light');

    await ollama.setFault(null);
    ollama.setReply(' Then it moves to the next backup.');
    await answer.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => answer.getAttribute('data-status'), { timeout: 60_000 }).toBe('complete');
    const whole = (await answer.locator('.answer-text').textContent()) ?? '';
    expect(whole.startsWith(partial.trim().slice(0, 10))).toBe(true);
    expect(whole).toContain('Then it moves to the next backup.');
    expect(await answer.locator('[data-testid="answer-stopped"]').count()).toBe(0);
  });

  for (const width of [1280, 820] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`Activity, a form asking before discarding, the provenance popover and the shortcuts at ${width} px (${theme})`, async () => {
        const { page } = app;
        expect(await page.evaluate((value) => window.api.settings.update({ appearance: { theme: value } }), theme)).toMatchObject({
          ok: true,
        });
        await page.setViewportSize({ width, height: width === 1280 ? 800 : 640 });
        const tag = `${width}-${theme}`;

        // The provenance chip opens its details and "Why this provider?"; Esc closes it.
        await nav(page, 'Chat').click();
        const chip = page.locator('article.message-assistant').first().getByTestId('provenance');
        await chip.click();
        const popover = page.locator('.provenance-popover');
        await popover.getByText('Why this provider?').waitFor();
        await popover.getByText('was on the list as Primary', { exact: false }).waitFor();
        await popover.getByTestId('answer-trace').waitFor();
        expect(await popover.getByTestId('answer-trace').textContent()).toMatch(/\+\d/);
        await screenshot(page, `ux-provenance-${tag}`);
        await page.keyboard.press('Escape');
        await popover.waitFor({ state: 'detached' });
        await screenshot(page, `ux-chat-${tag}`);

        // Ctrl+/ lists the shortcuts.
        await page.keyboard.press('Control+/');
        const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
        await shortcuts.getByText('Show or hide the conversation list').waitFor();
        await screenshot(page, `ux-shortcuts-${tag}`);
        await page.keyboard.press('Escape');
        await shortcuts.waitFor({ state: 'detached' });

        // Activity: Calls searched as typed, then Insights.
        await nav(page, 'Activity').click();
        const calls = page.locator('.calls-table tbody tr');
        await calls.first().waitFor();
        await page.getByLabel('Search calls').fill('zzz-nothing-matches');
        await page.getByText('No calls match these filters.').waitFor();
        await page.getByLabel('Search calls').fill('');
        await calls.first().waitFor();
        await screenshot(page, `ux-activity-calls-${tag}`);
        await page.getByRole('tab', { name: 'Insights' }).click();
        await page.getByRole('tabpanel').waitFor();
        await screenshot(page, `ux-activity-insights-${tag}`);
        await page.getByRole('tab', { name: 'Calls' }).click();

        // A provider form with typed input asks before Esc throws it away; Keep editing keeps it.
        await nav(page, 'Settings').click();
        await page.getByRole('tab', { name: 'Providers' }).click();
        await page.getByRole('button', { name: 'Add provider' }).first().click();
        const form = page.getByRole('dialog', { name: 'Add provider' });
        await form.getByLabel('Name').fill('My typed name');
        await page.keyboard.press('Escape');
        const question = page.getByRole('alertdialog', { name: /Discard what you typed\?/ });
        await question.waitFor();
        await screenshot(page, `ux-discard-asks-${tag}`);
        await question.getByRole('button', { name: 'Keep editing' }).click();
        await question.waitFor({ state: 'detached' });
        expect(await form.getByLabel('Name').inputValue()).toBe('My typed name');
        await page.keyboard.press('Escape');
        await question.getByRole('button', { name: 'Discard' }).click();
        await form.waitFor({ state: 'detached' });
        // An untouched form closes on Esc at once.
        await page.getByRole('button', { name: 'Add provider' }).first().click();
        await form.waitFor();
        await page.keyboard.press('Escape');
        await form.waitFor({ state: 'detached' });
      });
    }
  }
});
