import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import keytar from 'keytar';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer, type RecordedRequest } from '../helpers/fake-provider-server';
import { describeWithKeychain, testKeychainService } from './helpers/keychain';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

// A 2x2 PNG, small enough to read in a request body.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

/** Two functions with a blank line between: long enough to be highlighted (and laid out) as two chunks. */
const DEBOUNCE_CODE = [
  '// Runs once calls stop for `ms` milliseconds.',
  'export function debounce<A extends unknown[]>(run: (...args: A) => void, ms: number) {',
  '  let timer: ReturnType<typeof setTimeout> | undefined;',
  '  return (...args: A) => {',
  '    clearTimeout(timer);',
  '    timer = setTimeout(() => run(...args), ms);',
  '  };',
  '}',
  '',
  'export function throttle<A extends unknown[]>(run: (...args: A) => void, ms: number) {',
  '  let last = 0;',
  '  return (...args: A) => {',
  '    if (Date.now() - last < ms) return;',
  '    last = Date.now();',
  '    run(...args);',
  '  };',
  '}',
];

const LONG_MARKDOWN = [
  '## A debounce helper',
  '',
  'Here is a small, typed `debounce` you can drop into any TypeScript project. It waits until calls stop for `ms` milliseconds, then runs the function once with the latest arguments.',
  '',
  '```ts',
  ...DEBOUNCE_CODE,
  '```',
  '',
  '### How the options compare',
  '',
  '| Option | Fires | Good for | Cost |',
  '| --- | --- | --- | --- |',
  '| debounce | after calls stop | search boxes, resize | one timer |',
  '| throttle | at most every N ms | scroll, pointer moves | one timer + timestamp |',
  '| requestAnimationFrame | once per frame | visual updates | none when hidden |',
  '',
  'Pick **debounce** when only the final value matters, and **throttle** when steady progress matters.',
  '',
  '1. Keep the delay short for typing (150–300 ms).',
  '2. Cancel pending timers when a component unmounts.',
].join('\n');

const STORY = Array.from({ length: 90 }, (_, index) => `word${index + 1}`).join(' ');

function isChatRequest(request: RecordedRequest): boolean {
  return request.method === 'POST' && /\/(chat\/completions|messages|api\/chat)$/.test(request.path);
}

/** Requests that answered a question (not the short title request main makes after a first answer). */
function answerRequests(server: FakeProviderServer): RecordedRequest[] {
  return server.requests.filter((request) => isChatRequest(request) && !JSON.stringify(request.body).includes('Write a title'));
}

function lastUserContent(request: RecordedRequest | undefined): unknown {
  const messages = (request?.body as { messages?: Array<{ role: string; content: unknown }> } | undefined)?.messages ?? [];
  return messages.findLast((message) => message.role === 'user')?.content;
}

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const answers = (page: Page) => page.locator('article.message-assistant');
const answerText = async (answer: Locator) =>
  (await answer.locator('.answer-text').count()) > 0 ? ((await answer.locator('.answer-text').textContent()) ?? '') : '';

async function ask(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

async function waitForStatus(answer: Locator, status: string, timeout = 20_000): Promise<void> {
  await expect.poll(() => answer.getAttribute('data-status'), { timeout }).toBe(status);
}

describeWithKeychain('chat on the Primary (real keychain)', () => {
  let openai: FakeProviderServer;
  let backup: FakeProviderServer;
  let claude: FakeProviderServer;
  let app: AppHandle | null = null;
  const service = testKeychainService();
  const env = (extra: Record<string, string> = {}) => ({
    SWITCHBOARD_KEYCHAIN_SERVICE: service,
    SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9',
    ...extra,
  });

  async function start(options: { userDataDir?: string; dark?: boolean } = {}): Promise<Page> {
    app = await launchApp({
      ...(options.userDataDir ? { userDataDir: options.userDataDir } : {}),
      env: env(options.dark ? { SWITCHBOARD_E2E_DARK: '1' } : {}),
    });
    // The test's own CDP connection applies its default (light) media emulation, so dark is asked for here too.
    if (options.dark) await app.page.emulateMedia({ colorScheme: 'dark' });
    app.page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') console.log(`[renderer ${message.type()}] ${message.text()}`);
    });
    app.page.on('pageerror', (error) => console.log(`[renderer pageerror] ${error.message}`));
    return app.page;
  }

  async function addConnection(page: Page, input: Record<string, unknown>): Promise<void> {
    const result = await page.evaluate((request) => (window.api.connections.add as (r: unknown) => Promise<unknown>)(request), input);
    expect(result).toMatchObject({ ok: true });
  }

  /** What main has stored for the newest conversation, read back through the app's own IPC. */
  async function storedMessages(page: Page): Promise<Array<{ role: string; content: string; status: string }>> {
    return page.evaluate(async () => {
      const list = await window.api.chat.list();
      const newest = list.ok ? list.value[0] : undefined;
      if (!newest) return [];
      const stored = await window.api.chat.messages({ conversationId: newest.id });
      return stored.ok ? stored.value.messages.map(({ role, content, status }) => ({ role, content, status })) : [];
    });
  }

  const addMain = (page: Page, defaultModel = 'gpt-4o-mini') =>
    addConnection(page, { kind: 'openai', name: 'Main', baseUrl: `${openai.url}/v1`, apiKey: 'sk-main-chat-e2e-0001', defaultModel });
  const addBackup = (page: Page) =>
    addConnection(page, {
      kind: 'deepseek',
      name: 'Backup',
      baseUrl: `${backup.url}/v1`,
      apiKey: 'sk-backup-chat-e2e-0001',
      defaultModel: 'deepseek-chat',
    });

  beforeAll(async () => {
    openai = await startFakeProviderServer({ models: ['gpt-4o', 'gpt-4o-mini'], name: 'main' });
    backup = await startFakeProviderServer({ models: ['deepseek-chat'], name: 'backup' });
    claude = await startFakeProviderServer({ models: ['claude-haiku-4-5', 'claude-sonnet-4-6', 'claude-opus-4-6'], name: 'claude' });
  });
  afterEach(async () => {
    await app?.close();
    app = null;
    await Promise.all([openai.reset(), backup.reset(), claude.reset()]);
  });
  afterAll(async () => {
    await Promise.all([openai?.close(), backup?.close(), claude?.close()]);
    for (const credential of await keytar.findCredentials(service)) await keytar.deletePassword(service, credential.account);
  });

  it('streams an answer from the Primary and shows who answered, how fast and for how much', async () => {
    const page = await start();
    await addMain(page);
    await page.getByRole('heading', { name: 'No conversations yet' }).waitFor();
    await screenshot(page, 'chat-empty');
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByText('Answers come from Main (gpt-4o-mini).').waitFor();
    await screenshot(page, 'chat-empty-conversation');

    const reply =
      `The capital of France is Paris. ${'It sits on the Seine and has been the capital for most of the last thousand years. '.repeat(3)}`.trim();
    openai.setReply(reply);
    await openai.setFault('slow-between-chunks', { delayMs: 40, times: 1 });
    await ask(page, 'What is the capital of France?');
    await page.locator('article.message-user').getByText('What is the capital of France?').waitFor();
    const answer = answers(page).last();
    // The text shows while it streams, before the answer is complete.
    await expect
      .poll(async () => (await answer.getAttribute('data-status')) === 'streaming' && (await answerText(answer)).length > 0, {
        timeout: 10_000,
      })
      .toBe(true);
    expect((await answerText(answer)).length).toBeLessThan(reply.length);
    await waitForStatus(answer, 'complete');
    expect(await answerText(answer)).toBe(reply);

    const badge = answer.getByTestId('provenance');
    const badgeText = (await badge.textContent()) ?? '';
    expect(badgeText).toContain('Main');
    expect(badgeText).toContain('gpt-4o-mini-2024-08-06'); // the version the provider reported
    expect(badgeText).toMatch(/\$0\.0\d+/);
    // The chip opens the details and why this provider answered.
    await badge.click();
    const details = page.locator('.provenance-popover');
    const detailsText = (await details.textContent()) ?? '';
    expect(detailsText).toMatch(/First token\s*\d/);
    expect(detailsText).toMatch(/Total\s*\d+(\.\d)? m?s/);
    expect(detailsText).toMatch(/\d+ in \/ \d+ out/);
    expect(detailsText).toContain('Why this provider?');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.conversation-item.active .conversation-title').textContent()).not.toBe('New conversation');
    await screenshot(page, 'chat-badge');

    expect(lastUserContent(answerRequests(openai).at(-1))).toBe('What is the capital of France?');
    // Copy answer goes through main's clipboard (navigator.clipboard is not allowed in the window).
    await answer.getByRole('button', { name: 'Copy answer' }).click();
    await answer.getByRole('button', { name: 'Copied' }).waitFor();
    expect((app!.runtimeRecord() as { clipboard?: string[] }).clipboard).toContain(reply);
  });

  it('renders a long answer with a highlighted code block and a table, in a wide, a narrow and a dark window', async () => {
    const page = await start();
    await addMain(page);
    openai.setReply(LONG_MARKDOWN);
    await ask(page, 'Show me a TypeScript debounce and compare it with the alternatives in a table');
    const answer = answers(page).last();
    await waitForStatus(answer, 'complete');
    const code = answer.locator('.code-block');
    expect(await code.count()).toBe(1);
    expect(await code.locator('.code-block-bar').textContent()).toContain('ts');
    expect(await code.locator('.hljs-keyword').count()).toBeGreaterThan(0);
    // Highlighted in chunks, each its own block: as many lines on screen as the code has, no blank line
    // added where one chunk ends, and a selection copies the code as it is.
    expect(await code.locator('.code-chunk').count()).toBeGreaterThan(1);
    const shown = await code.locator('pre code').evaluate((element) => {
      const selection = getSelection()!;
      selection.selectAllChildren(element);
      const text = selection.toString();
      selection.removeAllRanges();
      return { text, lines: element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight) };
    });
    expect(Math.round(shown.lines)).toBe(DEBOUNCE_CODE.length);
    expect(shown.text.replace(/\n$/, '')).toBe(DEBOUNCE_CODE.join('\n'));
    expect(await answer.locator('table tbody tr').count()).toBe(3);
    expect(await answer.locator('table th').first().textContent()).toBe('Option');
    await code.getByRole('button', { name: 'Copy code' }).click();
    await expect.poll(() => (app!.runtimeRecord() as { clipboard?: string[] }).clipboard?.at(-1)).toContain('export function debounce');
    await screenshot(page, 'chat-long-answer');

    // Clicking Copy code scrolled the block into view; back at the newest message, a narrower window keeps it there.
    await page.getByTestId('message-list').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await page.setViewportSize({ width: 820, height: 640 });
    await expect
      .poll(() => page.getByTestId('message-list').evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight))
      .toBeLessThan(40);
    await screenshot(page, 'chat-long-answer-narrow');
    await page.setViewportSize({ width: 1200, height: 800 });

    expect(await page.evaluate(() => window.api.settings.update({ appearance: { theme: 'dark' } }))).toMatchObject({ ok: true });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'chat-long-answer-dark');
  });

  it('stops an answer mid-stream, keeps the partial text as interrupted, and finds it all again after a restart', async () => {
    let page = await start();
    await addMain(page);
    openai.setReply(STORY);
    await openai.setFault('slow-between-chunks', { delayMs: 120, times: 1 });
    await ask(page, 'Tell me a long story');
    const answer = answers(page).last();
    await expect.poll(async () => (await answerText(answer)).length, { timeout: 10_000 }).toBeGreaterThan(20);
    await screenshot(page, 'chat-streaming');
    await composer(page).press('Escape');
    await waitForStatus(answer, 'interrupted');
    const partial = await answerText(answer);
    expect(partial.length).toBeGreaterThan(20);
    expect(partial.length).toBeLessThan(STORY.length);
    expect(STORY.startsWith(partial)).toBe(true);
    await answer.getByText('Stopped: you stopped this answer.').waitFor();
    expect(await answer.getByRole('button', { name: 'Regenerate' }).isEnabled()).toBe(true);
    expect(await answer.getByRole('button', { name: 'Continue' }).isEnabled()).toBe(true);
    await screenshot(page, 'chat-interrupted');

    const userDataDir = app!.userDataDir;
    await app!.close();
    page = await start({ userDataDir });
    await page.locator('article.message-user').getByText('Tell me a long story').waitFor();
    const restored = answers(page).last();
    await waitForStatus(restored, 'interrupted');
    expect(await answerText(restored)).toBe(partial);
    expect(await page.locator('.conversation-item').count()).toBe(1);
  });

  it('keeps what was typed and the partial answer when the app is killed mid-stream', async () => {
    let page = await start();
    await addMain(page);
    openai.setReply(STORY);
    await openai.setFault('slow-between-chunks', { delayMs: 120, times: 1 });
    await ask(page, 'Write me a long poem about switchboards');
    const answer = answers(page).last();
    await expect.poll(async () => (await answerText(answer)).length, { timeout: 10_000 }).toBeGreaterThan(20);
    // Main writes streamed text to disk in batches: kill only once some of it is stored, mid-stream.
    const storedAnswer = async () => (await storedMessages(page)).find((message) => message.role === 'assistant')?.content ?? '';
    await expect.poll(async () => (await storedAnswer()).length, { timeout: 10_000 }).toBeGreaterThan(20);
    const onDisk = await storedAnswer();
    const userDataDir = app!.userDataDir;
    await app!.kill();
    app = null;

    page = await start({ userDataDir });
    await page.locator('article.message-user').getByText('Write me a long poem about switchboards').waitFor();
    const restored = answers(page).last();
    await waitForStatus(restored, 'interrupted');
    const kept = await answerText(restored);
    // At least what was on disk when it died, and only the story's own words (as rendered: spacing aside).
    const words = (text: string) => text.replace(/\s+/g, ' ').trim();
    expect(words(kept).startsWith(words(onDisk))).toBe(true);
    expect(words(STORY).startsWith(words(kept))).toBe(true);
    await restored.getByText('Interrupted').waitFor();
  });

  it('says clearly when the Primary fails and retries on the other backend in one click', async () => {
    const page = await start({ dark: true });
    await addMain(page);
    await addBackup(page);
    await openai.setFault('unavailable', { on: 'chat' });
    backup.setReply('Backup here: Paris.');
    await ask(page, 'What is the capital of France?');
    const failed = answers(page).last();
    await waitForStatus(failed, 'error', 30_000);
    const error = failed.locator('.message-error');
    // It names who failed and how, not just that something did.
    expect((await error.locator('p').textContent()) ?? '').toMatch(/^Main had a server problem \(503\)/);
    const retry = failed.getByRole('button', { name: 'Retry on Backup' });
    await retry.waitFor();
    expect(backup.counters.chat).toBe(0);
    await screenshot(page, 'chat-error-retry');

    await retry.click();
    const retried = answers(page).last();
    await expect
      .poll(
        async () => (await retried.getAttribute('data-status')) === 'complete' && (await answerText(retried)) === 'Backup here: Paris.',
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(await answers(page).count()).toBe(1);
    expect((await retried.getByTestId('provenance').textContent()) ?? '').toContain('Backup');
    expect(answerRequests(backup)).toHaveLength(1);
    expect(lastUserContent(answerRequests(backup)[0])).toBe('What is the capital of France?');

    // A red Primary is named above the composer, with its reason.
    await openai.setFault('unauthorized', { on: 'all' });
    await page.evaluate(() => window.api.connections.test({ id: 'main' }));
    const warning = page.locator('.primary-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('Main is failing:');
    await screenshot(page, 'chat-primary-red');
  });

  it('keeps chat on the Primary when a routing rule sends default work elsewhere', async () => {
    const page = await start();
    await addMain(page);
    await addBackup(page);
    const updated = await page.evaluate(async () => {
      const settings = await window.api.settings.get();
      if (!settings.ok) return settings;
      return window.api.routing.update({
        ...settings.value.routing,
        rules: [{ id: 'rule-default', context: 'default', connectionId: 'backup', priority: 0 }],
      });
    });
    expect(updated).toMatchObject({ ok: true });
    await ask(page, 'Where does this go?');
    const answer = answers(page).last();
    await waitForStatus(answer, 'complete');
    expect((await answer.getByTestId('provenance').textContent()) ?? '').toContain('Main');
    expect(answerRequests(openai)).toHaveLength(1);
    expect(backup.counters.chat).toBe(0);
  });

  it('sends an attached image to a vision-capable Primary and refuses it, saying why, when the Primary cannot read images', async () => {
    const page = await start();
    await addMain(page, 'gpt-4o');
    await page.getByRole('button', { name: 'New chat' }).click();
    await expect.poll(() => page.locator('.conversation-item').count()).toBe(1);
    await page
      .getByLabel('Choose images to attach')
      .setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from(PNG_BASE64, 'base64') });
    await page.getByRole('img', { name: 'dot.png' }).waitFor();
    await page
      .getByLabel('Choose images to attach')
      .setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(6 * 1024 * 1024, 1) });
    await page.getByText('huge.png is 6.0 MB; images can be at most 5.0 MB.').waitFor();
    await page
      .getByLabel('Choose images to attach')
      .setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
    await page.getByText('notes.pdf is not an image Switchboard can send').waitFor();
    await screenshot(page, 'chat-attachment');

    // The provider says whether the image reached it, whatever earlier tests set as its reply.
    openai.setReply((request) => (JSON.stringify(request.body).includes('image_url') ? 'I see an image.' : 'No image arrived.'));
    await ask(page, 'What is in this picture?');
    const answer = answers(page).last();
    await waitForStatus(answer, 'complete');
    expect(await answerText(answer)).toContain('I see an image');
    const content = lastUserContent(answerRequests(openai).at(-1));
    expect(content).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'text', text: 'What is in this picture?' }),
        expect.objectContaining({ type: 'image_url', image_url: expect.objectContaining({ url: `data:image/png;base64,${PNG_BASE64}` }) }),
      ]),
    );
    await page.locator('article.message-user').getByRole('img', { name: 'Attached image 1' }).waitFor();
    expect(await page.getByRole('img', { name: 'dot.png' }).count()).toBe(0);

    // Dropped on the pane, too; and a Primary without vision says so instead of sending.
    await addBackup(page);
    expect(await page.evaluate(() => window.api.connections.setPrimary({ id: 'backup' }))).toMatchObject({ ok: true });
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      const pane = document.querySelector('.conversation-pane');
      pane?.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      pane?.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }, PNG_BASE64);
    await page.getByRole('img', { name: 'dropped.png' }).waitFor();
    await page.getByText("Backup can't read images").waitFor();
    await composer(page).fill('And this one?');
    expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
    await composer(page).press('Enter');
    // Had Enter sent it, main would have stored the message before calling anyone; this IPC round
    // trip is answered after any send the key press started.
    expect((await storedMessages(page)).map((message) => message.content)).not.toContain('And this one?');
    expect(await composer(page).inputValue()).toBe('And this one?');
    expect(backup.counters.chat).toBe(0);
    await screenshot(page, 'chat-vision-refused');
    // Offered instead: run it as a vision task, which goes to a provider that can see.
    const before = openai.counters.chat;
    await page.getByRole('button', { name: 'Run as a vision task' }).click();
    await page.getByRole('heading', { name: 'Tasks' }).waitFor();
    await expect.poll(() => openai.counters.chat, { timeout: 15_000 }).toBeGreaterThan(before);
    expect(JSON.stringify(openai.lastChatRequest()?.body)).toContain(PNG_BASE64);
    expect(backup.counters.chat).toBe(0);
  });

  it('picks Haiku for "hi" and Sonnet for a long multi-step coding request when the Primary is Claude', async () => {
    const page = await start();
    await addConnection(page, {
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: claude.url,
      apiKey: 'sk-ant-chat-e2e-0001',
      defaultModel: 'claude-sonnet-4-6',
    });
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByText('Answers come from Claude (Haiku or Sonnet, picked per message).').waitFor();
    await ask(page, 'hi');
    const first = answers(page).last();
    await waitForStatus(first, 'complete');
    expect((answerRequests(claude).at(-1)?.body as { model?: string }).model).toBe('claude-haiku-4-5');
    await first.getByTestId('provenance').click();
    expect((await page.locator('.provenance-popover').textContent()) ?? '').toContain('Haiku');
    await page.keyboard.press('Escape');

    const coding = [
      'I need help with a TypeScript refactor. Step by step:',
      '1. Design a cache layer for our REST API endpoint with an LRU eviction strategy.',
      '2. Then implement it as a class with unit tests.',
      '3. After that, analyze the trade-offs against a write-through cache.',
      '4. Finally, optimize the hot path and explain the algorithm.',
      '```ts',
      'export async function getUser(id: string) { return db.query("select * from users where id = $1", [id]); }',
      '```',
    ].join('\n');
    await ask(page, coding);
    await expect.poll(() => answers(page).count()).toBe(2);
    const second = answers(page).last();
    await waitForStatus(second, 'complete');
    expect((answerRequests(claude).at(-1)?.body as { model?: string }).model).toBe('claude-sonnet-4-6');
    await second.getByTestId('provenance').click();
    const badge = (await page.locator('.provenance-popover').textContent()) ?? '';
    await page.keyboard.press('Escape');
    expect(badge).toContain('Sonnet');
    expect(badge).toContain('claude-sonnet-4-6');
  });

  it('regenerates, edits and resends, keeps drafts per conversation, renames, searches, exports and deletes with undo', async () => {
    const page = await start();
    await addMain(page);
    openai.setReply('First take.');
    await ask(page, 'Name a colour');
    await waitForStatus(answers(page).last(), 'complete');
    openai.setReply('Second take.');
    await answers(page).last().getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(async () => answerText(answers(page).last())).toBe('Second take.');
    expect(await answers(page).count()).toBe(1);

    openai.setReply('Blue, edited.');
    await page.locator('article.message-user').getByRole('button', { name: 'Edit and resend' }).click();
    await page.getByRole('textbox', { name: 'Edit your message' }).fill('Name a cool colour');
    await page.getByRole('button', { name: 'Send edit' }).click();
    await expect.poll(async () => answerText(answers(page).last())).toBe('Blue, edited.');
    expect(await page.locator('article.message-user .user-text').allTextContents()).toEqual(['Name a cool colour']);
    expect(lastUserContent(answerRequests(openai).at(-1))).toBe('Name a cool colour');

    // Drafts stay with their conversation.
    const firstId = await page.locator('.conversation-item.active').getAttribute('data-conversation');
    const first = page.locator(`[data-conversation="${firstId}"]`);
    await composer(page).fill('a draft for the first chat');
    await page.keyboard.press('Control+N');
    await expect.poll(() => page.locator('.conversation-item').count()).toBe(2);
    const secondId = await page.locator('.conversation-item.active').getAttribute('data-conversation');
    expect(secondId).not.toBe(firstId);
    expect(await composer(page).inputValue()).toBe('');
    await composer(page).fill('another draft');
    await first.locator('.conversation-row').click();
    await expect.poll(() => composer(page).inputValue()).toBe('a draft for the first chat');
    await page.locator(`[data-conversation="${secondId}"] .conversation-row`).click();
    await expect.poll(() => composer(page).inputValue()).toBe('another draft');

    // A local-only chat is marked as such in the list and in its header.
    await page.getByRole('button', { name: 'New local-only chat' }).click();
    await page.locator('.pane-header').getByText('Local only').waitFor();
    await page.locator('.conversation-item.active .local-marker').waitFor();
    await first.locator('.conversation-row').click();

    // Rename inline.
    await first.hover();
    await first.getByRole('button', { name: /^Rename / }).click();
    const titleInput = page.getByRole('textbox', { name: 'Conversation title' });
    await titleInput.fill('Colours');
    await titleInput.press('Enter');
    await page.locator('.conversation-item .conversation-title', { hasText: 'Colours' }).waitFor();

    // Search with Ctrl+K, highlighted snippet, and open the hit.
    await page.keyboard.press('Control+K');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search conversations');
    await page.keyboard.type('edited');
    const hit = page.getByRole('list', { name: 'Search results' }).locator('.search-hit').first();
    await hit.waitFor();
    expect(await hit.locator('mark').first().textContent()).toMatch(/edited/i);
    await screenshot(page, 'chat-search');
    await hit.click();
    await expect.poll(() => page.locator('.pane-title').textContent()).toBe('Colours');

    // Export as Markdown.
    const renamed = page.locator('.conversation-item', { hasText: 'Colours' });
    await renamed.hover();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      renamed.getByRole('button', { name: 'Export Colours as Markdown' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Colours.md');
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const markdown = readFileSync(path, 'utf8');
    expect(markdown).toContain('# Colours');
    expect(markdown).toContain('Blue, edited.');

    // Delete, then Undo.
    await renamed.hover();
    await renamed.getByRole('button', { name: 'Delete Colours' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted “Colours”.' }).waitFor();
    await expect.poll(() => page.locator('.conversation-item', { hasText: 'Colours' }).count()).toBe(0);
    await screenshot(page, 'chat-undo-toast');
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.locator('.conversation-item', { hasText: 'Colours' }).waitFor();
    await expect.poll(() => page.locator('.pane-title').textContent()).toBe('Colours');
  });

  it('opens a 10,000-message conversation at its newest message quickly and keeps the view still while older pages load', async () => {
    let page = await start();
    await addMain(page);
    await page.getByRole('button', { name: 'New chat' }).click();
    await expect.poll(() => page.locator('.conversation-item').count()).toBe(1);
    const userDataDir = app!.userDataDir;
    await app!.close();

    const database = new DatabaseSync(join(userDataDir, 'switchboard.db'));
    const conversation = database.prepare('SELECT id FROM conversations').get() as { id: string };
    database.prepare("UPDATE conversations SET title = 'Ten thousand' WHERE id = ?").run(conversation.id);
    const insert = database.prepare(
      "INSERT INTO messages (conversation_id, sequence, role, content, parts, status, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, 'complete', ?, ?)",
    );
    const base = Date.now() - 10_000_000;
    database.exec('BEGIN');
    for (let sequence = 1; sequence <= 10_000; sequence += 1) {
      const role = sequence % 2 === 1 ? 'user' : 'assistant';
      const extra = sequence % 7 === 0 ? `\n\n${'A longer paragraph that wraps over several lines. '.repeat(6)}` : '';
      insert.run(conversation.id, sequence, role, `Message ${sequence}${extra}`, base + sequence * 1000, base + sequence * 1000);
    }
    database.exec('COMMIT');
    database.close();

    page = await start({ userDataDir });
    const list = page.getByTestId('message-list');
    await list.getByText('Message 10000', { exact: true }).waitFor();
    // How fast it opens is measured by `npm run bench` (chat-open-10k-ms), not asserted here.

    expect(await page.locator('article.message').count()).toBeLessThan(60);
    await screenshot(page, 'chat-ten-thousand');

    // Scroll to the top of the loaded page: the older page arrives above, and what was on screen stays put.
    const scrollTop = () => list.evaluate((element) => element.scrollTop);
    await list.evaluate((element) => (element.scrollTop = 0));
    const anchor = list.getByText('Message 9901', { exact: true });
    await anchor.waitFor();
    await expect.poll(scrollTop, { timeout: 5_000 }).toBeGreaterThan(2_000);
    // What was at the top stays at the top once the older page has settled in above it.
    const anchorOffset = async () => (await anchor.boundingBox())!.y - (await list.boundingBox())!.y;
    await expect
      .poll(
        async () => {
          const offset = await anchorOffset();
          return offset >= 0 && offset < 80;
        },
        { timeout: 5_000 },
      )
      .toBe(true);
    expect(await list.getByText('Message 9801', { exact: true }).count()).toBe(0);
    // Scrolling up a little shows the messages just before it.
    await list.evaluate((element) => (element.scrollTop -= 400));
    await list.getByText('Message 9900', { exact: true }).waitFor();
    await screenshot(page, 'chat-older-page');
  });
});
