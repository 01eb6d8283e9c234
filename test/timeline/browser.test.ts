import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import type { PayloadView } from '../../src/common/timeline-types.js';
import type { TimelineResponse } from '../../src/common/api-types.js';
import { bytes } from '../../src/client/timeline/format.js';
import { ConversationClient } from '../../src/client/conversation.js';
import { testFixture } from '../../src/testing/fixture.js';
import { conversationWorkflowId } from '../../src/workflows/conversation/input.js';
import { get, QUESTION } from './helpers.js';
import { launchChromium, TEST_RESULTS as results } from '../../src/testing/browser.js';

delete process.env.STEADFAST_PAYLOAD_STORE;
delete process.env.STEADFAST_PAYLOAD_THRESHOLD_BYTES;
const fx = testFixture({ model: true, worker: true, research: true, api: { web: true } });
let browser: Browser;

before(async () => {
  browser = await launchChromium();
  fx.defer(() => browser.close());
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(results, `timeline-${name}.png`), fullPage: true });

test('browser: the timeline shows the history size, a stored model input opens from its step, a conversation shows its chain of runs', async () => {
  const { workflowId } = await fx.research.start({
    question: QUESTION,
    requestId: fx.requestId('timeline-browser'),
    clarify: false,
    maxSearches: 2,
  });
  await fx.research.result(workflowId);
  const timeline = (await get(fx.api.url, `/api/research/${workflowId}/timeline`)).body as TimelineResponse;

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${fx.api.url}#/runs/${workflowId}/timeline`);

  const figures = page.getByTestId('history-figures');
  await figures.waitFor({ timeout: 30_000 });
  const shown = (await figures.textContent()) ?? '';
  const h = timeline.history!;
  assert.match(shown, new RegExp(`${h.events} events`));
  assert.match(shown, new RegExp(`${h.storedPayloads} stored payloads`));
  assert.match(shown, /history \d+\.\d KB/);

  // The first model step whose input is stored: its chip says so, and opens the decoded request.
  const step = page
    .locator('[data-testid=timeline-entry]', { hasText: 'invokeModelActivity' })
    .filter({ has: page.locator('[data-testid=payload-open][data-field=input][data-location=stored]') })
    .first();
  const chip = step.locator('[data-testid=payload-open][data-field=input]');
  assert.match((await chip.textContent()) ?? '', /input · stored \d+\.\d KB/);
  const title = (await step.locator('strong.mono').textContent()) ?? '';
  const activityId = /#(\d+)/.exec((await step.textContent()) ?? '')?.[1];
  await chip.click();
  const viewer = page.getByTestId('payload-view');
  await viewer.waitFor();
  const content = viewer.getByTestId('payload-content');
  await content.waitFor({ timeout: 15_000 });
  await shot(page, 'payload');

  // What the drawer shows is the model request the API decodes for the same event.
  const entry = timeline.entries.find((e) => e.title === title && e.activityId === activityId)!;
  const input = entry.payloads!.find((f) => f.field === 'input')!;
  const view = (
    await get(fx.api.url, `/api/research/${workflowId}/payloads/${input.runId}/${input.eventId}/input`)
  ).body as PayloadView;
  const request = (view.payloads[0]!.value as { request: { systemInstructions: string } }).request;
  const text = (await content.textContent()) ?? '';
  assert.ok(text.includes('"systemInstructions"'), 'the decoded request is shown');
  assert.ok(text.includes(JSON.stringify(request.systemInstructions)), 'with the agent instructions');
  const ref = (await viewer.textContent()) ?? '';
  assert.ok(ref.includes(input.payloads[0]!.sha256!), 'the viewer names the stored object');

  // Phone width: the drawer and the chips wrap, nothing scrolls sideways.
  await page.setViewportSize({ width: 380, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scroll at 380px (${overflow}px)`);
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  await page.setViewportSize({ width: 1280, height: 900 });

  // A follow-up conversation that continued as new: its timeline lists each run and the total.
  const conversations = new ConversationClient({
    client: fx.client,
    taskQueue: fx.settings.taskQueue,
    research: fx.research,
    settings: { handover: { historyEvents: 20, historyBytes: 50_000_000 } },
  });
  for (const q of ['How does the workflow wait for the human?', 'Which timeouts apply?'])
    await conversations.ask(workflowId, q);
  await conversations.close(workflowId);
  const conversationId = conversationWorkflowId(workflowId);
  await fx.client.workflow.getHandle(conversationId).result();
  const chain = ((await get(fx.api.url, `/api/research/${conversationId}/timeline`)).body as TimelineResponse)
    .chain!;
  assert.ok(chain.runs.length >= 2, `continued as new: ${chain.runs.length} runs`);
  await page.reload();
  await page.getByTestId('timeline-conversation').click();
  await page.getByTestId('run-chain').waitFor({ timeout: 15_000 });
  assert.equal(await page.getByTestId('chain-run').count(), chain.runs.length);
  assert.match(
    (await page.getByTestId('run-chain').textContent()) ?? '',
    new RegExp(
      `${chain.runs.length} runs \\(continued as new\\) · history ${bytes(chain.total.historyBytes).replace('.', '\\.')}`
    )
  );
  // The first run: its hand-over to the next is its result.
  await page.getByTestId('chain-run').first().locator('button').click();
  await page
    .locator('[data-testid=timeline-entry][data-kind=workflow]', { hasText: 'continued as new' })
    .waitFor();
  await shot(page, 'chain');
  assert.deepEqual(errors, [], 'no errors in the browser console');
  await context.close();
});
