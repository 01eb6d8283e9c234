import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activitiesOf } from '../../src/testing/history.js';
import { testFixture } from '../../src/testing/fixture.js';
import { replayHistory } from '../../src/testing/replay.js';
import { conversationWorkflowId } from '../../src/workflows/conversation/input.js';
import { completedResearch, conversationClient, recordingProvider } from './helpers.js';

const fx = testFixture({ model: true, research: true });

test('the workflow searches the corpus for the question itself: the agent gets the passages with it, searches only for what they lack, and the history replays', async () => {
  const inputs: { instructions?: string; input: unknown }[] = [];
  const worker = await fx.isolatedWorker({ modelProvider: recordingProvider(fx.model.baseURL, inputs) });
  const researchId = await completedResearch(worker.research, fx.requestId('searches-first'));
  const conversations = conversationClient(fx, undefined, worker.taskQueue);
  const questions = [
    'How does the workflow wait for the human decision?',
    'Which timeouts does the model activity use?',
  ];
  const answers = [];
  for (const q of questions) answers.push(await conversations.ask(researchId, q));

  const conversationId = conversationWorkflowId(researchId);
  const history = await fx.client.workflow.getHandle(conversationId).fetchHistory();
  const events = history.events ?? [];
  // The corpus reads are local activities (markers): no corpus activity goes through the server.
  const activities = activitiesOf(events).map((a) => a.activityType);
  assert.ok(
    activities.every((type) => type === 'invokeModelStreamActivity'),
    `only model calls are activities: ${activities.join(', ')}`
  );
  const markers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  assert.ok(markers.length >= questions.length, 'a search of its own for each question');
  assert.ok(
    activities.length <= 2 * questions.length,
    `one model call per answer, two when the agent searches for more: ${activities.length} for ${questions.length}`
  );
  for (const [i, q] of questions.entries()) {
    // The first model call of the turn: the question, then the passages the workflow's search found.
    const first = inputs.find((call) => JSON.stringify(call.input).includes(JSON.stringify(q).slice(0, -1)));
    assert.ok(first, `a model call for question ${i + 1}`);
    const asked = JSON.stringify(first.input);
    assert.match(asked, /Passages the corpus returned for this question/);
    assert.match(asked, /sourceId/);
    assert.ok(answers[i]!.citations.length > 0, `answer ${i + 1} cites passages`);
  }
  // The turns' events and commands are what the code produces again.
  await replayHistory(history, conversationId);
});
