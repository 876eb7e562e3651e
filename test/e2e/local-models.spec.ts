import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

/** Adds the Ollama the app found on this machine, and waits for its dot to go green. */
async function addFoundOllama(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const offer = page.getByRole('status').filter({ hasText: 'Ollama is running on this machine' });
  await offer.getByRole('button', { name: 'Add Ollama' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add provider' });
  await dialog.getByRole('button', { name: 'Add provider' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = page.locator('[data-connection="ollama"]');
  await expect.poll(() => row.locator('.health-dot').getAttribute('data-color'), { timeout: 30_000 }).toBe('green');
}

describe('local models', { timeout: 180_000 }, () => {
  let ollama: FakeProviderServer;
  let app: AppHandle | null = null;

  beforeAll(async () => {
    ollama = await startFakeProviderServer({ models: ['llama3.2:3b', 'llava:7b'], name: 'ollama' });
  });
  afterEach(async () => {
    await app?.close();
    app = null;
    await ollama.reset();
    ollama.setModels(['llama3.2:3b', 'llava:7b']);
  });
  afterAll(() => ollama.close());

  it('a chat answer while the model loads says so, then answers; the row shows what is loaded, and the dot stays green', async () => {
    app = await launchApp({ env: { SWITCHBOARD_OLLAMA_URL: ollama.url } });
    const { page } = app;
    await addFoundOllama(page);

    // Nothing in memory, and loading takes a few seconds.
    ollama.ollama.setLoaded([]);
    ollama.ollama.setLoadDelay(4_000);
    ollama.setReply('Local answer: the data never left this machine.');
    await page.getByRole('button', { name: 'Chat' }).click();
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill('Summarise the contract in one line.');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const loading = page.getByRole('status').filter({ hasText: 'Loading model llama3.2:3b on Ollama' });
    await loading.waitFor({ timeout: 15_000 });
    await expect.poll(() => loading.textContent(), { timeout: 10_000 }).toMatch(/\([1-9]\d* s\)/);
    await screenshot(page, 'local-models-chat-loading');
    const answer = page.locator('article.message-assistant').last();
    await answer.getByText('Local answer: the data never left this machine.').waitFor({ timeout: 20_000 });
    expect(await loading.count()).toBe(0);
    // The answer's details say where the time to the first token went.
    await answer.getByTestId('provenance').click();
    const details = page.locator('.provenance-popover');
    await details.waitFor();
    expect(await details.textContent()).toMatch(/Model load\s*[4-9][\d.]* s/);
    await screenshot(page, 'local-models-chat-answered');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Settings' }).click();
    const row = page.locator('[data-connection="ollama"]');
    await expect.poll(() => row.getByTestId('loaded-models').textContent(), { timeout: 15_000 }).toBe('Loaded: llama3.2:3b (2.0 GB)');
    expect(await row.locator('.health-dot').getAttribute('data-color')).toBe('green');
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'local-models-provider-row-loaded');

    // A task while the model loads: the trace counts the seconds, then says how long the load took.
    ollama.ollama.setLoaded([]);
    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.locator('form.task-form');
    await form.getByLabel('Instruction').fill('List the parties of the contract.');
    await form.getByRole('button', { name: 'Run task' }).click();
    const trace = page.getByTestId('task-trace');
    await expect.poll(() => trace.textContent(), { timeout: 15_000 }).toMatch(/Loading model llama3\.2:3b on Ollama \([1-9]\d* s\)…/);
    await screenshot(page, 'local-models-task-loading');
    await expect
      .poll(() => trace.textContent(), { timeout: 20_000 })
      .toMatch(/Ollama loaded llama3\.2:3b in [\d.]+ s; the latency budget starts now/);
    await expect.poll(() => trace.textContent(), { timeout: 20_000 }).toContain('Answered by Ollama');
  });

  it('manages models: list with sizes, pull with progress and cancel, a failed pull says why, delete with a confirmation', async () => {
    ollama.ollama.setModelFacts('llava:7b', { size: 4_736_000_000, quantization: 'Q4_0', parameterSize: '7B' });
    ollama.ollama.setLoaded(['llama3.2:3b']);
    ollama.ollama.setPullBehaviour('qwen2.5:7b', { steps: 40, stepDelayMs: 250, facts: { size: 4_683_000_000 } });
    ollama.ollama.setPullBehaviour('phi3:mini', { steps: 6, stepDelayMs: 100, failAfterSteps: 3, error: 'max retries exceeded: EOF' });
    ollama.ollama.setPullBehaviour('mistral:7b', { steps: 4, stepDelayMs: 50, facts: { size: 4_113_000_000, quantization: 'Q4_0' } });
    app = await launchApp({ env: { SWITCHBOARD_OLLAMA_URL: ollama.url } });
    const { page } = app;
    await addFoundOllama(page);
    const row = page.locator('[data-connection="ollama"]');
    await row.getByRole('button', { name: 'Manage models' }).click();
    const dialog = page.getByRole('dialog', { name: 'Models on Ollama' });
    const summary = dialog.getByTestId('local-models-summary');
    await expect.poll(() => summary.textContent(), { timeout: 15_000 }).toBe('2 models · 6.8 GB on disk · 1 loaded');
    const llava = dialog.locator('tr[data-model="llava:7b"]');
    expect(await llava.textContent()).toContain('4.7 GB7BQ4_0on disk');
    expect(await dialog.locator('tr[data-model="llama3.2:3b"]').textContent()).toContain('Loaded');

    // A pull in progress: a progress bar, the server's words and Cancel.
    await dialog.getByLabel('Pull a model').fill('qwen2.5:7b');
    await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
    const bar = dialog.getByRole('progressbar', { name: 'Pulling qwen2.5:7b' });
    await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 15_000 }).toBeGreaterThan(100);
    expect(await dialog.locator('[data-pull="qwen2.5:7b"]').textContent()).toMatch(/pulling [0-9a-f]+ · [\d.]+ [MG]B of 4\.7 GB \(\d+%\)/);
    await screenshot(page, 'local-models-pull-in-progress');
    await dialog.locator('[data-pull="qwen2.5:7b"]').getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByText('The pull of qwen2.5:7b was cancelled').waitFor();
    expect(await dialog.locator('tr[data-model="qwen2.5:7b"]').count()).toBe(0);

    // A pull that fails midway says why, and lists nothing.
    await dialog.getByLabel('Pull a model').fill('phi3:mini');
    await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
    const failure = dialog.getByRole('alert').filter({ hasText: 'The pull of phi3:mini failed: max retries exceeded: EOF' });
    await failure.waitFor({ timeout: 15_000 });
    expect(await dialog.locator('tr[data-model="phi3:mini"]').count()).toBe(0);
    await screenshot(page, 'local-models-pull-failed');

    // A bad name is refused before anything is sent.
    await dialog.getByLabel('Pull a model').fill('llama 3');
    await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
    await dialog.getByText('A model name has letters, digits and . _ - / : only').waitFor();
    expect(await dialog.getByLabel('Pull a model').inputValue()).toBe('llama 3');

    // A pull that completes is listed with its size.
    await dialog.getByLabel('Pull a model').fill('mistral:7b');
    await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
    await dialog.getByText('mistral:7b is pulled and ready.').waitFor({ timeout: 15_000 });
    await expect.poll(() => summary.textContent()).toBe('3 models · 10.9 GB on disk · 1 loaded');

    // Delete asks first, then removes the files.
    await llava.getByRole('button', { name: 'Delete llava:7b' }).click();
    const confirmation = dialog.getByRole('alertdialog', { name: 'Delete llava:7b?' });
    expect(await confirmation.textContent()).toContain('(4.7 GB) are removed from the server’s disk');
    await screenshot(page, 'local-models-delete-confirmation');
    await confirmation.getByRole('button', { name: 'Keep it' }).click();
    expect(await llava.count()).toBe(1);
    await llava.getByRole('button', { name: 'Delete llava:7b' }).click();
    await confirmation.getByRole('button', { name: 'Delete llava:7b' }).click();
    await expect.poll(() => llava.count()).toBe(0);
    await expect.poll(() => summary.textContent()).toBe('2 models · 6.1 GB on disk · 1 loaded');
    expect(ollama.requests.filter((request) => request.path === '/api/delete')).toHaveLength(1);
    await screenshot(page, 'local-models-manager');
  });

  it('shows the local-model settings, and an empty server says what to do', async () => {
    ollama.setModels([]);
    app = await launchApp({ env: { SWITCHBOARD_OLLAMA_URL: ollama.url } });
    const { page } = app;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Ollama is running on this machine' })
      .getByRole('button', { name: 'Add Ollama' })
      .click();
    const add = page.getByRole('dialog', { name: 'Add provider' });
    await add.getByLabel('Default model').fill('llama3.2');
    await add.getByRole('button', { name: 'Add provider' }).click();
    await add.waitFor({ state: 'detached' });
    const section = page.getByRole('region', { name: 'Local models' });
    await section.getByLabel('Keep loaded after a call').fill('ten minutes');
    await section.getByLabel('Context size (tokens)').click();
    await section.getByText('Use a duration such as 30s, 10m or 1h').waitFor();
    await section.getByLabel('Keep loaded after a call').fill('1h');
    await section.getByLabel('Context size (tokens)').fill('16384');
    await section.getByLabel('Keep loaded after a call').click();
    await expect.poll(() => section.getByText('Use a duration such as').count()).toBe(0);
    const savedLocal = () =>
      (JSON.parse(readFileSync(join(app!.userDataDir, 'settings.json'), 'utf8')) as { localModels: unknown }).localModels;
    await expect.poll(savedLocal).toEqual({ contextTokens: 16_384, keepAlive: '1h', warmPrimary: true });
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'local-models-settings');

    await page.locator('[data-connection="ollama"]').getByRole('button', { name: 'Manage models' }).click();
    const dialog = page.getByRole('dialog', { name: 'Models on Ollama' });
    await dialog.getByText('No models on Ollama yet. Pull one by name above, for example llama3.2.').waitFor({ timeout: 15_000 });
    await screenshot(page, 'local-models-manager-empty');
    await dialog.getByRole('button', { name: 'Done' }).click();
  });
});
