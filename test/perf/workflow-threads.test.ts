import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResearchClient } from '../../src/client/research.js';
import { UserError } from '../../src/common/errors.js';
import { testFixture } from '../../src/testing/fixture.js';
import { defaultWorkflowThreads, workflowThreads } from '../../src/worker/workflow-threads.js';

const fx = testFixture({ model: true });

test('one workflow thread on two cores, two from four cores on; STEADFAST_WORKFLOW_THREADS overrides', () => {
  assert.equal(defaultWorkflowThreads(1), 1);
  assert.equal(defaultWorkflowThreads(2), 1);
  assert.equal(defaultWorkflowThreads(4), 2);
  assert.equal(defaultWorkflowThreads(64), 2);
  assert.equal(workflowThreads({}), defaultWorkflowThreads());
  assert.equal(workflowThreads({ STEADFAST_WORKFLOW_THREADS: '3' }), 3);
  assert.equal(workflowThreads({ STEADFAST_WORKFLOW_THREADS: ' ' }), defaultWorkflowThreads());
});

test('a workflow thread count that is not 1-16 is a UserError naming the fix', () => {
  for (const bad of ['0', '-2', '1.5', 'many', '17'])
    assert.throws(
      () => workflowThreads({ STEADFAST_WORKFLOW_THREADS: bad }),
      (err: unknown) =>
        err instanceof UserError &&
        err.message.includes(`STEADFAST_WORKFLOW_THREADS=${JSON.stringify(bad)}`) &&
        /whole number/.test(err.hint ?? ''),
      bad
    );
});

test('a worker with two workflow threads says so and completes concurrent research runs', async () => {
  const worker = await fx.spawnWorker({ env: { STEADFAST_WORKFLOW_THREADS: '2' } });
  assert.match(worker.output(), /workflow threads 2\)/);
  const research = new ResearchClient({ client: fx.client, taskQueue: fx.settings.taskQueue });
  const ids = await Promise.all(
    [0, 1, 2, 3].map(async (k) => {
      const { workflowId } = await research.start({
        question: `How do activities retry after a failure? (thread test ${k})`,
        requestId: fx.requestId(`threads-${k}`),
        clarify: false,
      });
      return workflowId;
    })
  );
  const results = await Promise.all(ids.map((id) => research.result(id)));
  for (const r of results) assert.ok(r.summary.length > 0 && r.citations.length > 0, 'a cited report');
});

test('a worker given a bad STEADFAST_WORKFLOW_THREADS stops before it polls, naming the variable', async () => {
  await assert.rejects(
    fx.spawnWorker({ env: { STEADFAST_WORKFLOW_THREADS: 'lots' } }).then((w) => w.ready),
    /STEADFAST_WORKFLOW_THREADS="lots"/
  );
});
