import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationView } from '../../src/common/conversation-types.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { conversationWorkflowId } from '../../src/workflows/conversation/input.js';
import { completedResearch, conversationClient, recordingProvider } from './helpers.js';

const fx = testFixture({ model: true, worker: true, research: true });

test('the idle timeout closes the conversation durably; a new question starts a new one that keeps the report and says so', async () => {
  const researchId = await completedResearch(fx.research, fx.requestId('idle'));
  const inputs: { instructions?: string; input: unknown }[] = [];
  const worker = await fx.isolatedWorker({ modelProvider: recordingProvider(fx.model.baseURL, inputs) });
  const conversations = conversationClient(fx, { idleTimeout: '3 seconds' }, worker.taskQueue);
  const handle = fx.client.workflow.getHandle(conversationWorkflowId(researchId));

  const first = await conversations.ask(researchId, 'How does the workflow wait for the human decision?');
  assert.equal(first.turn, 1);
  assert.equal(first.note, undefined);
  const firstRun = (await handle.describe()).runId;
  const open = await conversations.view(researchId);
  assert.equal(open.view?.phase, 'open');
  assert.equal(open.view?.idleTimeoutMs, 3000);

  // Nobody asks: the durable timer closes it.
  await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED', 30_000, 'the idle close');
  const closed = (await handle.result()) as ConversationView;
  assert.equal(closed.phase, 'closed');
  assert.equal(closed.closedReason, 'idle');
  assert.equal(closed.turns, 1);
  const shown = await conversations.view(researchId);
  assert.equal(shown.execution, 'COMPLETED');
  assert.equal(shown.view?.recent[0]?.answer, first.answer, 'the closed conversation still shows its turns');

  // Asking again: a new conversation (a new run of the same id, not a continuation), with the report.
  const callsBefore = inputs.length;
  const again = await conversations.ask(researchId, 'Which timeouts does the model activity use?');
  assert.equal(again.turn, 1, 'a new conversation counts from 1');
  assert.match(
    again.note ?? '',
    /^This is a new conversation about the report: the earlier one closed after 1 answered question because nobody asked anything for 3 seconds\. The report is still the context/
  );
  const description = await handle.describe();
  assert.notEqual(description.runId, firstRun);
  const { events } = await handle.fetchHistory();
  assert.equal(
    events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? '',
    '',
    'started anew, not continued'
  );
  const call = inputs[callsBefore]!;
  assert.match(
    call.instructions ?? '',
    /Report summary: /,
    'the report is in the new conversation’s context'
  );
  assert.match(call.instructions ?? '', /Note: This is a new conversation about the report/);
  assert.ok(!JSON.stringify(call.input).includes(first.question), 'the earlier turns are not');
  assert.equal((await conversations.view(researchId)).view?.note, again.note);
});
