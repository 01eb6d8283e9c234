import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ModelServerHandle } from '../../src/model-server/server.js';
import {
  spawnWorkerProcess,
  testModelServer,
  testTemporal,
  type TestTemporal,
} from '../../src/testing/kit.js';
import { hello } from '../../src/workflows/hello.js';

let t: TestTemporal;
let model: ModelServerHandle;

before(async () => {
  t = await testTemporal();
  model = await testModelServer({ latencyMs: 150 });
});

after(async () => {
  await model?.close();
  await t?.close();
});

test('two `steadfast worker` processes on one server share the work', async () => {
  const env = { OPENAI_BASE_URL: model.baseURL };
  const workers = [spawnWorkerProcess(t, env), spawnWorkerProcess(t, env)];
  try {
    await Promise.all(workers.map((w) => w.ready));
    const handles = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.client.workflow.start(hello, {
          taskQueue: t.settings.taskQueue,
          workflowId: `scale-${Date.now()}-${i}`,
          args: [{ text: `Plan a weekend in city number ${i}` }],
        })
      )
    );
    await Promise.all(handles.map((h) => h.result()));
    const identities = new Set<string>();
    for (const h of handles) {
      for (const e of (await h.fetchHistory()).events ?? []) {
        const id =
          e.activityTaskStartedEventAttributes?.identity ?? e.workflowTaskStartedEventAttributes?.identity;
        if (id) identities.add(id);
      }
    }
    const expected = workers.map((w) => `steadfast-worker@${w.pid}`);
    for (const id of expected)
      assert.ok(identities.has(id), `${id} took part (saw ${[...identities].join(', ')})`);
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(
      workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r))))
    );
  }
});
