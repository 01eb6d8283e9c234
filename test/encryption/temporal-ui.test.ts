// The Temporal Web UI of an embedded dev server started with the codec endpoint (as steadfast starts
// it when a key is configured) shows an encrypted run decoded through `steadfast serve`'s /codec,
// in a real browser; without a reachable codec server it shows none of the run's text.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { type Page } from 'playwright-core';
import { freePort } from '../../src/common/ports.js';
import { ensureDevServer } from '../../src/dev-server/dev-server.js';
import { startApiServer } from '../../src/server/serve.js';
import { testFixture } from '../../src/testing/fixture.js';
import { QUESTION, researchRun } from './helpers.js';
import { launchChromium, TEST_RESULTS as results } from '../../src/testing/browser.js';

process.env.STEADFAST_ENCRYPTION_KEY = randomBytes(32).toString('base64');
delete process.env.STEADFAST_ENCRYPTION_KEYS;
delete process.env.STEADFAST_ENCRYPTION_KEY_FILE;

// This file's own dev server: its Web UI must be started with the codec endpoint, which is fixed
// at start. The API server's port is chosen first, so that the endpoint can name it.
const apiPort = await freePort();
const dev = await ensureDevServer({
  dataDir: mkdtempSync(path.join(os.tmpdir(), 'steadfast-codec-ui-')),
  port: await freePort(),
  uiPort: await freePort(),
  uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
});
process.env.TEMPORAL_ADDRESS = dev.address;
const fx = testFixture({ model: true, worker: true, research: true });
// Stopped after the fixture's worker and connection (its cleanups run last in, first out).
fx.defer(() => dev.stop());

/** Opens the run in the Temporal UI and waits for `text` to show; returns the page's text. */
async function showRun(page: Page, workflowId: string, text: string): Promise<string> {
  await page.goto(`${dev.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
  await page.getByText(text).first().waitFor({ timeout: 30_000 });
  return page.locator('body').innerText();
}

test('the Temporal UI shows an encrypted run decoded through the codec endpoint, and only then', async () => {
  const { workflowId, result } = await researchRun(fx.research, fx.requestId('temporal-ui'));
  const settings = await (await fetch(`${dev.uiUrl}/api/v1/settings`)).json();
  assert.equal(settings.Codec?.Endpoint, `http://127.0.0.1:${apiPort}/codec`, 'the UI is given the endpoint');

  const browser = await launchChromium();
  fx.defer(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });

  // No codec server yet: the page shows the run's input as the ciphertext history holds.
  const history = await fx.client.workflow.getHandle(workflowId).fetchHistory();
  const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  const ciphertext = Buffer.from(input.data!).toString('base64').slice(0, 48);
  const before = await showRun(page, workflowId, ciphertext);
  await page.screenshot({ path: path.join(results, 'temporal-ui-no-codec.png'), fullPage: true });
  assert.ok(!before.includes(QUESTION), 'the Temporal UI shows the question without the codec server');

  // With `steadfast serve` on the endpoint's port, the same page decodes through it: the input,
  // and the result, which the payload store holds.
  const server = await startApiServer({
    client: fx.client,
    settings: { ...fx.settings, uiUrl: dev.uiUrl },
    port: apiPort,
  });
  fx.defer(() => server.close());
  const decodes: string[] = [];
  page.on('response', (r) => r.url().includes('/codec/decode') && decodes.push(`${r.status()}`));
  const after = await showRun(page, workflowId, `"question": "${QUESTION}"`);
  await page.getByText(result.summary.slice(0, 60)).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(results, 'temporal-ui-codec.png'), fullPage: true });
  assert.ok(!after.includes(ciphertext), 'the input is shown decoded');
  assert.ok(decodes.length > 0 && decodes.every((s) => s === '200'), `codec calls: ${decodes.join(' ')}`);
});
