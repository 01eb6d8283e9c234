import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { ConversationClient } from '../../src/client/conversation.js';
import { steadfastDataConverter } from '../../src/common/data-converter.js';
import { NoWorkerError } from '../../src/common/errors.js';
import { testFixture, type WorkerProcess } from '../../src/testing/fixture.js';
import { completedResearch } from './helpers.js';

const fx = testFixture({ model: true, research: true });
/** How long the next worker takes to take over: longer than one read of the conversation may wait. */
const TAKEOVER_MS = 5000;

/**
 * A ConversationClient whose client runs `afterAccepted` once, right after the next question's
 * Update is accepted and before `submit` goes on: the moment the worker holding the conversation
 * is SIGKILLed here. `arm()` picks the question.
 */
function killingClient(afterAccepted: () => Promise<void>, workerWaitMs?: number) {
  let armed = false;
  const interceptor: WorkflowClientInterceptor = {
    async startUpdateWithStart(input, next) {
      const output = await next(input);
      if (armed) {
        armed = false;
        await afterAccepted();
      }
      return output;
    },
  };
  const client = new Client({
    connection: fx.client.connection,
    namespace: fx.settings.namespace,
    dataConverter: steadfastDataConverter(),
    interceptors: { workflow: [interceptor] },
  });
  const conversations = new ConversationClient({
    client,
    taskQueue: fx.settings.taskQueue,
    research: fx.research,
    ...(workerWaitMs ? { workerWaitMs } : {}),
  });
  return { conversations, arm: () => (armed = true) };
}

test('the worker SIGKILLed right after the question is accepted: the asker still gets its answer, once', async () => {
  const first = await fx.spawnWorker();
  const researchId = await completedResearch(fx.research, fx.requestId('accepted-kill'));
  let replacement: Promise<WorkerProcess> | undefined;
  const { conversations, arm } = killingClient(async () => {
    await first.stop('SIGKILL');
    // The next worker takes over seconds later (a process start, then the replay of a long
    // history): reading the conversation meanwhile times out.
    replacement = sleep(TAKEOVER_MS).then(() => fx.spawnWorker());
  });
  try {
    const warmup = await conversations.ask(researchId, 'How does the workflow wait for the human decision?');
    assert.equal(warmup.turn, 1);
    arm();
    const answer = await conversations.ask(researchId, 'Which timeouts does the model activity use?');
    assert.ok(replacement, 'the worker was killed after the Update was accepted');
    assert.equal(answer.turn, 2);
    assert.ok(answer.answer.trim().length > 0);
    const { view } = await conversations.view(researchId);
    assert.equal(view?.turns, 2, 'the question was asked once');
    assert.deepEqual(
      view?.recent.map((t) => [t.turn, t.updateId, t.answer]),
      [
        [1, warmup.updateId, warmup.answer],
        [2, answer.updateId, answer.answer],
      ]
    );
  } finally {
    // Each test's workers are its own: none is left polling for the next test.
    await first.stop();
    await (await replacement)?.stop();
  }
});

test('no worker after the question is accepted: ask fails after its deadline, naming the question; asked again with its id once a worker runs, it gets that answer', async () => {
  const first = await fx.spawnWorker();
  const researchId = await completedResearch(fx.research, fx.requestId('accepted-no-worker'));
  const { conversations, arm } = killingClient(() => first.stop('SIGKILL'), 4000);
  await conversations.ask(researchId, 'How does the workflow wait for the human decision?');
  arm();
  const updateId = `accepted-no-worker-${Date.now()}`;
  const started = Date.now();
  await assert.rejects(
    conversations.ask(researchId, 'Which timeouts does the model activity use?', { updateId }),
    (err: Error) => {
      assert.ok(err instanceof NoWorkerError, `${err.name}: ${err.message}`);
      assert.match(err.message, /accepted/);
      assert.ok(err.message.includes(updateId), err.message);
      return true;
    }
  );
  assert.ok(Date.now() - started >= 4000, 'it waited for its deadline');
  const second = await fx.spawnWorker();
  try {
    const answer = await conversations.ask(researchId, 'Which timeouts does the model activity use?', {
      updateId,
    });
    assert.equal(answer.turn, 2);
    const { view } = await conversations.view(researchId);
    assert.equal(view?.turns, 2, 'the question asked again with its id was answered once');
  } finally {
    await second.stop();
  }
});
