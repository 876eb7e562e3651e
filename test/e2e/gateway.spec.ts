import { createServer } from 'node:net';
import keytar from 'keytar';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describeWithKeychain('the local gateway, started from Settings', () => {
  let provider: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();

  beforeAll(async () => {
    provider = await startFakeProviderServer({ reply: 'Answer through the gateway.', models: ['gpt-4o'], name: 'openai' });
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    await app.page.evaluate(
      (url) =>
        window.api.connections.add({
          kind: 'openai',
          name: 'OpenAI',
          baseUrl: `${url}/v1`,
          apiKey: 'sk-gateway-e2e-0001',
          defaultModel: 'gpt-4o',
        }),
      provider.url,
    );
  });
  afterAll(async () => {
    await app?.close();
    await provider.close();
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('turns on, gives each client its own token shown once, answers the official OpenAI client, and revokes one client alone', async () => {
    const { page } = app;
    const port = await freePort();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Local gateway' }).click();
    await page.getByLabel('Port').fill(String(port));
    await page.getByLabel('Run the local gateway').click();
    await page.getByText(`Running at http://127.0.0.1:${port}/v1`).waitFor();
    await page.getByText('No clients yet').waitFor();
    await page.getByText('No tool can call it yet').waitFor();
    await screenshot(page, 'gateway-no-clients');

    // A name is required, and a token is shown once, for the client it was made for.
    const createToken = async (name: string): Promise<string> => {
      await page.getByRole('button', { name: 'Add a client' }).click();
      await page.getByLabel('Client name').fill(name);
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByText(`Token for “${name}”: copy it now, it is shown only once.`).waitFor();
      return (await page.locator('.token').textContent()) ?? '';
    };
    await page.getByRole('button', { name: 'Add a client' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Give the client a name, e.g. editor or scripts').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    const editorToken = await createToken('editor');
    await page.getByText('No tool can call it yet').waitFor({ state: 'detached' });
    expect(editorToken).toMatch(/^sbg-/);
    await screenshot(page, 'gateway-token-shown-once');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await page.locator('.token').count()).toBe(0);
    const scriptsToken = await createToken('scripts');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await page.locator('.token').count()).toBe(0);
    await page.getByRole('button', { name: 'Add a client' }).click();
    await page.getByLabel('Client name').fill('Editor');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('A client named "editor" already has a token').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Each token is in the keychain under its own app-secret: name; none is in the settings.
    const stored = (await keytar.findCredentials(service)).filter((credential) =>
      credential.account.startsWith('app-secret:gateway-client:'),
    );
    expect(stored.map((credential) => credential.password).sort()).toEqual([editorToken, scriptsToken].sort());
    const settings = JSON.stringify(await page.evaluate(() => window.api.settings.get()));
    expect(settings).not.toContain(editorToken);
    expect(settings).not.toContain(scriptsToken);

    const editor = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: editorToken, maxRetries: 0 });
    const scripts = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: scriptsToken, maxRetries: 0 });
    const models = await editor.models.list();
    expect(models.data.map((model) => model.id)).toEqual(expect.arrayContaining(['switchboard/primary', 'agent/builder', 'openai/gpt-4o']));
    const { data, response } = await editor.chat.completions
      .create({ model: 'agent/builder', messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Answer through the gateway.');
    expect(response.headers.get('x-switchboard-connection')).toBe('openai');
    await scripts.chat.completions.create({ model: 'switchboard/primary', messages: [{ role: 'user', content: 'Hi from a script' }] });

    const wrong = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'not-the-token', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 });

    // The list shows both clients with this month's calls; the settings screen is what a user sees.
    await page.getByRole('tab', { name: 'Providers' }).click();
    await page.getByRole('tab', { name: 'Local gateway' }).click();
    const rows = page.locator('.gateway-clients-table tbody tr');
    await rows.filter({ hasText: 'editor' }).filter({ hasText: '1 call' }).waitFor();
    await rows.filter({ hasText: 'scripts' }).filter({ hasText: '1 call' }).waitFor();
    await screenshot(page, 'gateway-two-clients');
    await page.evaluate(() => window.api.settings.update({ appearance: { theme: 'dark' } }));
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await screenshot(page, 'gateway-two-clients-dark');
    await page.evaluate(() => window.api.settings.update({ appearance: { theme: 'light' } }));

    await page.getByRole('button', { name: 'Revoke the token of editor' }).click();
    await page.getByRole('dialog', { name: 'Revoke the token of “editor”?' }).waitFor();
    await screenshot(page, 'gateway-revoke-asks-first');
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await rows.filter({ hasText: 'editor' }).waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(1);
    await expect(editor.models.list()).rejects.toMatchObject({ status: 401, message: expect.stringContaining('"editor" was revoked') });
    expect((await scripts.models.list()).data.length).toBeGreaterThan(0);
    await screenshot(page, 'gateway-one-revoked');

    // Activity names the client of each gateway call and filters by it.
    await page.getByRole('button', { name: 'Activity' }).click();
    const calls = page.locator('.calls-table tbody tr');
    await calls.filter({ hasText: 'gateway · editor' }).first().waitFor();
    await calls.filter({ hasText: 'gateway · scripts' }).first().waitFor();
    await page.getByLabel('Gateway client').selectOption('scripts');
    await calls.filter({ hasText: 'gateway · editor' }).first().waitFor({ state: 'detached' });
    expect(await calls.count()).toBe(1);
    expect(await calls.first().textContent()).toContain('gateway · scripts');
    await screenshot(page, 'activity-gateway-client');
    await page.getByLabel('Gateway client').selectOption('');
    // The search finds calls by part of a client's name as it is typed, without Enter.
    await page.getByLabel('Search calls').fill('edit');
    await calls.filter({ hasText: 'gateway · scripts' }).first().waitFor({ state: 'detached' });
    expect(await calls.count()).toBe(1);
    expect(await calls.first().textContent()).toContain('gateway · editor');
    await page.getByLabel('Search calls').fill('');
    await calls.filter({ hasText: 'gateway · scripts' }).first().waitFor();

    // A new token for a connected tool says first that the tool needs it; the old one is refused after.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Local gateway' }).click();
    await page.getByRole('button', { name: 'New token for scripts' }).click();
    const replace = page.getByRole('dialog', { name: 'Give “scripts” a new token?' });
    await replace.getByText('is refused until you paste the new token').waitFor();
    await screenshot(page, 'gateway-new-token-asks-first');
    await replace.getByRole('button', { name: 'Make a new token' }).click();
    await page.getByText('Token for “scripts”: copy it now, it is shown only once.').waitFor();
    const newScriptsToken = (await page.locator('.token').textContent()) ?? '';
    expect(newScriptsToken).toMatch(/^sbg-/);
    expect(newScriptsToken).not.toBe(scriptsToken);
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await expect(scripts.models.list()).rejects.toMatchObject({ status: 401 });
    const renewed = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: newScriptsToken, maxRetries: 0 });
    expect((await renewed.models.list()).data.length).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Local gateway' }).click();
    await page.getByLabel('Run the local gateway').click();
    await page.getByText('Not running.').waitFor();
    await expect(renewed.models.list()).rejects.toThrow();
  });
});
