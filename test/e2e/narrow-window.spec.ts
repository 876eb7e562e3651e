// A narrow window (820 px): the nav keeps its icons, chat's conversation list becomes a drawer
// (Ctrl+B or the header button) that closes once a conversation is picked, and the conversation
// gets the width to read.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });

async function ask(page: Page, question: string): Promise<void> {
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await page.locator('article.message-assistant [data-testid="provenance"]').last().waitFor({ timeout: 30_000 });
}

describe('narrow window', { timeout: 180_000 }, () => {
  let ollama: FakeProviderServer;
  let app: AppHandle;

  beforeAll(async () => {
    ollama = await startFakeProviderServer({ models: ['llama3.2:3b'], name: 'ollama' });
    ollama.setReply('The router tries the Primary first, then the backup, and says why at each step.');
    app = await launchApp({ env: { SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    const added = await app.page.evaluate(
      (baseUrl) => window.api.connections.add({ kind: 'ollama', name: 'Ollama', baseUrl, defaultModel: 'llama3.2:3b' }),
      ollama.url,
    );
    if (!added.ok) throw new Error(added.error.message);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await ollama?.close();
  });

  it('at 1280 px shows the nav with names and the conversation list as a column; Ctrl+B hides and shows it', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 800 });
    await nav(page, 'Chat').click();
    await ask(page, 'How does routing pick a provider?');
    const list = page.getByRole('complementary', { name: 'Conversations' });
    expect(await list.getAttribute('data-mode')).toBe('column');
    expect(await nav(page, 'Chat').textContent()).toBe('Chat');
    await screenshot(page, 'wide-chat');

    await page.keyboard.press('Control+B');
    await expect.poll(() => list.isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Show conversations' }).getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Control+B');
    await expect.poll(() => list.isVisible()).toBe(true);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`at 820 px keeps nav icons, opens the conversation list as a drawer and closes it on a pick (${theme})`, async () => {
      const { page } = app;
      expect(await page.evaluate((value) => window.api.settings.update({ appearance: { theme: value } }), theme)).toMatchObject({
        ok: true,
      });
      await page.setViewportSize({ width: 820, height: 640 });
      await nav(page, 'Chat').click();
      await ask(page, `A second question (${theme})`);

      // The nav is icons only, still named for screen readers and tooltips.
      const chatNav = nav(page, 'Chat');
      expect((await chatNav.boundingBox())!.width).toBeLessThan(60);
      expect(await chatNav.getAttribute('title')).toBe('Chat');
      // The list is out of the way; the conversation has the width.
      const list = page.getByRole('complementary', { name: 'Conversations' });
      expect(await list.isVisible()).toBe(false);
      const pane = page.getByRole('region', { name: 'Conversation' });
      expect((await pane.boundingBox())!.width).toBeGreaterThan(700);
      await screenshot(page, `narrow-chat-${theme}`);

      await page.getByRole('button', { name: 'Show conversations' }).click();
      await expect.poll(() => list.getAttribute('data-mode')).toBe('drawer');
      await screenshot(page, `narrow-chat-drawer-${theme}`);
      await list.locator('.conversation-item').nth(1).click();
      await expect.poll(() => list.isVisible()).toBe(false);

      // Ctrl+B opens it again; Escape closes it.
      await page.keyboard.press('Control+B');
      await expect.poll(() => list.isVisible()).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => list.isVisible()).toBe(false);
    });
  }
});
