import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../src/common/errors.js';
import { activities } from '../../src/activities/index.js';
import { withToolFaults } from '../../src/activities/faults.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { statusQuery } from '../../src/workflows/messages.js';

const fx = testFixture({ model: true, worker: true, research: true });
const QUESTION = 'How do I add human approval to a durable agent?';

async function waitForQuestions(workflowId: string) {
  return waitFor(
    async () => {
      const s = await fx.research.status(workflowId);
      return s.clarification === 'pending' ? s : undefined;
    },
    60_000,
    'clarifying questions'
  );
}

describe('research with clarifications', () => {
  test('full run: questions answered through the Update, cited report, Markdown + PDF', async () => {
    const { workflowId } = await fx.research.start({ question: QUESTION, requestId: fx.requestId('full') });
    const waiting = await waitForQuestions(workflowId);
    assert.ok(
      waiting.questions.length >= 2 && waiting.questions.length <= 4,
      `2–4 questions: ${waiting.questions.length}`
    );
    const started = Date.now();
    const after = await fx.research.answer(
      workflowId,
      waiting.questions.map((_, i) => `answer ${i + 1}: TypeScript, a small team`)
    );
    assert.ok(Date.now() - started < 5000, 'the Update returns at once, it does not run the research');
    assert.equal(after.clarification, 'answered');
    const result = await fx.research.result(workflowId);
    assert.deepEqual(
      result.answers,
      waiting.questions.map((_, i) => `answer ${i + 1}: TypeScript, a small team`)
    );
    assert.ok(result.summary.length > 0);
    assert.ok(result.citations.length > 0, 'the report cites sources');
    for (const c of result.citations) {
      assert.ok(existsSync(c.path), `cited file exists: ${c.path}`);
      assert.match(
        `${result.summary}\n${result.markdown}`,
        new RegExp(`\\[${c.n}\\]`),
        `citation [${c.n}] appears in the summary or the body`
      );
    }
    assert.ok(result.searches.length >= 1 && result.searches.every((s) => s.state === 'done'));
    assert.ok(result.usage.requests >= 5, `model calls counted: ${result.usage.requests}`);
    const pdf = readFileSync(result.artifacts.pdf.path);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const md = readFileSync(result.artifacts.markdown.path, 'utf8');
    assert.ok(md.includes(result.summary.slice(0, 40)), 'report.md holds the summary');
    // The same requestId returns the same run.
    const again = await fx.research.start({
      question: QUESTION,
      requestId: workflowId.replace(/^research-/, ''),
    });
    assert.equal(again.workflowId, workflowId);
    assert.equal(again.existing, true);
  });

  test('the validator rejects wrong count, empty and oversized answers; the run goes on', async () => {
    const { workflowId } = await fx.research.start({
      question: QUESTION,
      requestId: fx.requestId('validate'),
    });
    const waiting = await waitForQuestions(workflowId);
    const handle = fx.client.workflow.getHandle(workflowId);
    const { answerClarificationsUpdate } = await import('../../src/workflows/messages.js');
    // Straight to the workflow, bypassing the client's own check: the workflow's validator must reject.
    await assert.rejects(
      handle.executeUpdate(answerClarificationsUpdate, {
        args: [{ answers: waiting.questions.slice(1).map(() => 'fine') }],
      }),
      (err: Error) =>
        /expected \d+ answers/.test(String((err as { cause?: Error }).cause?.message ?? err.message))
    );
    await assert.rejects(
      handle.executeUpdate(answerClarificationsUpdate, {
        args: [{ answers: waiting.questions.map(() => '   ') }],
      }),
      (err: Error) =>
        /answer 1 is empty/.test(String((err as { cause?: Error }).cause?.message ?? err.message))
    );
    await assert.rejects(
      handle.executeUpdate(answerClarificationsUpdate, {
        args: [{ answers: waiting.questions.map(() => 'x'.repeat(5000)) }],
      }),
      (err: Error) => /limit is 1000/.test(String((err as { cause?: Error }).cause?.message ?? err.message))
    );
    // The client gives the same message as a UserError before sending.
    await assert.rejects(fx.research.answer(workflowId, []), UserError);
    const still = await handle.query(statusQuery);
    assert.equal(still.clarification, 'pending', 'rejected Updates change nothing');
    const { events } = await handle.fetchHistory();
    assert.ok(!JSON.stringify(events).includes('x'.repeat(5000)), 'rejected Updates never enter history');
    await fx.research.skip(workflowId);
    const result = await fx.research.result(workflowId);
    assert.equal(result.clarification, 'skipped');
    // A late answer is rejected with a clear message.
    await assert.rejects(
      fx.research.answer(workflowId, ['late']),
      /no clarifying questions are waiting|completed/
    );
  });

  test('the clarification timeout proceeds with "no preference"', async () => {
    const { workflowId } = await fx.research.start({
      question: QUESTION,
      requestId: fx.requestId('timeout'),
      clarificationTimeout: '2 seconds',
    });
    const result = await fx.research.result(workflowId);
    assert.equal(result.clarification, 'timed_out');
    assert.equal(result.answers, null);
    const status = await fx.research.status(workflowId);
    assert.ok(status.warnings.some((w) => w.includes('no preference')));
  });

  test('cancel ends the run as cancelled', async () => {
    const { workflowId } = await fx.research.start({ question: QUESTION, requestId: fx.requestId('cancel') });
    await waitForQuestions(workflowId);
    await fx.research.cancel(workflowId, 'changed my mind');
    const status = await waitFor(
      async () => {
        const s = await fx.research.status(workflowId);
        return s.execution !== 'RUNNING' ? s : undefined;
      },
      20_000,
      'the run to end'
    );
    assert.equal(status.execution, 'CANCELLED');
    assert.equal(status.phase, 'cancelled');
    await assert.rejects(fx.research.result(workflowId), /did not complete/);
  });
});

describe('research without clarification', () => {
  test('checklist format produces an actionable checklist', async () => {
    const { workflowId } = await fx.research.start({
      question: 'Migrate a plain agent script to a durable Temporal workflow',
      requestId: fx.requestId('checklist'),
      clarify: false,
      format: 'checklist',
    });
    const result = await fx.research.result(workflowId);
    assert.equal(result.clarification, 'disabled');
    assert.match(result.markdown, /^- \[ \] /m, 'checkbox items');
    assert.ok(readFileSync(result.artifacts.markdown.path, 'utf8').includes('- [ ]'));
  });
});

describe('search failures', () => {
  test('one search failing non-retryably is reported in status and report; the run completes', async () => {
    const w = await startFaultyWorker({ names: ['searchCorpus'], calls: [1], nonRetryable: true });
    const { workflowId } = await w.research.start({
      question: QUESTION,
      requestId: fx.requestId('onefails'),
      clarify: false,
      searchConcurrency: 1,
      maxSearches: 3,
    });
    const result = await w.research.result(workflowId);
    const failed = result.searches.filter((s) => s.state === 'failed');
    assert.equal(failed.length, 1, 'exactly one search failed');
    assert.match(failed[0]!.error ?? '', /injected tool fault/);
    assert.ok(result.searches.some((s) => s.state === 'done'));
    assert.match(result.markdown, /Searches that failed/);
    assert.ok(readFileSync(result.artifacts.markdown.path, 'utf8').includes('injected tool fault'));
  });

  test('all searches failing fails the run with a clear message', async () => {
    const w = await startFaultyWorker({ names: ['searchCorpus'], all: true, nonRetryable: true });
    const { workflowId } = await w.research.start({
      question: QUESTION,
      requestId: fx.requestId('allfail'),
      clarify: false,
      maxSearches: 2,
    });
    await assert.rejects(
      w.research.result(workflowId),
      /No search produced any evidence.*injected tool fault/s
    );
    const status = await w.research.status(workflowId);
    assert.equal(status.execution, 'FAILED');
    assert.ok(status.searches.every((s) => s.state === 'failed'));
  });
});

/** A worker on its own task queue whose corpus activities are buggy. */
function startFaultyWorker(faults: Parameters<typeof withToolFaults>[1]) {
  return fx.isolatedWorker({ activities: withToolFaults(activities, faults) });
}

test('artifacts: one report.md and one report.pdf per run', async () => {
  const { workflowId } = await fx.research.start({
    question: QUESTION,
    requestId: fx.requestId('artifacts'),
    clarify: false,
  });
  const result = await fx.research.result(workflowId);
  const dir = path.dirname(result.artifacts.pdf.path);
  assert.deepEqual(readdirSync(dir).sort(), ['report.md', 'report.pdf']);
});
