import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { loadTimeline } from '../../src/client/timeline/load.js';
import { isRejectedPlan } from '../../src/client/research.js';
import { UserError } from '../../src/common/errors.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { approvePlanUpdate, approveToolCallUpdate, rejectPlanUpdate } from '../../src/workflows/messages.js';
import { activitiesRun, atPhase, ended, ORIGINAL, reviewRequest, userFile } from './helpers.js';

const fx = testFixture({ model: true, worker: true, research: true });
const SEARCH_ACTIVITIES = new Set(['searchCorpus', 'readDocument', 'webSearch', 'fetchPage']);

async function historyOf(workflowId: string) {
  return (await fx.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

describe('plan approval', () => {
  test('a rejected plan: the run completes as rejected, with no search in its history', async () => {
    const { workflowId } = await fx.research.start(
      reviewRequest(fx.requestId('reject-plan'), { reviewPlan: true })
    );
    const waiting = await atPhase(fx.research, workflowId, 'awaiting_plan_approval');
    assert.ok(waiting.review?.plan?.proposed.length, 'the plan is in the status');
    assert.equal(waiting.searches.length, 0);
    const decided = await fx.research.reject(workflowId, { by: 'test:carol', reason: 'wrong corpus' });
    assert.equal(decided.stage, 'plan');
    assert.equal(decided.decision?.decision, 'rejected');
    const status = await ended(fx.research, workflowId);
    assert.equal(status.execution, 'COMPLETED');
    assert.equal(status.phase, 'rejected');
    const outcome = await fx.research.outcome(workflowId);
    assert.ok(isRejectedPlan(outcome));
    assert.deepEqual(
      [outcome.rejection.by, outcome.rejection.reason, outcome.rejection.stage],
      ['test:carol', 'wrong corpus', 'plan']
    );
    await assert.rejects(fx.research.result(workflowId), (err: Error) => {
      assert.ok(err instanceof UserError);
      assert.match(
        err.message,
        /rejected at its plan review by test:carol .*wrong corpus; no search was performed/
      );
      return true;
    });
    const activities = activitiesRun(await historyOf(workflowId));
    assert.ok(activities.length > 0, 'the history has the steps before the review');
    assert.deepEqual(
      activities.filter((a) => SEARCH_ACTIVITIES.has(a)),
      [],
      'no search activity'
    );
    assert.ok(!activities.includes('renderReport'));
  });

  test('an approved replacement plan runs exactly the reviewer’s searches', async () => {
    const { workflowId } = await fx.research.start(
      reviewRequest(fx.requestId('replace'), { reviewPlan: true })
    );
    await atPhase(fx.research, workflowId, 'awaiting_plan_approval');
    await fx.research.approve(workflowId, {
      by: 'test:dan',
      plan: [{ query: 'RunState approvals' }, { query: 'workflow update validator', reason: 'validators' }],
    });
    const result = await fx.research.result(workflowId);
    assert.deepEqual(
      result.searches.map((s) => [s.query, s.reason]),
      [
        ['RunState approvals', 'given by the reviewer'],
        ['workflow update validator', 'validators'],
      ]
    );
    assert.equal(result.review?.plan?.state, 'replaced');
    assert.equal(result.review?.decisions[0]?.detail, '2 searches given by the reviewer');
    assert.equal(result.outcome, 'completed');
    const timeline = await loadTimeline(fx.client, fx.settings, workflowId);
    const update = timeline.entries.find((e) => e.title.startsWith('update approvePlan'));
    assert.equal(update?.title, 'update approvePlan by test:dan', 'the timeline says who decided');
    assert.equal(update?.events[0]?.detail, 'plan replaced: 2 searches');
  });

  test('validators refuse a wrong phase, an oversized plan and malformed decisions before history; the run goes on', async () => {
    const { workflowId } = await fx.research.start(
      reviewRequest(fx.requestId('validate'), { reviewPlan: true })
    );
    await atPhase(fx.research, workflowId, 'awaiting_plan_approval');
    const handle = fx.client.workflow.getHandle(workflowId);
    const refused = async (fn: () => Promise<unknown>, message: RegExp) =>
      assert.rejects(fn, (err: Error) => {
        assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
        assert.match((err.cause as Error).message, message);
        return true;
      });
    // Straight to the workflow, past the client's own checks.
    const nine = Array.from({ length: 9 }, (_, i) => ({ query: `query number ${i}` }));
    await refused(
      () => handle.executeUpdate(approvePlanUpdate, { args: [{ by: 'x', plan: nine }] }),
      /at most 8 searches/
    );
    await refused(
      () => handle.executeUpdate(approvePlanUpdate, { args: [{ by: 'x', plan: [] }] }),
      /at least one search/
    );
    await refused(() => handle.executeUpdate(approvePlanUpdate, { args: [{ by: '' }] }), /say who decides/);
    await refused(
      () => handle.executeUpdate(rejectPlanUpdate, { args: [{ by: 'x', reason: 'r'.repeat(1001) }] }),
      /reason is at most 1000/
    );
    await refused(
      () => handle.executeUpdate(approveToolCallUpdate, { args: [{ by: 'x', callId: 'call_nope' }] }),
      /no tool call is waiting for approval \(phase awaiting_plan_approval\)/
    );
    // The client says the same before sending.
    await assert.rejects(fx.research.approve(workflowId, { by: 'x', plan: nine }), /at most 8 searches/);
    const events = await historyOf(workflowId);
    assert.equal(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length, 0);

    await fx.research.approve(workflowId, { by: 'test:erin' });
    await ended(fx.research, workflowId);
    await assert.rejects(
      fx.research.approve(workflowId, { by: 'x' }),
      /nothing of .* is waiting for approval/
    );
    assert.equal((await fx.research.result(workflowId)).review?.plan?.state, 'approved');
  });

  test('the review timeout rejects the plan by default; with onReviewTimeout proceed, the plan runs', async () => {
    const rejected = await fx.research.start(
      reviewRequest(fx.requestId('timeout-reject'), { reviewPlan: true, reviewTimeout: '2s' })
    );
    const proceeding = await fx.research.start(
      reviewRequest(fx.requestId('timeout-proceed'), {
        reviewPlan: true,
        reviewTimeout: '2s',
        onReviewTimeout: 'proceed',
      })
    );
    const outcome = await fx.research.outcome(rejected.workflowId);
    assert.ok(isRejectedPlan(outcome));
    assert.deepEqual([outcome.rejection.by, outcome.rejection.decision], ['timeout', 'timed_out']);
    const result = await fx.research.result(proceeding.workflowId);
    assert.equal(result.review?.plan?.state, 'timed_out');
    assert.deepEqual(
      result.searches.map((s) => s.query),
      result.review?.plan?.proposed.map((p) => p.query)
    );
    assert.match(result.review?.decisions[0]?.detail ?? '', /proceeding with the proposed plan/);
  });
});

describe('approved writes', () => {
  test('a rejected write: the file is untouched, the run ends rejected and keeps its report', async () => {
    const file = userFile(fx.dir);
    const { workflowId } = await fx.research.start(
      reviewRequest(fx.requestId('reject-write'), { writeTo: file })
    );
    const waiting = await atPhase(fx.research, workflowId, 'awaiting_write_approval');
    assert.equal(waiting.review?.write?.state, 'pending');
    assert.match(waiting.review?.write?.diff?.diff ?? '', /^-- \[ \] an old item$/m);
    const call = waiting.review!.calls.find((c) => c.callId === waiting.review!.write!.callId)!;
    assert.equal(call.tool, 'writeFile');
    assert.deepEqual(JSON.parse(call.arguments), { path: file, sha256: waiting.artifacts!.markdown.sha256 });
    await fx.research.reject(workflowId, { by: 'test:frank', reason: 'not now' });
    const result = await fx.research.result(workflowId);
    assert.equal(result.outcome, 'rejected');
    assert.equal(result.review?.write?.state, 'rejected');
    assert.equal((await fx.research.status(workflowId)).phase, 'rejected');
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
    assert.ok(existsSync(result.artifacts.markdown.path), 'the report is kept');
    await assert.rejects(
      fx.research.rollback(workflowId, { by: 'x', force: false }),
      /wrote no file .* was rejected/
    );
  });

  test('a file changed between the diff and the approval is not written; its new diff is asked for again', async () => {
    const file = userFile(fx.dir);
    const { workflowId } = await fx.research.start(reviewRequest(fx.requestId('stale'), { writeTo: file }));
    const first = await atPhase(fx.research, workflowId, 'awaiting_write_approval');
    const edited = `${ORIGINAL}- [ ] added while the diff was on screen\n`;
    writeFileSync(file, edited);
    await fx.research.approve(workflowId, { by: 'test:gina' });
    const second = await atPhaseAfter(workflowId, first.review!.write!.diff!.computedAt);
    assert.equal(readFileSync(file, 'utf8'), edited, 'nothing written over the change');
    assert.match(second.review!.write!.diff!.diff, /^-- \[ \] added while the diff was on screen$/m);
    assert.ok(second.warnings.some((w) => /changed after its diff was shown/.test(w)));
    await fx.research.approve(workflowId, { by: 'test:gina' });
    const result = await fx.research.result(workflowId);
    assert.equal(readFileSync(file, 'utf8'), readFileSync(result.artifacts.markdown.path, 'utf8'));
    assert.equal(result.review?.write?.written?.before?.bytes, edited.length);
    // The rollback restores the file as it was when written: with the edit.
    await fx.research.rollback(workflowId, { by: 'test:gina', force: false });
    assert.equal(readFileSync(file, 'utf8'), edited);
  });

  test('a new file: written on approval; rollback removes it, once; a changed file needs --force', async () => {
    const created = userFile(fx.dir, null);
    const { workflowId } = await fx.research.start(
      reviewRequest(fx.requestId('new-file'), { writeTo: created })
    );
    const waiting = await atPhase(fx.research, workflowId, 'awaiting_write_approval');
    assert.equal(waiting.review?.write?.diff?.before, null);
    await fx.research.approve(workflowId, { by: 'test:hal' });
    const result = await fx.research.result(workflowId);
    assert.equal(result.review?.write?.written?.existed, false);
    const done = await fx.research.rollback(workflowId, { by: 'test:hal', force: false });
    assert.equal(done.record.rolledBack?.action, 'removed');
    assert.equal(existsSync(created), false);
    const again = await fx.research.rollback(workflowId, { by: 'test:ivy', force: false });
    assert.equal(again.already, true);
    assert.equal(again.record.rolledBack?.by, 'test:hal');
    const status = await fx.research.status(workflowId);
    assert.equal(status.review?.write?.written?.rolledBack?.by, 'test:hal', 'the status shows the rollback');

    const changed = userFile(fx.dir);
    const run = await fx.research.start(
      reviewRequest(fx.requestId('rollback-changed'), { writeTo: changed })
    );
    await atPhase(fx.research, run.workflowId, 'awaiting_write_approval');
    await fx.research.approve(run.workflowId, { by: 'test:hal' });
    await fx.research.result(run.workflowId);
    writeFileSync(changed, 'rewritten by hand\n');
    await assert.rejects(
      fx.research.rollback(run.workflowId, { by: 'test:hal', force: false }),
      (err: Error) => {
        assert.ok(err instanceof UserError);
        assert.match(err.message, /refused: .*changed after .* wrote it/);
        assert.match(err.hint ?? '', /--force/);
        return true;
      }
    );
    assert.equal(readFileSync(changed, 'utf8'), 'rewritten by hand\n');
    const forced = await fx.research.rollback(run.workflowId, { by: 'test:hal', force: true });
    assert.equal(forced.record.rolledBack?.forced, true);
    assert.equal(readFileSync(changed, 'utf8'), ORIGINAL);
  });

  test('a write nobody approves before the timeout is rejected, never made', async () => {
    const file = userFile(fx.dir);
    const { workflowId } = await fx.research.start(
      reviewRequest(fx.requestId('write-timeout'), {
        writeTo: file,
        reviewTimeout: '2s',
        onReviewTimeout: 'reject',
      })
    );
    const result = await fx.research.result(workflowId);
    assert.equal(result.outcome, 'rejected');
    assert.equal(result.review?.write?.state, 'timed_out');
    assert.deepEqual(
      result.review?.decisions.map((d) => [d.stage, d.decision, d.by]),
      [['tool', 'timed_out', 'timeout']]
    );
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
  });
});

/** The run at awaiting_write_approval with a diff computed after `since`. */
async function atPhaseAfter(workflowId: string, since: string) {
  for (;;) {
    const s = await atPhase(fx.research, workflowId, 'awaiting_write_approval');
    if (
      s.review?.write?.diff &&
      s.review.write.diff.computedAt !== since &&
      s.review.write.state === 'pending'
    )
      return s;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('tool-call approval', () => {
  test('a tool marked for approval pauses its agent; each pending call is decided by its id', async () => {
    // A term no passage holds: each searcher calls searchCorpus for it, and each call waits.
    const { workflowId } = await fx.research.start(
      reviewRequest(fx.requestId('tools'), {
        question: 'How do I add human approval to a durable agent with qzxvwj?',
        approveTools: ['searchCorpus'],
      })
    );
    const waiting = await waitFor(
      async () => {
        const s = await fx.research.status(workflowId);
        if (s.execution !== 'RUNNING') throw new Error(`ended ${s.phase}: ${s.failure}`);
        const pending = s.review?.calls.filter((c) => c.state === 'pending') ?? [];
        return pending.length === 2 ? s : undefined;
      },
      120_000,
      'two pending searchCorpus calls'
    );
    assert.equal(waiting.phase, 'awaiting_tool_approval');
    const [first, second] = waiting.review!.calls;
    for (const call of [first!, second!]) {
      assert.deepEqual([call.tool, call.agent, call.state], ['searchCorpus', 'Searcher', 'pending']);
      assert.match(call.arguments, /qzxvwj/);
    }
    await assert.rejects(fx.research.approve(workflowId, { by: 'test:kim' }), (err: Error) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, /2 tool calls .* wait for a decision: name one with --call/);
      assert.match(err.hint ?? '', new RegExp(`${first!.callId}: searchCorpus`));
      return true;
    });
    await fx.research.approve(workflowId, { by: 'test:kim', callId: first!.callId });
    await fx.research.reject(workflowId, { by: 'test:kim', callId: second!.callId, reason: 'enough' });
    const result = await fx.research.result(workflowId);
    assert.deepEqual(
      result.review?.decisions.map((d) => [d.callId, d.decision, d.tool]),
      [
        [first!.callId, 'approved', 'searchCorpus'],
        [second!.callId, 'rejected', 'searchCorpus'],
      ]
    );
    // The approved call ran; the rejected one never did (besides the workflow's own search of each query).
    const ran = activitiesRun(await historyOf(workflowId)).filter((a) => a === 'searchCorpus').length;
    assert.equal(ran - result.searches.length, 1, 'one searcher call ran');
  });
});
