import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { hello } from '../../src/workflows/hello.js';

// Model calls slow enough that the first one is still running when its worker is killed.
const fx = testFixture({ model: { latencyMs: 4000 } });

test('a worker killed mid model call: another worker runs the call again within ~2 s, not after a 5 s heartbeat timeout', async () => {
  const workers = [await fx.spawnWorker(), await fx.spawnWorker()];
  const arrivals: number[] = [];
  const off = fx.model.onRequest(({ phase }) => {
    if (phase === 'received') arrivals.push(Date.now());
  });
  fx.defer(off);
  const handle = await fx.client.workflow.start(hello, {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('dead-worker'),
    args: [{ text: 'Plan a weekend in Lisbon' }],
  });
  await waitFor(() => arrivals.length >= 1, 30_000, 'the first model call at the model server');
  // The call's first heartbeat went out when it started: with a 5 s heartbeat timeout the retry
  // would come 5 s + the first retry interval after this kill.
  const pending = await waitFor(
    async () =>
      (await handle.describe()).raw.pendingActivities?.find(
        (a) => a.activityType?.name === 'invokeModelActivity' && a.lastWorkerIdentity
      ),
    10_000,
    'the model activity started by a worker'
  );
  const holder = workers.find((w) => pending.lastWorkerIdentity === `steadfast-worker@${w.pid}`);
  assert.ok(holder, `the call is held by one of the two workers (${pending.lastWorkerIdentity})`);
  const killedAt = Date.now();
  await holder.stop('SIGKILL');

  await waitFor(() => arrivals.length >= 2, 20_000, 'the model call run again');
  const retriedAfterMs = arrivals[1]! - killedAt;
  assert.ok(
    retriedAfterMs < 4000,
    `the call ran again ${retriedAfterMs} ms after the kill (heartbeat timeout 1.5 s + first retry 0.5 s; generous bound 4 s)`
  );
  await handle.terminate('the retry was observed');
});
