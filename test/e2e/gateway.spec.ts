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

  it('turns on, shows its token once, and answers the official OpenAI client through the same routing', async () => {
    const { page } = app;
    const port = await freePort();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Local gateway' }).click();
    await page.getByLabel('Port').fill(String(port));
    await page.getByLabel('Run the local gateway').click();
    const tokenBox = page.locator('.token');
    await tokenBox.waitFor();
    const token = (await tokenBox.textContent()) ?? '';
    expect(token).toMatch(/^sbg-/);
    await page.getByText(`Running at http://127.0.0.1:${port}/v1`).waitFor();
    await screenshot(page, 'gateway-on-token-once');
    expect(await keytar.getPassword(service, 'app-secret:gateway-token')).toBe(token);

    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: token, maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(expect.arrayContaining(['switchboard/primary', 'agent/builder', 'openai/gpt-4o']));
    const { data, response } = await client.chat.completions
      .create({ model: 'agent/builder', messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Answer through the gateway.');
    expect(response.headers.get('x-switchboard-connection')).toBe('openai');

    const wrong = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'not-the-token', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 });

    // Dismissed, the token is never shown again; the settings hold no token.
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await page.locator('.token').count()).toBe(0);
    const settings = await page.evaluate(() => window.api.settings.get());
    expect(JSON.stringify(settings)).not.toContain(token);

    await page.getByLabel('Run the local gateway').click();
    await page.getByText('Not running.').waitFor();
    await expect(client.models.list()).rejects.toThrow();
  });
});
