import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { testFixture } from '../../src/testing/fixture.js';
import { completedResearch, conversationClient } from './helpers.js';
import { launchChromium, TEST_RESULTS as results } from '../../src/testing/browser.js';

const fx = testFixture({ model: true, worker: true, research: true, api: { web: true } });

test('browser: ask on the run page; tokens appear before the answer is complete and keep coming after a reload', async () => {
  const id = await completedResearch(fx.research, fx.requestId('browser'));
  const conversations = conversationClient(fx);
  const browser = await launchChromium();
  fx.defer(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  // Tokens arrive over several seconds, as a model writes them.
  fx.model.configure({ streamDelayMs: 150 });
  try {
    await page.goto(`${fx.api.url}#/runs/${encodeURIComponent(id)}/report`);
    await page.getByTestId('chat').waitFor({ timeout: 30_000 });
    await page.getByTestId('chat-input').fill('How does the workflow wait for the human decision?');
    await page.getByTestId('chat-send').click();

    // Text shows while the answer is still being written.
    const streaming = page.getByTestId('chat-streaming');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=chat-streaming]')?.textContent ?? '').length > 20,
      null,
      { timeout: 60_000 }
    );
    const early = (await streaming.textContent()) ?? '';
    const midway = await conversations.view(id);
    assert.ok(
      midway.view?.pending.some((p) => p.state === 'answering'),
      'the answer was not complete when its first tokens were shown'
    );
    assert.equal(await page.getByTestId('chat-turn').count(), 0);
    await page.screenshot({ path: path.join(results, 'conversation-1-streaming.png'), fullPage: true });

    // A reload in the middle: the turn so far is shown again, and the tokens keep coming.
    await page.reload();
    await page.waitForFunction(
      (n) => (document.querySelector('[data-testid=chat-streaming]')?.textContent ?? '').length >= n,
      early.length,
      { timeout: 30_000 }
    );
    const replayed = (await streaming.textContent()) ?? '';
    await page.waitForFunction(
      (n) => (document.querySelector('[data-testid=chat-streaming]')?.textContent ?? '').length > n,
      replayed.length,
      { timeout: 30_000 }
    );
    const grown = (await streaming.textContent()) ?? '';

    // The durable answer replaces the streamed one: the same text, with its sources.
    await page.getByTestId('chat-turn').first().waitFor({ timeout: 60_000 });
    await streaming.waitFor({ state: 'detached', timeout: 10_000 });
    const { view } = await conversations.view(id);
    const turn = view!.recent[0]!;
    const shown = ((await page.getByTestId('chat-answer').first().textContent()) ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    assert.equal(shown, turn.answer.replace(/\s+/g, ' ').trim());
    // What streamed (before and after the reload) was the answer as it grew, and it kept growing
    // after the reload while the answer was still incomplete.
    const shownLive = (text: string) => text.replace(/\s+/g, ' ').trim();
    for (const part of [early, replayed, grown]) assert.ok(shown.startsWith(shownLive(part)), part);
    assert.ok(shownLive(grown).length < shown.length, 'it grew before the answer was complete');
    assert.equal(await page.locator('.chat-sources li').count(), turn.citations.length);
    await page.screenshot({ path: path.join(results, 'conversation-2-answered.png'), fullPage: true });
    assert.deepEqual(consoleErrors, [], 'no errors in the browser console');
  } catch (err) {
    await page.screenshot({ path: path.join(results, 'conversation-failed.png'), fullPage: true });
    console.log(
      'DEBUG',
      await page
        .getByTestId('chat')
        .innerText()
        .catch(() => 'no chat'),
      consoleErrors
    );
    throw err;
  } finally {
    fx.model.configure({ streamDelayMs: 0 });
    await page.close();
  }
});
