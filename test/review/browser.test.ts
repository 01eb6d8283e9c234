import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { reviewRequest, userFile } from './helpers.js';
import { launchChromium, TEST_RESULTS as results } from '../../src/testing/browser.js';

const fx = testFixture({ model: true, worker: true, research: true, api: { web: true, pollMs: 250 } });
let browser: Browser;

before(async () => {
  browser = await launchChromium();
  fx.defer(() => browser.close());
});

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => void d.accept());
  return { page, errors };
}

test('browser: edit and approve the plan, read the diff, approve the write, roll it back', async () => {
  const file = userFile(fx.dir);
  const original = readFileSync(file);
  const { workflowId } = await fx.research.start(
    reviewRequest(fx.requestId('browser'), { reviewPlan: true, writeTo: file })
  );
  const { page, errors } = await openPage();
  await page.goto(`${fx.api.url}#/runs/${encodeURIComponent(workflowId)}`);
  await page.getByTestId('plan-review').waitFor({ timeout: 60_000 });
  await page.getByTestId('plan-query-0').fill('RunState approve reject');
  await page.screenshot({ path: path.join(results, 'review-1-plan.png'), fullPage: true });
  await page.getByTestId('plan-approve').click();

  await page.getByTestId('write-review').waitFor({ timeout: 60_000 });
  const diff = (await page.getByTestId('diff').textContent()) ?? '';
  assert.match(diff, /-- \[ \] an old item/);
  assert.ok(readFileSync(file).equals(original), 'nothing written before the approval');
  await page.screenshot({ path: path.join(results, 'review-2-diff.png'), fullPage: true });
  await page.getByTestId('write-approve').click();

  await page.locator('[data-testid=write-state]', { hasText: 'written' }).waitFor({ timeout: 60_000 });
  const status = await fx.research.status(workflowId);
  assert.equal(status.searches[0]?.query, 'RunState approve reject', 'the edited plan ran');
  assert.equal(readFileSync(file, 'utf8'), readFileSync(status.artifacts!.markdown.path, 'utf8'));
  const decisions = (await page.getByTestId('decisions').textContent()) ?? '';
  assert.match(decisions, /plan replaced/);
  assert.match(decisions, /tool approved — writeFile/);
  assert.match(decisions, /api@127\.0\.0\.1/);

  await page.getByTestId('rollback').click();
  await page.locator('[data-testid=write-state]', { hasText: 'rolled back' }).waitFor({ timeout: 60_000 });
  assert.ok(readFileSync(file).equals(original), 'rolled back to the original bytes');
  await page.screenshot({ path: path.join(results, 'review-3-rolled-back.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('browser: a run started with “Let me approve the plan”, rejected from its page', async () => {
  const { page, errors } = await openPage();
  await page.goto(fx.api.url);
  await page.getByTestId('question').fill('How do I add human approval to a durable agent?');
  await page.getByTestId('clarify').uncheck();
  await page.getByTestId('review-plan').check();
  await page.getByTestId('start').click();
  await page.getByTestId('plan-review').waitFor({ timeout: 60_000 });
  await page.getByTestId('review-reason').fill('not this corpus');
  await page.getByTestId('plan-reject').click();
  await page.locator('[data-testid=run][data-phase=rejected]').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('phase').textContent(), 'rejected');
  const workflowId = decodeURIComponent(/#\/runs\/([^/]+)/.exec(page.url())![1]!);
  const outcome = await waitFor(() => fx.research.outcome(workflowId));
  assert.equal(outcome.outcome, 'rejected');
  assert.match(
    (await page.getByTestId('decisions').textContent()) ?? '',
    /plan rejected — no search.*not this corpus/
  );
  assert.deepEqual(errors, []);
  await page.close();
});
