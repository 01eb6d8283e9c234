import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activitiesOf } from '../../src/testing/history.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { countRepeatedCompletedCalls, readRequestLog } from '../../src/model-server/request-log.js';
import { hello } from '../../src/workflows/hello.js';

const fx = testFixture({ model: { latencyMs: 600, requestLog: true } });

test('a worker SIGKILLed mid-run: a new worker finishes the run, no completed model call is repeated', async () => {
  const first = await fx.spawnWorker();
  const handle = await fx.client.workflow.start(hello, {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('hello-crash'),
    args: [{ text: 'Plan a weekend in Lisbon' }],
  });
  // Kill once one model call has completed and the next model call is in flight (600 ms long: a
  // tool activity in flight may complete before the kill lands, and then nothing is retried).
  await waitFor(
    async () => {
      const acts = activitiesOf((await handle.fetchHistory()).events ?? []);
      const models = acts.filter((a) => a.activityType === 'invokeModelActivity');
      return models.some((a) => a.outcome === 'completed') && models.some((a) => a.outcome === 'open');
    },
    30_000,
    'a completed model call and one in flight'
  );
  await first.stop('SIGKILL');

  const second = await fx.spawnWorker();
  const result = await handle.result();
  assert.equal(result.agent, 'Planner');
  assert.ok(result.answer.length > 0);
  await second.stop();
  const entries = await readRequestLog(fx.requestLog);
  assert.ok(entries.length >= 3, `the model server saw the calls (${entries.length})`);
  assert.equal(countRepeatedCompletedCalls(entries), 0, 'no model call that completed was paid for twice');
  const acts = activitiesOf((await handle.fetchHistory()).events ?? []);
  assert.ok(
    acts.some((a) => a.attempt > 1),
    'the call in flight at the kill was retried on the new worker'
  );
});
