import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviderServer, type FakeProviderServer } from '../helpers/fake-provider-server';
import { launchApp, type AppHandle } from './helpers/launch-app';
import { screenshot } from './helpers/screenshots';

// A long answer streaming in: the view follows its end while it is at the bottom, stays where the user
// scrolled to, and "Latest" takes it back. Ollama needs no key, so this runs without a keychain.

const END_MARK = 'That is the end of the answer.';

function longAnswer(): string {
  const section = (index: number) =>
    [
      `## Part ${index}`,
      'The router builds an ordered list of candidates, filters out the unhealthy ones and explains every skip, so that a user can see why a provider answered.',
      '- first, the rules for the agent\n- then the default rules\n- then the **Primary**, with `fallback` on',
      '```ts\n' + Array.from({ length: 6 }, (_, line) => `const step${index}_${line} = plan(${line}); // keep going`).join('\n') + '\n```',
    ].join('\n\n');
  return `${Array.from({ length: 14 }, (_, index) => section(index + 1)).join('\n\n')}\n\n${END_MARK}`;
}

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const list = (page: Page) => page.getByTestId('message-list');
const fromBottom = (page: Page) => list(page).evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
const scrollTop = (page: Page) => list(page).evaluate((element) => element.scrollTop);
const answerLength = async (answer: Locator) =>
  (
    (await answer
      .locator('.answer-text')
      .textContent()
      .catch(() => '')) ?? ''
  ).length;

describe('chat: following a streaming answer', () => {
  let server: FakeProviderServer;
  let app: AppHandle | null = null;

  beforeAll(async () => {
    server = await startFakeProviderServer({ reply: longAnswer(), models: ['llama3.1:8b'], chunkSize: 12 });
  });
  afterEach(async () => {
    await app?.close();
    app = null;
  });
  afterAll(async () => {
    await server.close();
  });

  it('follows the end while at the bottom, stays put when scrolled up, and "Latest" follows again', async () => {
    app = await launchApp({ env: { SWITCHBOARD_OLLAMA_URL: 'http://127.0.0.1:9' } });
    const page = app.page;
    const added = await page.evaluate(
      (baseUrl) => window.api.connections.add({ kind: 'ollama', name: 'Local', baseUrl, defaultModel: 'llama3.1:8b' }),
      server.url,
    );
    expect(added.ok).toBe(true);
    // About 12 characters every 25 ms: the answer takes several seconds, longer than the window from early on.
    await server.setFault('slow-between-chunks', { delayMs: 25 });

    await composer(page).fill('Explain the router, part by part.');
    await composer(page).press('Enter');
    const answer = page.locator('article.message-assistant').last();
    await expect
      .poll(() => list(page).evaluate((element) => element.scrollHeight - element.clientHeight), { timeout: 20_000 })
      .toBeGreaterThan(600);

    // Following: the end stays in view as the answer grows.
    const grown = await answerLength(answer);
    await expect.poll(() => answerLength(answer), { timeout: 10_000 }).toBeGreaterThan(grown + 300);
    expect(await fromBottom(page)).toBeLessThan(40);
    expect(await page.getByRole('button', { name: 'Latest' }).count()).toBe(0);
    // One caret, at the end of the last block, not one per block.
    const carets = () =>
      answer.evaluate(
        (element) =>
          [...element.querySelectorAll('.markdown > *')].filter((child) => getComputedStyle(child, '::after').content.includes('▍')).length,
      );
    expect(await carets()).toBe(1);
    await screenshot(page, 'chat-follow-streaming');

    // Scrolled up: the view stays where the user put it while the answer goes on growing below.
    await list(page).evaluate((element) => element.scrollBy({ top: -400 }));
    await page.getByRole('button', { name: 'Latest' }).waitFor();
    const kept = await scrollTop(page);
    const before = await answerLength(answer);
    await expect.poll(() => answerLength(answer), { timeout: 10_000 }).toBeGreaterThan(before + 300);
    expect(Math.abs((await scrollTop(page)) - kept)).toBeLessThan(2);
    expect(await fromBottom(page)).toBeGreaterThan(400);
    await screenshot(page, 'chat-follow-scrolled-up');

    // "Latest" goes to the end and follows again.
    await page.getByRole('button', { name: 'Latest' }).click();
    await expect.poll(() => fromBottom(page)).toBeLessThan(40);
    const resumed = await answerLength(answer);
    await expect.poll(() => answerLength(answer), { timeout: 10_000 }).toBeGreaterThan(resumed + 300);
    expect(await fromBottom(page)).toBeLessThan(40);
    expect(await page.getByRole('button', { name: 'Latest' }).count()).toBe(0);

    await expect.poll(() => answer.getAttribute('data-status'), { timeout: 60_000 }).toBe('complete');
    expect(await answer.locator('.answer-text').textContent()).toContain(END_MARK);
    await expect.poll(() => fromBottom(page)).toBeLessThan(40);
    expect(await carets()).toBe(0);
    await screenshot(page, 'chat-follow-complete');

    // Scrolled up, then a new question: it goes to the bottom, and the answer before it is still there above.
    await list(page).evaluate((element) => element.scrollTo({ top: 0 }));
    await server.setFault('slow-between-chunks', { delayMs: 5 });
    await composer(page).fill('And once more, briefly.');
    await composer(page).press('Enter');
    await expect.poll(() => page.locator('article.message-assistant').count()).toBe(2);
    await expect.poll(() => fromBottom(page)).toBeLessThan(40);
    await expect
      .poll(() => page.locator('article.message-assistant').last().getAttribute('data-status'), { timeout: 60_000 })
      .toBe('complete');
    await expect.poll(() => fromBottom(page)).toBeLessThan(40);
    await list(page).evaluate((element) => element.scrollTo({ top: 0 }));
    await list(page).getByText('Explain the router, part by part.').waitFor();
    expect(await composer(page).evaluate((element) => element === document.activeElement)).toBe(true);
  });
});
