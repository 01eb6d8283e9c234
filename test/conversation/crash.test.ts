import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatEvent } from '../../src/common/conversation-types.js';
import { activitiesOf } from '../../src/testing/history.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { conversationWorkflowId } from '../../src/workflows/conversation/input.js';
import { completedResearch, conversationClient, shownText } from './helpers.js';

const fx = testFixture({ model: true, research: true });

test('worker SIGKILL mid-answer: the answer is written again by the next worker, streamed again, and no turn is lost', async () => {
  const first = await fx.spawnWorker();
  const researchId = await completedResearch(fx.research, fx.requestId('crash'));
  const conversations = conversationClient(fx);
  // Tokens arrive over seconds, so that the kill lands in the middle of the answer.
  fx.model.configure({ streamDelayMs: 40 });
  const events: ChatEvent[] = [];
  const asking = conversations.ask(researchId, 'How does the workflow wait for the human decision?', {
    onEvent: (e) => events.push(e),
  });
  await waitFor(() => events.filter((e) => e.type === 'text').length >= 5, 60_000, 'the answer streaming');
  const shownAtKill = shownText(events);
  await first.stop('SIGKILL');
  const second = await fx.spawnWorker();
  try {
    const answer = await asking;
    assert.equal(answer.turn, 1);
    assert.ok(shownAtKill.length > 0 && shownAtKill.length < answer.answer.length, 'killed mid-answer');
    // The streamed text started over with the retried model call, and ended equal to the answer.
    const resets = events.flatMap((e, i) => (e.type === 'reset' ? [i] : []));
    const firstText = events.findIndex((e) => e.type === 'text');
    assert.ok(
      resets.some((i) => i > firstText),
      'a reset after text: the retried call streamed again'
    );
    assert.equal(shownText(events), answer.answer);
    const { events: history } = await fx.client.workflow
      .getHandle(conversationWorkflowId(researchId))
      .fetchHistory();
    const streamed = activitiesOf(history ?? []).filter(
      (a) => a.activityType === 'invokeModelStreamActivity'
    );
    assert.ok(
      streamed.some((a) => a.attempt > 1 && a.outcome === 'completed'),
      'the model call in flight was retried by the new worker'
    );

    const next = await conversations.ask(researchId, 'Which timeouts does the model activity use?');
    assert.equal(next.turn, 2);
    const { view } = await conversations.view(researchId);
    assert.deepEqual(
      view?.recent.map((t) => [t.turn, t.updateId]),
      [
        [1, answer.updateId],
        [2, next.updateId],
      ]
    );
  } finally {
    fx.model.configure({ streamDelayMs: 0 });
    await second.stop();
  }
});
