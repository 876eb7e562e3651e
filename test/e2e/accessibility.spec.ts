// Automated accessibility check (axe-core, WCAG 2.1 A and AA rules) of every screen a user reaches
// from the navigation: Chat (its first-run welcome and its open model picker too), Tasks, Activity
// and each Settings tab, in the light and the dark theme,
// with content on them (a provider, an answer with code and a table, a finished task, logged calls).
// A serious or critical violation fails the test with the rule, what to do and where it is.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

const ANSWER = [
  '## Two ways to add',
  '',
  'Use `add` for numbers; see [the guide](https://example.com/guide).',
  '',
  '```ts',
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '```',
  '',
  '| Option | Good for |',
  '| --- | --- |',
  '| add | numbers |',
].join('\n');

const SETTINGS_TABS = ['Providers', 'Routing', 'Agents', 'Local gateway', 'General'] as const;

interface Finding {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  where: string[];
}

/** Serious and critical WCAG 2.1 A/AA violations on what the page shows now. */
async function violations(page: Page, screen: string): Promise<Finding[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      screen,
      rule: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      where: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`.replace(/\s+/g, ' ')),
    }));
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  expect(await page.evaluate((value) => window.api.settings.update({ appearance: { theme: value } }), theme)).toMatchObject({ ok: true });
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

describe('accessibility (axe-core)', { timeout: 300_000 }, () => {
  let ollama: FakeProviderServer;
  let app: AppHandle;
  // Chat's first-run welcome (with the local Ollama offer), checked before a provider exists.
  const firstRun: Record<'light' | 'dark', Finding[]> = { light: [], dark: [] };

  beforeAll(async () => {
    ollama = await startFakeProviderServer({ models: ['llama3.2:3b'], name: 'ollama' });
    ollama.setReply(ANSWER);
    app = await launchApp({ env: { SWITCHBOARD_OLLAMA_URL: ollama.url } });
    const { page } = app;
    await page.getByRole('heading', { name: 'Ollama is running on this computer' }).waitFor({ timeout: 60_000 });
    // expect.poll belongs to tests: the set-up waits for the theme with the page's own wait.
    const themeNow = async (theme: 'light' | 'dark') => {
      await page.evaluate((value) => window.api.settings.update({ appearance: { theme: value } }), theme);
      await page.waitForFunction((value) => document.documentElement.dataset.theme === value, theme);
    };
    for (const theme of ['light', 'dark'] as const) {
      await themeNow(theme);
      firstRun[theme] = await violations(page, `Chat -> first-run welcome (${theme})`);
    }
    await themeNow('light');
    // Ollama needs no key, so this spec does not depend on the keychain.
    const added = await page.evaluate(
      (baseUrl) => window.api.connections.add({ kind: 'ollama', name: 'Ollama', baseUrl, defaultModel: 'llama3.2:3b' }),
      ollama.url,
    );
    expect(added).toMatchObject({ ok: true });

    await nav(page, 'Chat').click();
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill('How do I add two numbers?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await page.locator('article.message-assistant [data-testid="provenance"]').waitFor({ timeout: 30_000 });

    await nav(page, 'Tasks').click();
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.locator('form.task-form');
    await form.getByLabel('Instruction').fill('Write a function that adds two numbers.');
    await form.getByRole('button', { name: 'Run task' }).click();
    await page.getByTestId('task-status').filter({ hasText: 'Done' }).waitFor({ timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await ollama?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`has no serious or critical violations on Chat, Tasks, Activity and every Settings tab (${theme})`, async () => {
      const { page } = app;
      await setTheme(page, theme);
      const found: Finding[] = [];

      found.push(...firstRun[theme]);
      await nav(page, 'Chat').click();
      await page.locator('article.message-assistant').first().waitFor();
      found.push(...(await violations(page, 'Chat')));
      await page.getByRole('button', { name: /^Model for this conversation/ }).click();
      await page.getByRole('listbox', { name: 'Models' }).waitFor();
      found.push(...(await violations(page, 'Chat -> model picker')));
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('listbox', { name: 'Models' }).count()).toBe(0);

      await page.locator('article.message-assistant').first().getByTestId('provenance').click();
      await page.locator('.provenance-popover').getByText('Why this provider?').waitFor();
      found.push(...(await violations(page, 'Chat -> provenance popover')));
      await page.keyboard.press('Escape');
      await page.locator('.provenance-popover').waitFor({ state: 'detached' });

      await page.keyboard.press('Control+/');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      found.push(...(await violations(page, 'Keyboard shortcuts')));
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' });

      await nav(page, 'Tasks').click();
      await page.getByTestId('task-row').first().click();
      await page.getByTestId('task-answer').waitFor();
      found.push(...(await violations(page, 'Tasks')));

      await nav(page, 'Activity').click();
      await page.getByRole('heading', { name: 'Activity', exact: true }).waitFor();
      found.push(...(await violations(page, 'Activity')));

      await nav(page, 'Settings').click();
      for (const tab of SETTINGS_TABS) {
        await page.getByRole('tab', { name: tab }).click();
        await expect.poll(() => page.getByRole('tab', { name: tab }).getAttribute('aria-selected')).toBe('true');
        found.push(...(await violations(page, `Settings -> ${tab}`)));
      }
      await screenshot(page, `accessibility-settings-general-${theme}`);

      expect(found, JSON.stringify(found, null, 2)).toEqual([]);
    });
  }
});
