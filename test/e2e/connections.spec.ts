import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

const KEY = 'sk-e2e-4f9c1d7a2b8e6f0a3c5d7e9b1a2c4d6e';

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describeWithKeychain('connections (real keychain)', () => {
  let server: FakeProviderServer;
  let app: AppHandle | null = null;
  const service = testKeychainService();

  beforeAll(async () => {
    server = await startFakeProviderServer({ models: ['gpt-4o', 'gpt-4o-mini', 'o4-mini'], name: 'openai' });
  });
  afterEach(async () => {
    await app?.close();
    app = null;
    await server.reset();
  });
  afterAll(async () => {
    await server.close();
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('adds a provider with a key, goes green, turns red with the reason when the provider breaks, and green again on Test connection', async () => {
    server.setExpectedKey(KEY);
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add provider' });
    await dialog.getByLabel('Provider type').selectOption('openai');
    expect(await dialog.getByLabel('Name').inputValue()).toBe('OpenAI');
    expect(await dialog.getByLabel('Base URL').inputValue()).toBe('https://api.openai.com/v1');
    await dialog.getByLabel('Name').fill('My OpenAI');
    await dialog.getByLabel('API key').fill(KEY);
    await dialog.getByLabel('Base URL').fill(`${server.url}/v1`);
    await dialog.getByRole('button', { name: 'Find models' }).click();
    await dialog.getByText('Found 3 models.').waitFor();
    await dialog.getByLabel('Default model').fill('gpt-4o-mini');
    await screenshot(page, 'connections-add-dialog');
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.locator('[data-connection="my-openai"]');
    await expect.poll(() => row.locator('.health-dot').getAttribute('data-color'), { timeout: 15_000 }).toBe('green');
    expect(await row.textContent()).toContain('Primary');
    expect(await row.textContent()).toContain('•••• 4d6e');
    await row.getByText('Connected: 3 models available; gpt-4o-mini answered.').waitFor();
    await screenshot(page, 'connections-green');

    // The provider starts rejecting the key: the dot turns red at once, saying why.
    await server.setFault('unauthorized', { on: 'all' });
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => row.locator('.health-dot').getAttribute('data-color')).toBe('red');
    await row.getByText('The API key was rejected', { exact: false }).first().waitFor();
    const tooltip = await row.locator('.health-tip').textContent();
    expect(tooltip).toContain('Failing: skipped by routing');
    expect(tooltip).toContain('Next check at');
    await screenshot(page, 'connections-red');

    // Fixed: Test connection turns it green again.
    await server.setFault(null);
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => row.locator('.health-dot').getAttribute('data-color')).toBe('green');

    // The key is in the keychain, and nowhere else: not in any file of the app's data folder,
    // not in what main printed, not in any IPC response.
    expect(JSON.parse((await keytar.getPassword(service, 'provider-key:my-openai')) ?? '{}')).toMatchObject({ key: KEY, kind: 'openai' });
    for (const file of filesUnder(app.userDataDir)) expect(readFileSync(file, 'utf8'), file).not.toContain(KEY);
    const responses = await page.evaluate(async () =>
      JSON.stringify([await window.api.connections.list(), await window.api.settings.get()]),
    );
    expect(responses).toContain('my-openai');
    expect(responses).not.toContain(KEY);
    expect(app.output()).not.toContain(KEY);
  });

  it('turns a connection red by itself when the provider keeps failing, with no button pressed', async () => {
    app = await launchApp({
      env: {
        SWITCHBOARD_KEYCHAIN_SERVICE: service,
        SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9',
        SWITCHBOARD_HEALTH_PROBE_INTERVAL_MS: '300',
      },
    });
    const { page } = app;
    const added = await page.evaluate(
      (baseUrl) =>
        window.api.connections.add({
          kind: 'deepseek',
          name: 'DeepSeek',
          baseUrl,
          apiKey: 'sk-deepseek-e2e-0001',
          defaultModel: 'deepseek-chat',
        }),
      `${server.url}/v1`,
    );
    expect(added).toMatchObject({ ok: true });
    await page.getByRole('button', { name: 'Settings' }).click();
    const row = page.locator('[data-connection="deepseek"]');
    await expect.poll(() => row.locator('.health-dot').getAttribute('data-color'), { timeout: 15_000 }).toBe('green');
    await server.setFault('unavailable', { on: 'all' });
    await expect.poll(() => row.locator('.health-dot').getAttribute('data-color'), { timeout: 20_000 }).toBe('red');
    expect(await row.textContent()).toContain('3 failures in a row');
    await server.setFault(null);
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => row.locator('.health-dot').getAttribute('data-color')).toBe('green');
  });

  it('connects to a LiteLLM proxy from its preset: an OpenAI-compatible connection that does not count as local', async () => {
    const proxy = await startFakeProviderServer({ models: ['route/resilient', 'agent/builder'], name: 'litellm' });
    try {
      proxy.setExpectedKey('sk-litellm-master-e2e');
      app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
      const { page } = app;
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('button', { name: 'Add a provider' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add provider' });
      await dialog.getByLabel('Provider type').selectOption({ label: 'LiteLLM proxy (a shared team gateway)' });
      expect(await dialog.getByLabel('Name').inputValue()).toBe('LiteLLM proxy');
      expect(await dialog.getByLabel('Base URL').inputValue()).toBe('http://localhost:4000/v1');
      // On localhost, yet it sends the work on to cloud providers.
      expect(await dialog.getByLabel('Stays on my machine or network').isChecked()).toBe(false);
      await dialog.getByText('Export for LiteLLM in Settings writes one', { exact: false }).waitFor();
      await screenshot(page, 'connections-litellm-preset');

      await dialog.getByLabel('API key').fill('sk-litellm-master-e2e');
      await dialog.getByLabel('Base URL').fill(`${proxy.url}/v1`);
      await dialog.getByRole('button', { name: 'Find models' }).click();
      await dialog.getByText('Found 2 models.').waitFor();
      await dialog.getByLabel('Default model').fill('route/resilient');
      await dialog.getByRole('button', { name: 'Add provider' }).click();
      await dialog.waitFor({ state: 'detached' });

      const row = page.locator('[data-connection="litellm-proxy"]');
      await expect.poll(() => row.locator('.health-dot').getAttribute('data-color'), { timeout: 15_000 }).toBe('green');
      const saved = JSON.parse(readFileSync(join(app.userDataDir, 'settings.json'), 'utf8')).connections[0];
      expect(saved).toMatchObject({
        kind: 'custom',
        name: 'LiteLLM proxy',
        baseUrl: `${proxy.url}/v1`,
        defaultModel: 'route/resilient',
        local: false,
      });
    } finally {
      await proxy.close();
    }
  });

  it('shows bad input next to the field and changes nothing', async () => {
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    const { page } = app;
    const first = await page.evaluate(
      (baseUrl) =>
        window.api.connections.add({ kind: 'openai', name: 'Work', baseUrl, apiKey: 'sk-work-e2e-0001', defaultModel: 'gpt-4o' }),
      `${server.url}/v1`,
    );
    expect(first).toMatchObject({ ok: true });
    const settingsFile = join(app.userDataDir, 'settings.json');
    const before = readFileSync(settingsFile, 'utf8');

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Add provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add provider' });
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.getByText('Choose a provider type from the list.').waitFor();
    await dialog.getByLabel('Provider type').selectOption('anthropic');
    await dialog.getByLabel('Name').fill('work');
    await dialog.getByLabel('API key').fill('   ');
    await dialog.getByLabel('Base URL').fill('ftp://api.anthropic.com');
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.getByText('A connection named "work" already exists. Choose another name.').waitFor();
    await dialog.getByText('The API key is empty.', { exact: false }).waitFor();
    await dialog.getByText('The base URL must start with http:// or https://').waitFor();
    expect(await dialog.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'connections-bad-input');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Main checks the same things itself, naming the field, whatever the renderer sends.
    const refusals = await page.evaluate(async (baseUrl) => {
      const add = (input: unknown) => (window.api.connections.add as (request: unknown) => Promise<unknown>)(input);
      return [
        await add({ kind: 'openai', name: 'Other', baseUrl, apiKey: '  \n ', defaultModel: 'gpt-4o' }),
        await add({ kind: 'openai', name: 'Other', baseUrl: 'file:///etc/passwd', apiKey: 'sk-other-0001', defaultModel: 'gpt-4o' }),
        await add({ kind: 'openai', name: ' WORK ', baseUrl, apiKey: 'sk-other-0001', defaultModel: 'gpt-4o' }),
        await add({ kind: 'skynet', name: 'Other', baseUrl, apiKey: 'sk-other-0001', defaultModel: 'gpt-4o' }),
      ];
    }, `${server.url}/v1`);
    expect(refusals).toMatchObject([
      { ok: false, error: { field: 'apiKey' } },
      { ok: false, error: { field: 'baseUrl' } },
      { ok: false, error: { field: 'name' } },
      { ok: false, error: { field: 'kind' } },
    ]);
    expect(readFileSync(settingsFile, 'utf8')).toBe(before);
    expect(await keytar.findCredentials(service).then((list) => list.map((item) => item.account))).not.toContain('provider-key:other');
  });
});

describe('a local Ollama', () => {
  it('is found at first run and offered with its models; adding it needs no key', async () => {
    const ollama = await startFakeProviderServer({ models: ['llama3.1:8b', 'qwen2.5:7b'], name: 'ollama' });
    const app = await launchApp({ env: { SWITCHBOARD_OLLAMA_URL: ollama.url } });
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Settings' }).click();
      const offer = page.getByRole('status').filter({ hasText: 'Ollama is running on this machine' });
      await offer.waitFor();
      expect(await offer.textContent()).toContain('2 models (llama3.1:8b, qwen2.5:7b)');
      await screenshot(page, 'connections-ollama-offer');
      await offer.getByRole('button', { name: 'Add Ollama' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add provider' });
      expect(await dialog.getByLabel('Base URL').inputValue()).toBe(ollama.url);
      expect(await dialog.getByLabel('Default model').inputValue()).toBe('llama3.1:8b');
      await dialog.getByRole('button', { name: 'Add provider' }).click();
      const row = page.locator('[data-connection="ollama"]');
      await expect.poll(() => row.locator('.health-dot').getAttribute('data-color'), { timeout: 15_000 }).toBe('green');
      expect(await row.textContent()).toContain('Local');
      expect(await page.getByText('Ollama is running on this machine').count()).toBe(0);
    } finally {
      await app.close();
      await ollama.close();
    }
  });
});
