import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { renameLogPath } from '../../src/activities/write-record.js';
import { packageRoot } from '../../src/common/paths.js';
import { activitiesOf } from '../../src/testing/history.js';
import { replayHistory, saveHistory } from '../../src/testing/replay.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { atPhase, reviewRequest, userFile } from './helpers.js';

const fx = testFixture({ model: true, research: true });

test('worker SIGKILLed between the approval and the end of the write: exactly one write, then rollback', async () => {
  // This worker stops for a minute right after renaming the new bytes into place, before its
  // record says so: the window where a naive retry would write again and lose the old bytes.
  const first = await fx.spawnWorker({ env: { STEADFAST_WRITE_PAUSE_MS: '60000' } });
  const file = userFile(fx.dir);
  const original = readFileSync(file);
  const { workflowId } = await fx.research.start(
    reviewRequest(fx.requestId('crash-write'), { reviewPlan: true, writeTo: file })
  );
  await atPhase(fx.research, workflowId, 'awaiting_plan_approval');
  await fx.research.approve(workflowId, { by: 'test:plan-reviewer' });
  const waiting = await atPhase(fx.research, workflowId, 'awaiting_write_approval');
  assert.deepEqual(readFileSync(file), original);
  await fx.research.approve(workflowId, { by: 'test:write-reviewer' });

  const log = renameLogPath(workflowId);
  const report = readFileSync(waiting.artifacts!.markdown.path);
  await waitFor(() => existsSync(log) && readFileSync(file).equals(report), 60_000, 'the rename');
  await first.stop('SIGKILL');

  const second = await fx.spawnWorker();
  const result = await fx.research.result(workflowId);
  assert.equal(result.outcome, 'completed');
  assert.ok(readFileSync(file).equals(report), 'the file holds the report');
  const renames = readFileSync(log, 'utf8').trim().split('\n');
  assert.equal(renames.length, 1, `exactly one write: ${renames.join(' | ')}`);
  const events = (await fx.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const writes = activitiesOf(events).filter((a) => a.activityType === 'writeFile');
  assert.equal(writes.length, 1, 'one writeFile activity');
  assert.ok(writes[0]!.attempt > 1, 'its attempt on the killed worker was retried by the new one');
  assert.equal(result.review?.write?.written?.before?.sha256, waiting.review?.write?.diff?.before?.sha256);

  if (process.env.RECORD_HISTORY) {
    await saveHistory(
      fx.settings,
      workflowId,
      path.join(packageRoot, 'test', 'fixtures', 'research-history-review.json')
    );
  }
  // The history (approvals, RunState resumption, the retried write) replays against today's code.
  await replayHistory(await fx.client.workflow.getHandle(workflowId).fetchHistory(), workflowId);

  const undone = await fx.research.rollback(workflowId, { by: 'test:undo', force: false });
  assert.equal(undone.record.rolledBack?.action, 'restored');
  assert.ok(readFileSync(file).equals(original), 'rollback restores the original bytes');
  await second.stop();
});
