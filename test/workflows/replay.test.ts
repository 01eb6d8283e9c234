import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/common/paths.js';
import { replayHistory, replayHistoryFile, saveHistory } from '../../src/testing/replay.js';
import { testFixture } from '../../src/testing/fixture.js';
import { hello } from '../../src/workflows/hello.js';

const fixture = path.join(packageRoot, 'test', 'fixtures', 'hello-history.json');
const fx = testFixture({ model: true, worker: true });

test('the recorded hello history replays against the current workflow code', async () => {
  assert.ok(
    existsSync(fixture),
    `missing ${fixture}: record it with RECORD_HISTORY=1 npm test -- replay.test (then commit it)`
  );
  await replayHistoryFile(fixture);
});

test('a fresh run replays deterministically; RECORD_HISTORY=1 refreshes the recorded fixture', async () => {
  const handle = await fx.client.workflow.start(hello, {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('hello-replay'),
    args: [{ text: 'Plan a weekend in Lisbon' }],
  });
  await handle.result();
  const history = await handle.fetchHistory();
  assert.ok((history.events?.length ?? 0) > 10);
  await replayHistory(history);
  if (process.env.RECORD_HISTORY) await saveHistory(fx.settings, handle.workflowId, fixture);
});

test('replay catches a workflow that changed its steps (non-determinism is detected, not ignored)', async () => {
  const { readFile } = await import('node:fs/promises');
  const history = JSON.parse(await readFile(fixture, 'utf8')) as {
    events: { activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[];
  };
  // Rename the first scheduled activity in the recorded history: the code now schedules something else.
  const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes);
  scheduled!.activityTaskScheduledEventAttributes!.activityType.name = 'somethingElse';
  await assert.rejects(() => replayHistory(history), /Nondeterminism|DeterminismViolation|nondetermin/i);
});
