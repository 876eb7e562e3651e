// Chat's first run (the welcome: provider marks, the local Ollama offer, a key checked live before it
// is saved, "Start chatting") and the header's model picker (open, search, pin to one conversation,
// "Make this my Primary"), with screenshots at 1280 and 820 px, light and dark.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

const KEY = 'sk-openai-picker-e2e-0001';

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  expect(await page.evaluate((value) => window.api.settings.update({ appearance: { theme: value } }), theme)).toMatchObject({ ok: true });
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

async function eachLook(page: Page, name: string, before?: () => Promise<void>): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    for (const width of [1280, 820]) {
      await setTheme(page, theme);
      await page.setViewportSize({ width, height: 800 });
      await before?.();
      await screenshot(page, `${name}-${width}-${theme}`);
    }
  }
  await setTheme(page, 'light');
  await page.setViewportSize({ width: 1280, height: 800 });
}

const pill = (page: Page) => page.getByRole('button', { name: /^Model for this conversation/ });
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const lastAnswer = (page: Page) => page.locator('article.message-assistant').last();

async function ask(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect.poll(() => lastAnswer(page).getAttribute('data-status'), { timeout: 30_000 }).toBe('complete');
}

describeWithKeychain('chat: first run and the model picker', () => {
  let ollama: FakeProviderServer;
  let openai: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();

  beforeAll(async () => {
    ollama = await startFakeProviderServer({ models: ['llama3.2:3b', 'qwen2.5:7b'], name: 'ollama' });
    ollama.setReply('From Ollama.');
    openai = await startFakeProviderServer({ models: ['gpt-4o', 'gpt-4o-mini'], name: 'openai' });
    openai.setReply('From OpenAI.');
    openai.setExpectedKey(KEY);
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: ollama.url } });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([ollama?.close(), openai?.close()]);
  }, 180_000);

  it('welcomes a new user with the provider kinds and the local Ollama offer; "Not now" is remembered', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Welcome to Switchboard' }).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Ollama is running on this computer' }).waitFor({ timeout: 30_000 });
    for (const name of [/^Anthropic Claude/, /^OpenAI/, /^Google Gemini/, /^DeepSeek/, /^Ollama/]) {
      expect(await page.getByRole('button', { name }).count()).toBe(1);
    }
    await eachLook(page, 'first-run');

    await page.getByRole('button', { name: 'Not now' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Ollama is running on this computer' }).count()).toBe(0);
    expect(await page.evaluate(() => window.api.settings.get())).toMatchObject({
      ok: true,
      value: { chat: { ollamaOfferDeclined: true } },
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome to Switchboard' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /^OpenAI/ }).waitFor();
    // Detection has had its chance: the offer stays away.
    await page.waitForTimeout(1_000);
    expect(await page.getByRole('heading', { name: 'Ollama is running on this computer' }).count()).toBe(0);
  }, 180_000);

  it('checks a key live before saving it: a wrong key is refused and kept in the field, the right one connects', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^OpenAI/ }).click();
    const key = page.getByLabel('OpenAI API key');
    await key.fill('sk-wrong-key-0000');
    await page.getByText('Address', { exact: true }).click();
    await page.getByLabel('Base URL').fill(`${openai.url}/v1`);
    await page.getByRole('button', { name: 'Check key and connect' }).click();
    await page.getByRole('alert').filter({ hasText: 'The API key was rejected' }).waitFor({ timeout: 30_000 });
    expect(await key.inputValue()).toBe('sk-wrong-key-0000');
    const saved = await page.evaluate(() => window.api.connections.list());
    expect(saved).toMatchObject({ ok: true, value: [] });
    await screenshot(page, 'first-run-key-refused');

    await key.fill(KEY);
    await page.getByRole('button', { name: 'Check key and connect' }).click();
    await page.getByRole('heading', { name: 'OpenAI is connected' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'first-run-connected');
    await page.getByRole('button', { name: /Start chatting/ }).click();
    await expect.poll(() => page.locator('.pane-primary-name').first().textContent()).toMatch(/^Primary: OpenAI · /);
  }, 180_000);

  it('connects a running Ollama in one click ("Use Ollama (free, no key)")', async () => {
    const { page } = app;
    // Back to a first run: no provider, and the offer asked for again.
    const list = await page.evaluate(() => window.api.connections.list());
    for (const view of list.ok ? list.value : []) await page.evaluate((id) => window.api.connections.remove({ id }), view.connection.id);
    await page.evaluate(() => window.api.settings.update({ chat: { ollamaOfferDeclined: false } }));
    await page.getByRole('heading', { name: 'Welcome to Switchboard' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Use Ollama (free, no key)' }).click({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Ollama is connected' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /Start chatting/ }).click();
    await expect.poll(() => page.locator('.pane-primary-name').first().textContent()).toBe('Primary: Ollama · llama3.2:3b');
  }, 180_000);

  it('pins a model to one conversation from the header picker; other conversations stay on the Primary', async () => {
    const { page } = app;
    const added = await page.evaluate(
      ({ baseUrl, apiKey }) =>
        window.api.connections.add({
          kind: 'openai',
          name: 'OpenAI',
          baseUrl,
          apiKey,
          defaultModel: 'gpt-4o',
          discoveredModels: ['gpt-4o', 'gpt-4o-mini'],
        }),
      { baseUrl: `${openai.url}/v1`, apiKey: KEY },
    );
    expect(added).toMatchObject({ ok: true });
    await page.getByRole('button', { name: 'New chat' }).first().click();
    await expect.poll(() => pill(page).textContent()).toContain('Primary: Ollama · llama3.2:3b');

    await pill(page).click();
    const listbox = page.getByRole('listbox', { name: 'Models' });
    await listbox.waitFor();
    expect(await listbox.getByRole('option').count()).toBe(5); // Follow the Primary, 2 Ollama models, 2 OpenAI models
    expect(await listbox.getByRole('option', { selected: true }).textContent()).toContain('Follow the Primary');
    await eachLook(page, 'picker-open', async () => {
      if ((await listbox.count()) === 0) await pill(page).click();
      await listbox.waitFor();
    });
    if ((await listbox.count()) === 0) await pill(page).click();

    const search = page.getByRole('combobox', { name: 'Search models' });
    await search.fill('4o-mini');
    await expect.poll(() => listbox.getByRole('option').count()).toBe(1);
    await search.press('Enter');
    await expect.poll(() => listbox.count()).toBe(0);
    await expect.poll(() => pill(page).textContent()).toContain('OpenAI · gpt-4o-mini');
    expect(await pill(page).textContent()).toContain('Pinned');

    await ask(page, 'Who answers a pinned conversation?');
    expect(await lastAnswer(page).locator('.answer-text').textContent()).toBe('From OpenAI.');
    const pinnedConversation = await page.evaluate(async () => {
      const list = await window.api.chat.list();
      return list.ok ? list.value[0] : undefined;
    });
    expect(pinnedConversation?.pinned).toMatchObject({ model: 'gpt-4o-mini' });

    await page.getByRole('button', { name: 'New chat' }).first().click();
    await expect.poll(() => pill(page).textContent()).toContain('Primary: Ollama · llama3.2:3b');
    await ask(page, 'And who answers here?');
    expect(await lastAnswer(page).locator('.answer-text').textContent()).toBe('From Ollama.');
  }, 180_000);

  it('"Make OpenAI my Primary" changes the Primary and nothing else', async () => {
    const { page } = app;
    const before = await page.evaluate(() => window.api.settings.get());
    if (!before.ok) throw new Error(before.error.message);
    await page.locator('.conversation-item').nth(1).click();
    await expect.poll(() => pill(page).textContent()).toContain('OpenAI · gpt-4o-mini');
    await pill(page).click();
    await page.getByRole('button', { name: 'Make OpenAI my Primary' }).click();
    const openaiId = before.value.connections.find((connection) => connection.name === 'OpenAI')?.id;
    await expect
      .poll(async () => {
        const now = await page.evaluate(() => window.api.settings.get());
        return now.ok ? now.value.primaryConnectionId : null;
      })
      .toBe(openaiId);
    const now = await page.evaluate(() => window.api.settings.get());
    if (!now.ok) throw new Error(now.error.message);
    // Connections (their default models included), rules, tiers, routes and agents are as they were.
    expect([now.value.connections, now.value.routing, now.value.agents]).toEqual([
      before.value.connections,
      before.value.routing,
      before.value.agents,
    ]);
    // This conversation keeps its pin; a new one starts on the new Primary.
    await expect.poll(() => pill(page).textContent()).toContain('Pinned');
    await page.getByRole('button', { name: 'New chat' }).first().click();
    await expect.poll(() => pill(page).textContent()).toContain('Primary: OpenAI · gpt-4o');
  }, 180_000);
});
