import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testFixture } from '../../src/testing/fixture.js';
import { hello } from '../../src/workflows/hello.js';

const fx = testFixture({ model: { latencyMs: 150 } });

test('two `steadfast worker` processes on one server share the work', async () => {
  const workers = await Promise.all([fx.spawnWorker(), fx.spawnWorker()]);
  const handles = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      fx.client.workflow.start(hello, {
        taskQueue: fx.settings.taskQueue,
        workflowId: fx.requestId(`scale-${i}`),
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
});
