import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ChatEvent } from '../../src/common/conversation-types.js';
import { UserError } from '../../src/common/errors.js';
import { testFixture } from '../../src/testing/fixture.js';
import { conversationWorkflowId } from '../../src/workflows/conversation/input.js';
import { askUpdate, closeUpdate } from '../../src/workflows/conversation/messages.js';
import { completedResearch, conversationClient, lazily, recordingProvider, shownText } from './helpers.js';

const fx = testFixture({ model: true, worker: true, research: true });
const report = lazily(() => completedResearch(fx.research, fx.requestId('report')));

test('ask: a cited answer, streamed as it is written; the streamed text renumbered is the answer', async () => {
  const researchId = await report();
  const conversations = conversationClient(fx);
  const events: ChatEvent[] = [];
  const answer = await conversations.ask(researchId, 'How does the workflow wait for the human decision?', {
    onEvent: (e) => events.push(e),
  });
  assert.equal(answer.conversationId, conversationWorkflowId(researchId));
  assert.equal(answer.turn, 1);
  assert.ok(answer.citations.length > 0, 'the answer cites passages');
  for (const c of answer.citations) {
    assert.ok(existsSync(c.path), `citation ${c.n} points to a real file: ${c.path}`);
    assert.ok(c.excerpt.trim().length > 20, `citation ${c.n} carries its passage`);
    assert.ok(answer.answer.includes(`[${c.n}]`), `citation ${c.n} is in the text`);
  }
  assert.doesNotMatch(answer.answer, /\[[^\]\s]+#L?\d[^\]]*\]/, 'no raw [sourceId] marker is left');
  assert.ok(answer.historyBytes > 0);

  // The stream: the turn, then text that only grows, ending equal to the durable answer.
  assert.equal(events[0]?.type, 'turn');
  assert.ok(events.filter((e) => e.type === 'text').length > 3, 'the text came in pieces');
  assert.equal(events.at(-1)?.type, 'answered');
  assert.equal(shownText(events), answer.answer);
  const cited = events.flatMap((e) => (e.type === 'cite' ? [[e.n, e.sourceId]] : []));
  assert.deepEqual(
    cited,
    answer.citations.map((c) => [c.n, c.sourceId])
  );
});

test('a second question sees the first turn: the model gets it as messages, and its own citations are numbered from 1', async () => {
  const inputs: { input: unknown }[] = [];
  const worker = await fx.isolatedWorker({ modelProvider: recordingProvider(fx.model.baseURL, inputs) });
  const conversations = conversationClient(fx, undefined, worker.taskQueue);
  // A conversation of its own, on the recording worker's queue.
  const other = await completedResearch(fx.research, fx.requestId('memory'));
  const first = await conversations.ask(other, 'What does the runner accept to resume a run?');
  const before = inputs.length;
  const second = await conversations.ask(other, 'And what happens to the session after continue-as-new?');
  assert.equal(second.turn, 2);
  assert.ok(
    second.citations.every((c, i) => c.n === i + 1),
    'numbered from 1 in this answer'
  );
  const calls = inputs.slice(before).map((i) => JSON.stringify(i.input));
  assert.ok(calls.length > 0);
  for (const call of calls) {
    assert.ok(call.includes(first.question), 'the first question is in every model call of the second turn');
    // The first answer as the agent wrote it: its opening words, its citations as [sourceId].
    assert.ok(call.includes(first.answer.slice(0, 40)), 'the first answer is there too');
    assert.ok(call.includes(`[${first.citations[0]!.sourceId}]`), 'with its [sourceId] markers');
  }
  const view = await conversations.view(other);
  assert.deepEqual(
    view.view?.recent.map((t) => t.turn),
    [1, 2]
  );
});

test('the validator rejects an empty, an oversized and a late question with a clear message; none enters history', async () => {
  const researchId = await report();
  const conversations = conversationClient(fx);
  await assert.rejects(conversations.ask(researchId, '   '), (err: Error) => {
    assert.ok(err instanceof UserError);
    assert.match(err.message, /the question is empty/);
    return true;
  });
  const handle = fx.client.workflow.getHandle(conversationWorkflowId(researchId));
  const rejected = async (question: string, pattern: RegExp) =>
    assert.rejects(handle.executeUpdate(askUpdate, { args: [{ question }] }), (err: Error) => {
      assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
      assert.match(String(err.cause?.message), pattern);
      return true;
    });
  await rejected('', /the question is empty: ask something about the report/);
  await rejected('why? '.repeat(401), /the question is 2005 characters; the limit is 2000/);

  // Closed while a question is being answered: that one is answered, a later one is turned away.
  fx.model.configure({ latencyMs: 1200 });
  try {
    const inFlight = conversations.submit(researchId, 'Which timeouts does the model activity use?');
    const accepted = await inFlight;
    const closing = handle.executeUpdate(closeUpdate);
    await new Promise((r) => setTimeout(r, 300));
    await rejected('One more question?', /this conversation is closed: it was closed on request\. Ask again/);
    const answered = await conversations.answerOf(accepted);
    assert.ok(answered.answer.length > 0, 'the question in flight was answered');
    const closed = await closing;
    assert.equal(closed.phase, 'closed');
    assert.equal(closed.closedReason, 'closed_by_request');
  } finally {
    fx.model.configure({ latencyMs: 0 });
  }
  const final = await handle.result();
  assert.equal(final.phase, 'closed');

  // Rejected questions left nothing in history: accepted asks are the answered ones.
  const { events } = await handle.fetchHistory();
  const accepted = (events ?? []).filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'ask'
  );
  assert.equal(accepted.length, final.turns);
});

test('research and conversation runs are started with a 2 s workflow task timeout: a worker killed holding a task costs that, not the server default of 10 s', async () => {
  const researchId = await report();
  const conversations = conversationClient(fx);
  const answer = await conversations.ask(researchId, 'Which signal resumes the run?');
  for (const id of [researchId, answer.conversationId]) {
    const config = (await fx.client.workflow.getHandle(id).describe()).raw.executionConfig;
    assert.equal(Number(config?.defaultWorkflowTaskTimeout?.seconds), 2, `${id}: workflow task timeout`);
  }
});
