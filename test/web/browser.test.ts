import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { packageRoot } from '../../src/common/paths.js';
import { testFixture } from '../../src/testing/fixture.js';
import { launchChromium, TEST_RESULTS as results } from '../../src/testing/browser.js';

const docs = path.join(packageRoot, 'docs', 'screenshots');

// A little model latency so the live view can be seen (and photographed) mid-run.
const fx = testFixture({ model: { latencyMs: 250 }, worker: true, api: { web: true, pollMs: 250 } });
let browser: Browser;

before(async () => {
  browser = await launchChromium();
  fx.defer(() => browser.close());
});

async function shot(page: Page, name: string, docName?: string): Promise<void> {
  const file = path.join(results, `browser-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  // docs/screenshots holds the current picture of each main view; refresh it on purpose
  // (UPDATE_SCREENSHOTS=1 npm test -- browser) so an ordinary test run leaves the tree clean.
  if (docName && process.env.UPDATE_SCREENSHOTS) {
    mkdirSync(docs, { recursive: true });
    copyFileSync(file, path.join(docs, `${docName}.png`));
  }
}

test('browser: start a run, answer its questions, watch it live, read the report, open a citation, download the PDF', async () => {
  const started = Date.now();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  await page.goto(fx.api.url);
  await page.getByTestId('question').fill('How do I add human approval to a durable agent?');
  await shot(page, '1-form', 'form');
  await page.getByTestId('start').click();

  // The URL carries the workflow id; the clarification conversation appears.
  await page.waitForURL(/#\/runs\/research-/);
  const workflowId = decodeURIComponent(/#\/runs\/([^/]+)/.exec(page.url())![1]!);
  await page.getByTestId('answer-0').waitFor({ timeout: 60_000 });
  const questions = await page.locator('[data-testid^="answer-"]').count();
  assert.ok(questions >= 2, `2–4 questions shown: ${questions}`);
  await shot(page, '2-clarify');
  for (let i = 0; i < questions; i++)
    await page.getByTestId(`answer-${i}`).fill(`TypeScript, a small team (${i + 1})`);
  await page.getByTestId('send-answers').click();
  await page.getByTestId('clarify').waitFor({ state: 'detached', timeout: 30_000 });

  // Live progress, updated over SSE; a reload mid-run resumes where the run is.
  await page.waitForFunction(
    () =>
      ['planning', 'searching', 'writing'].includes(
        document.querySelector('[data-testid=run]')?.getAttribute('data-phase') ?? ''
      ),
    null,
    { timeout: 60_000 }
  );
  await page.reload();
  await page.getByTestId('run').waitFor();
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid=searches] li').length > 0 ||
      document.querySelector('[data-testid=run]')?.getAttribute('data-phase') === 'completed',
    null,
    { timeout: 60_000 }
  );
  // The live counters follow the status stream: wait for the first model call to reach them. A run
  // that completes while the page reloads opens on its report; its Progress tab still shows them.
  await page.waitForFunction(
    () =>
      Number(document.querySelector('[data-testid=model-calls]')?.textContent ?? 0) >= 1 ||
      document.querySelector('[data-testid=run]')?.getAttribute('data-phase') === 'completed',
    null,
    { timeout: 60_000 }
  );
  const completedEarly = (await page.getByTestId('run').getAttribute('data-phase')) === 'completed';
  if (completedEarly) {
    await page.getByTestId('tab-live').click();
    await page.getByTestId('model-calls').waitFor();
  }
  await shot(page, '3-live', 'live');
  const callsMidRun = Number(
    await page
      .getByTestId('model-calls')
      .textContent()
      .catch(() => '0')
  );
  assert.ok(callsMidRun >= 1, `model calls shown live: ${callsMidRun}`);
  if (completedEarly) await page.getByTestId('tab-report').click();

  // Completed: the report shows without a reload.
  await page.waitForSelector('[data-testid=run][data-phase=completed]', { timeout: 120_000 });
  await page.getByTestId('report').waitFor({ timeout: 30_000 });
  await page.locator('button.cite').first().waitFor();
  await shot(page, '4-report', 'report');

  // A citation opens the cited passage.
  await page.locator('.markdown button.cite').first().click();
  // The server reads the passage from the run's corpus (re-indexed if its files changed since the run).
  await page
    .getByTestId('passage')
    .waitFor({ timeout: 60_000 })
    .catch(async (err) => {
      await shot(page, '5-citation-failed');
      throw err;
    });
  const passage = (await page.getByTestId('passage').textContent()) ?? '';
  assert.ok(passage.trim().length > 20, 'the passage text is shown');
  await shot(page, '5-citation');
  await page.keyboard.press('Escape');

  // PDF download.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-pdf').click(),
  ]);
  const pdfPath = path.join(fx.dir, 'report.pdf');
  await download.saveAs(pdfPath);
  assert.equal(readFileSync(pdfPath).subarray(0, 5).toString(), '%PDF-');
  assert.match(download.suggestedFilename(), /report\.pdf$/);

  // Timeline: durable steps joined with spans, linked to the Temporal Web UI.
  await page.getByTestId('tab-timeline').click();
  await page.getByTestId('timeline-entry').first().waitFor({ timeout: 15_000 });
  const modelSteps = page.locator('[data-testid=timeline-entry]', { hasText: 'invokeModelActivity' });
  assert.ok((await modelSteps.count()) >= 5, 'model activities on the timeline');
  assert.ok(
    (await modelSteps.first().locator('.k-response, .k-generation').count()) >= 1,
    'joined with the generation span'
  );
  await shot(page, '6-timeline', 'timeline');

  // Past runs list, and phone width without horizontal scrolling.
  await page.goto(`${fx.api.url}#/runs`);
  await page.getByTestId('runs').getByText(workflowId).waitFor();
  await page.setViewportSize({ width: 380, height: 800 });
  for (const hash of [`#/runs/${workflowId}/report`, `#/runs/${workflowId}/timeline`, '#/']) {
    await page.goto(`${fx.api.url}${hash}`);
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scroll at 380px on ${hash} (${overflow}px)`);
  }
  await shot(page, '7-phone-form');
  await page.goto(`${fx.api.url}#/runs/${workflowId}/report`);
  await page.getByTestId('report').waitFor();
  await shot(page, '8-phone-report');

  assert.deepEqual(consoleErrors, [], 'no errors in the browser console');
  await context.close();
  console.log(`browser test: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
