import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

describeWithKeychain('routing rules and the Route preview', () => {
  let deepseek: FakeProviderServer;
  let claude: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();

  beforeAll(async () => {
    deepseek = await startFakeProviderServer({ models: ['deepseek-chat'], name: 'deepseek' });
    claude = await startFakeProviderServer({ models: ['claude-sonnet-4-6'], name: 'claude' });
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    for (const input of [
      {
        kind: 'deepseek',
        name: 'DeepSeek',
        baseUrl: `${deepseek.url}/v1`,
        apiKey: 'sk-deepseek-routing-01',
        defaultModel: 'deepseek-chat',
      },
      { kind: 'anthropic', name: 'Claude', baseUrl: claude.url, apiKey: 'sk-ant-routing-01', defaultModel: 'claude-sonnet-4-6' },
    ]) {
      expect(
        await app.page.evaluate((request) => (window.api.connections.add as (r: unknown) => Promise<unknown>)(request), input),
      ).toMatchObject({ ok: true });
    }
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([deepseek.close(), claude.close()]);
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('edits rules as a draft the Route preview follows, saves them, and sends nothing', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Routing' }).click();
    const answer = page.getByTestId('preview-answer');
    await page.getByLabel('Work to route').selectOption('agent:builder');
    await expect.poll(() => answer.textContent()).toContain('DeepSeek');
    expect(await page.getByText('No rules: every task runs on the Primary.').count()).toBe(1);
    await screenshot(page, 'routing-no-rules');

    // agent:builder -> Claude (0): builder tasks go to Claude, research stays on DeepSeek, chat stays on Primary.
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('When rule 1 applies').selectOption('agent:builder');
    await page.getByLabel('Provider of rule 1').selectOption('claude');
    await expect.poll(() => answer.textContent(), { timeout: 20_000 }).toContain('Claude');
    await page.getByLabel('Work to route').selectOption('agent:research');
    await expect.poll(() => answer.textContent()).toContain('DeepSeek');
    await page.getByLabel('Work to route').selectOption('chat');
    await expect.poll(() => answer.textContent()).toContain('DeepSeek');

    // default -> DeepSeek (5) and agent:builder -> Claude: mark Claude down and builder falls to the default rule.
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Provider of rule 2').selectOption('deepseek');
    await page.getByLabel('Priority of rule 2').fill('5');
    await page.getByLabel('Work to route').selectOption('agent:builder');
    await expect.poll(() => answer.textContent()).toContain('Claude');
    await page.getByLabel('Mark Claude as down').check();
    await expect.poll(() => answer.textContent()).toContain('DeepSeek');
    await expect.poll(() => page.getByTestId('preview-skipped').first().textContent()).toContain('Claude');
    expect(await page.getByTestId('preview-candidate').first().textContent()).toContain('rule for any task');
    await screenshot(page, 'routing-preview-claude-down');
    await page.getByLabel('Mark Claude as down').uncheck();

    // The preview followed a draft: nothing is saved until Save, and the bar says so.
    const savedRules = () => JSON.parse(readFileSync(join(app.userDataDir, 'settings.json'), 'utf8')).routing.rules;
    expect(savedRules()).toEqual([]);
    const bar = page.getByRole('region', { name: 'Unsaved changes' });
    await expect.poll(() => bar.getByTestId('unsaved-count').textContent()).toBe('2 unsaved changes');

    // A bad priority is shown next to the field and cannot be saved.
    await page.getByLabel('Priority of rule 1').fill('-3');
    await page.getByText('Priority must be 0 or more').waitFor();
    await expect.poll(() => bar.getByTestId('unsaved-count').textContent()).toContain('not valid yet');
    await screenshot(page, 'routing-bad-priority');
    await bar.getByRole('button', { name: 'Save' }).click();
    await bar.getByText('Fix the fields marked in red first').waitFor();
    expect(savedRules()).toEqual([]);
    await page.getByLabel('Priority of rule 1').fill('0');
    await expect.poll(() => page.getByText('Priority must be 0 or more').count()).toBe(0);
    await bar.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => bar.count(), { timeout: 20_000 }).toBe(0);
    expect(savedRules()).toMatchObject([
      { context: 'agent:builder', connectionId: 'claude', priority: 0 },
      { context: 'default', connectionId: 'deepseek', priority: 5 },
    ]);

    // "uses tools": a model known to lack tool support is skipped with that reason.
    await page.getByLabel('Work to route').selectOption('agent:research');
    await expect.poll(() => answer.textContent()).toContain('DeepSeek');
    const marked = await page.evaluate(async () => {
      const list = (await window.api.connections.list()) as unknown as {
        ok: true;
        value: Array<{ connection: { id: string; models: Array<{ id: string; capabilities: object }> } }>;
      };
      const deepseekView = list.value.find((view) => view.connection.id === 'deepseek')!;
      const model = deepseekView.connection.models.find((facts) => facts.id === 'deepseek-chat')!;
      return window.api.connections.setModelFacts({
        connectionId: 'deepseek',
        facts: { ...model, capabilities: { ...model.capabilities, tools: false } },
      } as never);
    });
    expect(marked).toMatchObject({ ok: true });
    await page.getByLabel('uses tools').check();
    await expect
      .poll(() => page.getByTestId('preview-skipped').first().textContent())
      .toContain('deepseek-chat on DeepSeek cannot handle tools');
    await expect.poll(() => answer.textContent()).toContain('Claude');
    await screenshot(page, 'routing-preview-uses-tools');
    await page.getByLabel('uses tools').uncheck();
    await expect.poll(() => answer.textContent()).toContain('DeepSeek');

    // The preview never called a provider's chat endpoint.
    expect(deepseek.counters.chat + claude.counters.chat).toBe(0);
  });
});
