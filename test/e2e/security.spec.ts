import keytar from 'keytar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

const LONG_URL =
  'https://docs.example.com/guides/routing/fallbacks-and-retries/when-a-provider-goes-red?section=cool-off&from=switchboard&utm_source=answer#what-happens-next';

// An answer that tries everything a hostile model answer might: links to run code or carry data,
// raw HTML, a remote image (a tracking pixel), next to one honest long link.
const ANSWER = [
  `Read [the routing guide](${LONG_URL}) first.`,
  '',
  'Then [run this](javascript:alert(document.domain)) or [open this](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).',
  '',
  '<script>window.__pwned = true</script><img src="https://evil.example/x.png" onerror="window.__pwned = true">',
  '',
  '![a tracking pixel](https://evil.example/pixel.png?reader=1)',
].join('\n');

describeWithKeychain('links and keys in the window', () => {
  let provider: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();

  beforeAll(async () => {
    provider = await startFakeProviderServer({ models: ['gpt-4o-mini'] });
    provider.setReply((request) => (JSON.stringify(request.body).includes('Write a title') ? 'Links' : ANSWER));
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    const added = await app.page.evaluate((request) => (window.api.connections.add as (r: unknown) => Promise<unknown>)(request), {
      kind: 'openai',
      name: 'OpenAI',
      baseUrl: `${provider.url}/v1`,
      apiKey: 'sk-links-e2e-0001',
      defaultModel: 'gpt-4o-mini',
    });
    expect(added).toMatchObject({ ok: true });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await provider?.close();
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('a link in an answer opens only after a prompt that shows its full address; code, data and images do not get through', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill('Where do I read about fallbacks?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const answer = page.locator('article.message-assistant').last();
    await expect.poll(() => answer.getAttribute('data-status'), { timeout: 30_000 }).toBe('complete');

    // Nothing ran and nothing was loaded.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(await answer.locator('img, script, iframe').count()).toBe(0);
    expect(await answer.textContent()).toContain('<script>');
    // javascript: and data: targets keep their words but are no links.
    expect(await answer.getByRole('link', { name: 'run this' }).count()).toBe(0);
    expect(await answer.getByRole('link', { name: 'open this' }).count()).toBe(0);
    expect(await answer.getByText('run this').count()).toBe(1);

    // Clicking the honest link asks first, showing the whole address; focus starts on Cancel.
    await answer.getByRole('link', { name: 'the routing guide' }).click();
    const prompt = page.getByRole('dialog', { name: 'Open this link in your browser?' });
    await prompt.waitFor();
    expect(await prompt.getByLabel('Full address').textContent()).toBe(LONG_URL);
    expect(await prompt.textContent()).toContain('docs.example.com');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await screenshot(page, 'link-prompt');
    // Tab stays inside the prompt.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Open in browser');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Open in browser');
    // Escape cancels: nothing opened.
    await page.keyboard.press('Escape');
    await prompt.waitFor({ state: 'detached' });
    expect(app.runtimeRecord().openedExternally).toEqual([]);

    // The image is its description, opened (after the prompt) only if the user wants it.
    await answer.getByRole('link', { name: '[image: a tracking pixel]' }).click();
    await prompt.waitFor();
    expect(await prompt.getByLabel('Full address').textContent()).toBe('https://evil.example/pixel.png?reader=1');
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    await prompt.waitFor({ state: 'detached' });

    // Open in browser opens exactly the address shown.
    await answer.getByRole('link', { name: 'the routing guide' }).click();
    await prompt.getByRole('button', { name: 'Open in browser' }).click();
    await prompt.waitFor({ state: 'detached' });
    expect(app.runtimeRecord().openedExternally).toEqual([LONG_URL]);

    // Main refuses anything but http(s) again, whoever asks.
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'https://user:pw@evil.example/']) {
      const result = await page.evaluate((target) => window.api.app.openExternal({ url: target }), url);
      expect(result).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
    expect(app.runtimeRecord().openedExternally).toEqual([LONG_URL]);
  }, 240_000);

  it('warns in the provider dialog when a key would go over plain http:// to a host that is not local', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Add provider' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add provider' });
    await dialog.getByLabel('Provider type').selectOption('custom');
    await dialog.getByLabel('Name').fill('GPU box');
    await dialog.getByLabel('API key').fill('sk-cleartext-0001');
    await dialog.getByLabel('Base URL').fill('http://gpu.example.com:8000/v1');
    const warning = dialog.getByRole('alert').filter({ hasText: 'plain http://' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('the API key would cross the network unencrypted');
    await screenshot(page, 'connection-dialog-http-warning');
    // A local address, or https, needs no warning.
    await dialog.getByLabel('Base URL').fill('https://gpu.example.com:8000/v1');
    await warning.waitFor({ state: 'detached' });
    await dialog.getByLabel('Base URL').fill('http://192.168.1.20:8000/v1');
    await warning.waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }, 240_000);
});
