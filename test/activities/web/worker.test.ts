// The web activities on a real worker, run by the real Temporal server (as activities started on
// their own): Retry-After decides the next attempt, final errors are not retried, and a retried
// fetch reads the copy its first attempt stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { activities } from '../../../src/activities/index.js';
import { noModels } from '../../../src/common/no-models.js';
import { createWebActivities, type FetchPageResult } from '../../../src/activities/web/index.js';
import { startTestWorker, testTemporal, type TestTemporal } from '../../../src/testing/kit.js';
import { startSite, type Site } from '../../fixtures/web/site.js';

let t: TestTemporal;
let site: Site;
let worker: { stop(): Promise<void> };
let n = 0;

before(async () => {
  t = await testTemporal();
  site = await startSite();
  const web = createWebActivities({
    env: { STEADFAST_SEARXNG_URL: `${site.origin}/searxng`, STEADFAST_FETCH_ALLOW: site.hostPort },
  });
  worker = await startTestWorker(t, {
    modelProvider: noModels,
    activities: {
      webSearch: web.webSearch,
      // The first attempt stores the page, then fails as if its completion had been lost.
      fetchPage: async (input: Parameters<typeof web.fetchPage>[0]) => {
        const result = await web.fetchPage(input);
        if (Context.current().info.attempt === 1)
          throw ApplicationFailure.retryable('lost after the page was stored');
        return result;
      },
    },
  });
});
after(async () => {
  await worker?.stop();
  await site?.close();
  await t?.close();
});

function run<R>(name: string, args: unknown[], maximumAttempts = 4): Promise<R> {
  return t.client.activity.execute<R>(name, {
    id: `web-${name}-${Date.now()}-${++n}`,
    taskQueue: t.settings.taskQueue,
    args,
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '50 ms', backoffCoefficient: 1, maximumAttempts },
  });
}

describe('web activities on a worker', () => {
  test('the worker registers webSearch, fetchPage and describeWebTools', () => {
    for (const name of ['webSearch', 'fetchPage', 'describeWebTools'])
      assert.equal(typeof (activities as Record<string, unknown>)[name], 'function', name);
  });

  test("a 429's Retry-After, not the retry policy's interval, sets when the search is tried again", async () => {
    const query = `limited once ${Date.now()}`;
    const result = await run<{ results: unknown[] }>('webSearch', [{ query }]);
    assert.ok(result.results.length > 0);
    const tries = site.requests.filter((r) => new URL(r.path, site.origin).searchParams.get('q') === query);
    assert.equal(tries.length, 2);
    const gap = tries[1]!.at - tries[0]!.at;
    assert.ok(gap >= 1900, `retried after ${gap} ms, Retry-After said 2 s (policy interval 50 ms)`);
  });

  test('a final error is not retried', async () => {
    const before = site.requests.filter((r) => r.path.includes('q=json+off')).length;
    await assert.rejects(run('webSearch', [{ query: 'json off' }]), (err: Error) => {
      assert.match(String((err as { cause?: Error }).cause?.message ?? err.message), /search\.formats/);
      return true;
    });
    assert.equal(site.requests.filter((r) => r.path.includes('q=json+off')).length - before, 1);
  });

  test('a retried fetch reuses the copy its first attempt stored', async () => {
    const url = `${site.origin}/article.html?retried=${Date.now()}`;
    const result = await run<FetchPageResult>('fetchPage', [{ url, query: 'stripes' }]);
    assert.equal(result.reused, true);
    assert.equal(site.hits(new URL(url).pathname + new URL(url).search), 1);
    assert.match(result.results[0]!.excerpt, /biting flies/);
  });
});
