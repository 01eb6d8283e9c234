import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { activitiesOf } from '../../src/testing/history.js';
import {
  spawnWorkerProcess,
  testModelServer,
  testTemporal,
  waitFor,
  type TestTemporal,
} from '../../src/testing/kit.js';
import { countRepeatedCompletedCalls, readRequestLog } from '../../src/model-server/request-log.js';
import type { ModelServerHandle } from '../../src/model-server/server.js';
import { hello } from '../../src/workflows/hello.js';

let t: TestTemporal;
let model: ModelServerHandle;
const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'steadfast-crash-')), 'requests.jsonl');

before(async () => {
  t = await testTemporal();
  model = await testModelServer({ latencyMs: 600, logFile });
});

after(async () => {
  await model?.close();
  await t?.close();
});

test('a worker SIGKILLed mid-run: a new worker finishes the run, no completed model call is repeated', async () => {
  const env = { OPENAI_BASE_URL: model.baseURL };
  const first = spawnWorkerProcess(t, env);
  await first.ready;
  const handle = await t.client.workflow.start(hello, {
    taskQueue: t.settings.taskQueue,
    workflowId: `hello-crash-${Date.now()}`,
    args: [{ text: 'Plan a weekend in Lisbon' }],
  });
  // Kill once one model call has completed and the next is in flight.
  await waitFor(
    async () => {
      const acts = activitiesOf((await handle.fetchHistory()).events ?? []);
      const models = acts.filter((a) => a.activityType === 'invokeModelActivity');
      return models.some((a) => a.outcome === 'completed') && acts.some((a) => a.outcome === 'open');
    },
    30_000,
    'a completed model call and one in flight'
  );
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));

  const second = spawnWorkerProcess(t, env);
  try {
    await second.ready;
    const result = await handle.result();
    assert.equal(result.agent, 'Planner');
    assert.ok(result.answer.length > 0);
  } finally {
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
  }
  const entries = await readRequestLog(logFile);
  assert.ok(entries.length >= 3, `the model server saw the calls (${entries.length})`);
  assert.equal(countRepeatedCompletedCalls(entries), 0, 'no model call that completed was paid for twice');
  const acts = activitiesOf((await handle.fetchHistory()).events ?? []);
  assert.ok(
    acts.some((a) => a.attempt > 1),
    'the call in flight at the kill was retried on the new worker'
  );
});
