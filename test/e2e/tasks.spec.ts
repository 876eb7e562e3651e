import keytar from 'keytar';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RoutingConfig } from '../../src-shared/schemas/routing';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

// A 1x1 PNG, for the image attachment.
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/eL9GtQAAAABJRU5ErkJggg==', 'base64');

const BUILDER_REPLY = [
  'Here is a small function that adds two numbers, with a test.',
  '',
  '```ts',
  'export function add(left: number, right: number): number {',
  '  return left + right;',
  '}',
  '```',
  '',
  'It is pure, so it is easy to test. The whole answer arrives a few characters at a time.',
].join('\n');

const PLAN_JSON = JSON.stringify({
  goal: 'Ship the release',
  steps: [
    { title: 'Freeze the branch', detail: 'Only fixes from now on.' },
    { title: 'Run the full test suite' },
    { title: 'Tag and publish' },
  ],
});

async function routingConfig(page: Page): Promise<RoutingConfig> {
  const settings = await page.evaluate(() => window.api.settings.get());
  if (!settings.ok) throw new Error(settings.error.message);
  return settings.value.routing;
}

async function setRules(page: Page, rules: RoutingConfig['rules']): Promise<void> {
  const config = { ...(await routingConfig(page)), rules };
  expect(await page.evaluate((request) => window.api.routing.update(request), config)).toMatchObject({ ok: true });
}

describeWithKeychain('tasks: run, stream, escalate, pause and resume', () => {
  let deepseek: FakeProviderServer;
  let claude: FakeProviderServer;
  let app: AppHandle;
  const service = testKeychainService();
  const detail = () => app.page.locator('.task-detail');
  const status = () => detail().getByTestId('task-status').textContent();
  const trace = () => detail().getByTestId('task-trace').textContent();

  beforeAll(async () => {
    deepseek = await startFakeProviderServer({ models: ['deepseek-chat'], name: 'deepseek' });
    claude = await startFakeProviderServer({ models: ['claude-sonnet-4-6'], name: 'claude' });
    app = await launchApp({ env: { SWITCHBOARD_KEYCHAIN_SERVICE: service, SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([deepseek?.close(), claude?.close()]);
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('shows what to do when there is nothing yet', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'No tasks yet' }).waitFor();
    expect(await page.getByText('First add a provider').count()).toBe(1);
    await screenshot(page, 'tasks-empty-no-provider');

    for (const input of [
      { kind: 'deepseek', name: 'DeepSeek', baseUrl: `${deepseek.url}/v1`, apiKey: 'sk-deepseek-tasks-01', defaultModel: 'deepseek-chat' },
      { kind: 'anthropic', name: 'Claude', baseUrl: claude.url, apiKey: 'sk-ant-tasks-01', defaultModel: 'claude-sonnet-4-6' },
    ] as const) {
      expect(await page.evaluate((request) => window.api.connections.add(request), input)).toMatchObject({ ok: true });
    }
    // With a provider the empty state offers a New task instead.
    await expect.poll(() => page.getByText('First add a provider').count()).toBe(0);
    await page.getByRole('heading', { name: 'No tasks yet' }).waitFor();
    await page.getByRole('button', { name: 'New task' }).waitFor();
    await screenshot(page, 'tasks-empty');
  });

  it('creates a builder task in the form, streams its answer, and shows Claude in its trace', async () => {
    const { page } = app;
    await setRules(page, [{ id: 'rule-builder', context: 'agent:builder', connectionId: 'claude', priority: 0 }]);
    claude.setReply(BUILDER_REPLY);
    await claude.setFault('slow-between-chunks', { delayMs: 80 });

    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.locator('form.task-form');
    await form.getByLabel('Agent', { exact: true }).selectOption('builder');
    const willRun = form.getByTestId('will-run-on');
    await expect.poll(() => willRun.textContent()).toContain('Will run on Claude · claude-sonnet-4-6');
    expect(await willRun.textContent()).toContain('agent’s rule');

    // An empty instruction is refused next to its field, and nothing is sent.
    await form.getByRole('button', { name: 'Run task' }).click();
    await form.getByText('Write what the agent should do.').waitFor();
    expect(await form.getByLabel('Instruction').getAttribute('aria-invalid')).toBe('true');

    // An image can be attached (and removed again): it shows as a thumbnail.
    await form.getByLabel('Choose images to attach').setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: PIXEL_PNG });
    await form.getByRole('img', { name: 'pixel.png' }).waitFor();
    await form.getByRole('button', { name: 'Remove pixel.png' }).click();
    await expect.poll(() => form.getByRole('img', { name: 'pixel.png' }).count()).toBe(0);
    // Pasted and dropped images land there too; a file that is not an image is refused in words.
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const transfer = (file: File) => {
        const data = new DataTransfer();
        data.items.add(file);
        return data;
      };
      const textarea = document.querySelector('form.task-form textarea') as HTMLTextAreaElement;
      textarea.dispatchEvent(
        new ClipboardEvent('paste', {
          clipboardData: transfer(new File([bytes], 'pasted.png', { type: 'image/png' })),
          bubbles: true,
          cancelable: true,
        }),
      );
      const formElement = document.querySelector('form.task-form') as HTMLFormElement;
      formElement.dispatchEvent(
        new DragEvent('drop', {
          dataTransfer: transfer(new File(['hello'], 'notes.txt', { type: 'text/plain' })),
          bubbles: true,
          cancelable: true,
        }),
      );
    }, PIXEL_PNG.toString('base64'));
    await form.getByRole('img', { name: 'pasted.png' }).waitFor();
    await form.getByText('notes.txt is not an image Switchboard can send').waitFor();
    await form.getByRole('button', { name: 'Remove pasted.png' }).click();
    await expect.poll(() => form.getByText('notes.txt is not an image').count()).toBe(0);

    await form.getByLabel('Instruction').fill('Write a TypeScript function that adds two numbers.\nKeep it pure and add a test.');
    await expect.poll(() => form.getByText('Write what the agent should do.').count()).toBe(0);
    await screenshot(page, 'tasks-new-form');
    await form.getByRole('button', { name: 'Run task' }).click();

    // Streaming: the answer grows while the task runs.
    await expect.poll(() => status(), { timeout: 10_000 }).toBe('Running');
    const answer = detail().getByTestId('task-answer');
    await expect
      .poll(async () => ((await answer.count()) > 0 ? ((await answer.textContent()) ?? '').length : 0), { timeout: 10_000 })
      .toBeGreaterThan(10);
    const partial = (await answer.textContent()) ?? '';
    expect(partial.length).toBeLessThan(BUILDER_REPLY.length - 20);
    expect(await detail().getByTestId('task-status-line').textContent()).toContain('Running on Claude');
    await screenshot(page, 'tasks-running');

    await expect.poll(() => status(), { timeout: 20_000 }).toBe('Done');
    expect(await answer.textContent()).toContain('It is pure, so it is easy to test.');
    expect(await detail().locator('.code-block').count()).toBe(1);
    const row = page.getByTestId('task-row').first();
    expect(await row.textContent()).toContain('Write a TypeScript function that adds two numbers.');
    expect(await row.textContent()).not.toContain('Keep it pure');

    expect(await trace()).toContain('Tried Claude · claude-sonnet-4-6 (agent’s rule)');
    expect(await trace()).toMatch(/Answered by Claude · claude-sonnet-4-6\S* in 1 attempt/);
    await detail().getByText('Why this provider?').click();
    await expect.poll(() => detail().getByTestId('task-why').textContent()).toContain('First: Claude');
    await detail().getByTestId('task-why').scrollIntoViewIfNeeded();
    await screenshot(page, 'tasks-done-trace');

    expect(claude.counters.chat).toBe(1);
    expect(deepseek.counters.chat).toBe(0);
    await claude.setFault(null);
  });

  it('escalates a planner task whose first backend does not answer in JSON, and shows the plan as a tree', async () => {
    const { page } = app;
    await setRules(page, [
      { id: 'rule-builder', context: 'agent:builder', connectionId: 'claude', priority: 0 },
      { id: 'rule-planner-1', context: 'agent:planner', connectionId: 'deepseek', priority: 0 },
      { id: 'rule-planner-2', context: 'agent:planner', connectionId: 'claude', priority: 1 },
    ]);
    deepseek.setReply('Sure! First freeze the branch, then run the tests, then tag the release.');
    claude.setReply(PLAN_JSON);
    const before = { deepseek: deepseek.counters.chat, claude: claude.counters.chat };

    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.locator('form.task-form');
    await form.getByLabel('Agent', { exact: true }).selectOption('planner');
    await expect.poll(() => form.getByTestId('will-run-on').textContent()).toContain('Will run on DeepSeek');
    await form.getByLabel('Instruction').fill('Plan the release of version 2.0.');
    await form.getByRole('button', { name: 'Run task' }).click();

    await expect.poll(() => status(), { timeout: 20_000 }).toBe('Done');
    const text = (await trace()) ?? '';
    expect(text).toContain('Tried DeepSeek · deepseek-chat (agent’s rule)');
    expect(text).toContain('DeepSeek: the answer did not match the schema');
    expect(text).toContain('Escalated to Claude · claude-sonnet-4-6 because DeepSeek gave an answer that does not fit the expected format');
    expect(text).toMatch(/Answered by Claude · claude-sonnet-4-6\S* in 2 attempts/);
    expect(deepseek.counters.chat - before.deepseek).toBe(1);
    expect(claude.counters.chat - before.claude).toBe(1);
    const tree = detail().getByTestId('structured-output');
    expect(await tree.textContent()).toContain('Freeze the branch');
    expect(await tree.textContent()).toContain('Tag and publish');
    await screenshot(page, 'tasks-planner-escalated');
    expect(await page.evaluate(() => window.api.settings.update({ appearance: { theme: 'dark' } }))).toMatchObject({ ok: true });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'tasks-planner-escalated-dark');
    expect(await page.evaluate(() => window.api.settings.update({ appearance: { theme: 'light' } }))).toMatchObject({ ok: true });
  });

  it('shows the escalation memory in Settings → Agents and edits agents there', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Agents' }).click();
    const planner = page.locator('[data-agent="planner"]');
    const memory = planner.getByTestId('agent-escalation');
    await expect
      .poll(() => memory.textContent())
      .toMatch(/Prefers Claude · claude-sonnet-4-6 until .+ after an escalation from DeepSeek · deepseek-chat/);
    expect(await page.locator('[data-agent="builder"]').textContent()).toContain('Built-in');
    await screenshot(page, 'agents-section');

    // A new agent: a schema that is not JSON is refused next to its field.
    await page.getByRole('button', { name: 'New agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByLabel('Name').fill('summarizer');
    await dialog.getByLabel('Description').fill('Summarises long text in three bullet points.');
    await dialog.getByLabel('Output JSON Schema').fill('{ "type": "object", ');
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await dialog.getByText('This is not valid JSON', { exact: false }).waitFor();
    await screenshot(page, 'agents-editor-error');
    await dialog.getByLabel('Output JSON Schema').fill('');
    await dialog.getByLabel('Vision').check();
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const summarizer = page.locator('[data-agent="summarizer"]');
    expect(await summarizer.textContent()).toContain('Custom');
    expect(await summarizer.textContent()).toContain('Needs vision');

    // The same name again is refused, not overwritten.
    await page.getByRole('button', { name: 'New agent' }).click();
    await dialog.getByLabel('Name').fill('summarizer');
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await dialog.getByText('There is already an agent called "summarizer"', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Delete summarizer' }).click();
    await page.getByRole('dialog', { name: 'Delete summarizer?' }).getByRole('button', { name: 'Delete agent' }).click();
    await expect.poll(() => summarizer.count()).toBe(0);

    // A built-in agent can be edited (its name stays) and reset to how it ships.
    await page.getByRole('button', { name: 'Edit research' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit research' });
    await edit.getByLabel('Description').fill('Researches with sources, briefly.');
    await edit.getByLabel('Latency budget (ms)').fill('-5');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByText('Enter a whole number of milliseconds above 0').waitFor();
    await edit.getByLabel('Latency budget (ms)').fill('8000');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => edit.count()).toBe(0);
    const research = page.locator('[data-agent="research"]');
    await expect.poll(() => research.textContent()).toContain('Researches with sources, briefly.');
    expect(await research.textContent()).toContain('Edited');
    expect(await research.textContent()).toContain('first token within 8,000 ms');
    await page.getByRole('button', { name: 'Reset research to its defaults' }).click();
    await page.getByRole('dialog', { name: 'Reset research?' }).getByRole('button', { name: 'Reset to defaults' }).click();
    await expect.poll(() => research.textContent()).toContain('Researches a question and summarises what it found.');
    expect(await research.textContent()).not.toContain('Edited');

    // Reset forgets the preference.
    await memory.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => memory.count()).toBe(0);
    const settings = await page.evaluate(() => window.api.settings.get());
    expect(settings.ok && settings.value.escalations['planner']).toBeFalsy();
  });

  it('cancels a running task, and Run again runs it to the end', async () => {
    const { page } = app;
    claude.setReply(BUILDER_REPLY);
    await claude.setFault('slow-between-chunks', { delayMs: 150 });
    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.locator('form.task-form');
    await form.getByLabel('Agent', { exact: true }).selectOption('builder');
    await form.getByLabel('Instruction').fill('Write a function that multiplies two numbers.');
    await form.getByRole('button', { name: 'Run task' }).click();
    await expect.poll(() => status(), { timeout: 10_000 }).toBe('Running');
    await detail().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => status(), { timeout: 10_000 }).toBe('Cancelled');
    expect(await detail().getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    expect(await trace()).toContain('Cancelled');

    await claude.setFault(null);
    await detail().getByRole('button', { name: 'Run again' }).click();
    await expect.poll(() => status(), { timeout: 20_000 }).toBe('Done');
    expect(await detail().getByTestId('task-answer').textContent()).toContain('It is pure, so it is easy to test.');
    expect(await trace()).toContain('Started again');
  });

  it('keeps long content readable: each pane scrolls on its own and long lines wrap', async () => {
    const { page } = app;
    const longWord = 'x'.repeat(320);
    claude.setReply(
      [
        '# A long answer',
        ...Array.from(
          { length: 40 },
          (_, index) => `Paragraph ${index + 1}: the quick brown fox jumps over the lazy dog, again and again, to fill the pane.`,
        ),
        `An unbroken token: ${longWord}`,
        ['```text', `a very long line of code ${'y'.repeat(300)}`, '```'].join('\n'),
        [
          '| Column | Another column | A third column |',
          '| --- | --- | --- |',
          `| ${'cell '.repeat(30)} | ${'more '.repeat(30)} | end |`,
        ].join('\n'),
      ].join('\n\n'),
    );
    const instruction = [
      `Summarise this: ${'z'.repeat(300)}`,
      ...Array.from({ length: 30 }, (_, index) => `Line ${index + 1} of a long instruction.`),
    ].join('\n');
    await page.getByRole('button', { name: 'Tasks' }).click();
    const created = await page.evaluate((text) => window.api.tasks.create({ agent: 'builder', instruction: text }), instruction);
    expect(created).toMatchObject({ ok: true });
    const row = page.getByTestId('task-row').filter({ hasText: 'Summarise this' });
    await row.click();
    await expect.poll(() => status(), { timeout: 20_000 }).toBe('Done');
    await detail().getByText('An unbroken token').waitFor();

    const layout = await page.evaluate(() => {
      const pane = document.querySelector('.task-pane') as HTMLElement;
      const instructionBox = document.querySelector('.task-instruction') as HTMLElement;
      return {
        pageScrolls: document.documentElement.scrollHeight > window.innerHeight + 1,
        paneScrolls: pane.scrollHeight > pane.clientHeight,
        paneOverflowsSideways: pane.scrollWidth > pane.clientWidth + 1,
        instructionScrolls: instructionBox.scrollHeight > instructionBox.clientHeight,
        instructionOverflowsSideways: instructionBox.scrollWidth > instructionBox.clientWidth + 1,
      };
    });
    expect(layout).toEqual({
      pageScrolls: false,
      paneScrolls: true,
      paneOverflowsSideways: false,
      instructionScrolls: true,
      instructionOverflowsSideways: false,
    });
    expect(await detail().locator('.markdown table').count()).toBe(1);
    await detail().getByText('An unbroken token').scrollIntoViewIfNeeded();
    await screenshot(page, 'tasks-long-content');
  });

  it('pauses a task when every backend is down, then resumes it after Test connection', async () => {
    const { page } = app;
    await Promise.all([deepseek.setFault('refused'), claude.setFault('refused')]);
    claude.setReply('Back online: here is the answer.');
    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.locator('form.task-form');
    await form.getByLabel('Agent', { exact: true }).selectOption('builder');
    await form.getByLabel('Instruction').fill('Refactor the parser into smaller functions.');
    await form.getByRole('button', { name: 'Run task' }).click();

    await expect.poll(() => status(), { timeout: 30_000 }).toBe('Paused');
    const line = (await detail().getByTestId('task-status-line').textContent()) ?? '';
    expect(line).toMatch(/Waiting for (Claude or DeepSeek|DeepSeek or Claude) to recover/);
    expect(line).toContain('It goes on by itself when a provider recovers');
    expect(await page.getByTestId('task-row').first().getAttribute('data-status')).toBe('paused');
    const pausedTrace = (await trace()) ?? '';
    expect(pausedTrace).toContain('Tried Claude');
    expect(pausedTrace).toContain('Continued on DeepSeek');
    await screenshot(page, 'tasks-paused');
    // While nothing has recovered the task waits: it does not keep trying the same dead backends.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await status()).toBe('Paused');
    expect(await trace()).not.toContain('Started again');

    // Fixed, and the user presses Test connection: the task goes on by itself.
    await Promise.all([deepseek.setFault(null), claude.setFault(null)]);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Providers' }).click();
    const row = page.locator('[data-connection="claude"]');
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => row.locator('.health-dot').getAttribute('data-color'), { timeout: 10_000 }).toBe('green');

    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByTestId('task-row').first().click();
    await expect.poll(() => status(), { timeout: 20_000 }).toBe('Done');
    expect(await detail().getByTestId('task-answer').textContent()).toContain('Back online: here is the answer.');
    expect(await trace()).toContain('Started again');
    await screenshot(page, 'tasks-resumed');
  });
});
