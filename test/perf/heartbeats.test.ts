import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activitiesOf } from '../../src/testing/history.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { hello } from '../../src/workflows/hello.js';

// Model calls of 2.5 s: longer than the 1.5 s heartbeat timeout, so only heartbeats keep them alive.
const fx = testFixture({ model: { latencyMs: 2500 }, worker: true });

test('a model call longer than its heartbeat timeout: the first heartbeat is held back, yet the call is never timed out', async () => {
  const handle = await fx.client.workflow.start(hello, {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('long-call'),
    args: [{ text: 'Plan a weekend in Lisbon' }],
  });
  // Early in the first call: no heartbeat recorded yet (the plugin's immediate one was held back).
  const early = await waitFor(
    async () =>
      (await handle.describe()).raw.pendingActivities?.find(
        (a) => a.activityType?.name === 'invokeModelActivity' && a.lastStartedTime
      ),
    20_000,
    'the first model call running'
  );
  const startedMs = Number(early.lastStartedTime!.seconds) * 1000 + (early.lastStartedTime!.nanos ?? 0) / 1e6;
  if (Date.now() - startedMs < 300)
    assert.equal(early.lastHeartbeatTime, null, 'no heartbeat in the first quarter of the timeout');
  await handle.result();
  const models = activitiesOf((await handle.fetchHistory()).events ?? []).filter(
    (a) => a.activityType === 'invokeModelActivity'
  );
  assert.ok(models.length > 0);
  for (const m of models) {
    assert.equal(m.outcome, 'completed');
    assert.equal(m.attempt, 1, `a model call was retried (${m.lastFailure ?? 'no failure recorded'})`);
  }
});
