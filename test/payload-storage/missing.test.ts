import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';
import { ResearchClient } from '../../src/client/research.js';
import { HASH_VALUE } from '../../src/common/payload-storage/content.js';
import { referenceOf } from '../../src/common/payload-storage/references.js';
import { splitQueues } from '../../src/common/temporal-settings.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { activitiesOf } from '../../src/testing/history.js';
import { clientWithStore, localObjectFile } from '../../src/testing/stored-payloads.js';

type Event = temporal.api.history.v1.IHistoryEvent;
const { PendingActivityState } = proto.temporal.api.enums.v1;
type Payload = temporal.api.common.v1.IPayload;

const fx = testFixture({ model: true, roleQueues: true });
const QUESTION = 'How do I add human approval to a durable agent?';

function ownStore(name: string) {
  const dir = path.join(fx.dir, name);
  const env = { STEADFAST_PAYLOAD_STORE: `local:${dir}` };
  const client = clientWithStore(fx.client, env);
  const research = new ResearchClient({
    client,
    taskQueue: fx.settings.taskQueue,
    taskQueues: splitQueues(fx.settings),
  });
  return { dir, env, client, research };
}

async function eventsOf(client: Client, workflowId: string): Promise<Event[]> {
  return (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** The file of a stored payload, or undefined for an inline one. */
function fileOf(dir: string, payload: Payload | null | undefined): string | undefined {
  const ref = payload ? referenceOf(payload) : undefined;
  return ref ? localObjectFile(dir, ref.claimData[HASH_VALUE]!) : undefined;
}

test('a model request missing from the store fails its activity at once, not retried, with a message that says why', async (t) => {
  const store = ownStore('activity');
  const spawn = async (role: string) => {
    const worker = await fx.spawnWorker({ env: store.env, args: ['--role', role] });
    t.after(() => worker.stop());
    return worker;
  };
  await Promise.all(['workflows', 'tools'].map(spawn));
  const models = await spawn('models');
  const { workflowId } = await store.research.start({
    question: QUESTION,
    requestId: fx.requestId('missing-input'),
    clarify: false,
  });
  const handle = store.client.workflow.getHandle(workflowId);
  // After the first model call no models worker polls: the next calls wait on their queue.
  await waitFor(
    async () =>
      activitiesOf(await eventsOf(store.client, workflowId)).some(
        (a) => a.activityType === 'invokeModelActivity' && a.outcome === 'completed'
      ),
    60_000,
    'a first model call'
  );
  await models.stop();
  const waiting = await waitFor(
    async () => {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      const queued = new Set(
        pending
          .filter((a) => a.state === PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED)
          .map((a) => a.activityId)
      );
      for (const e of await eventsOf(store.client, workflowId)) {
        const s = e.activityTaskScheduledEventAttributes;
        if (s?.activityType?.name !== 'invokeModelActivity' || !queued.has(s.activityId)) continue;
        const file = fileOf(store.dir, s.input?.payloads?.[0]);
        if (file) return { file, scheduledEventId: Number(e.eventId) };
      }
      return undefined;
    },
    60_000,
    'a model call waiting on its queue with its request stored outside history'
  );
  rmSync(waiting.file);
  await spawn('models');

  const failed = await waitFor(
    async () =>
      (await eventsOf(store.client, workflowId)).find(
        (e) => Number(e.activityTaskFailedEventAttributes?.scheduledEventId) === waiting.scheduledEventId
      ),
    60_000,
    'the model activity to fail'
  );
  const failure = failed.activityTaskFailedEventAttributes!.failure!;
  assert.match(failure.message ?? '', /stored payload sha256:[0-9a-f]{64} is missing from .*activity/);
  assert.match(failure.message ?? '', /same payload folder/);
  assert.equal(failure.applicationFailureInfo?.type, 'PayloadNotFound');
  assert.equal(failure.applicationFailureInfo?.nonRetryable, true);
  const started = (await eventsOf(store.client, workflowId)).find(
    (e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === waiting.scheduledEventId
  );
  assert.equal(
    started?.activityTaskStartedEventAttributes?.attempt,
    1,
    'one attempt: retrying cannot bring it back'
  );
  // What a failed model call means is the workflow's to decide; either way the run ends, it does not wait.
  const outcome = await store.research.result(workflowId).then(
    (result) => JSON.stringify(result.searches),
    (err: Error) => err.message
  );
  assert.match(outcome, /missing from/);
});

test('a workflow input missing from the store fails the workflow task visibly; restored, the run goes on', async (t) => {
  const store = ownStore('workflow');
  // Preferences long enough that the client stores the input outside history.
  const preferences = 'Prefer short TypeScript examples and official documentation. '.repeat(30);
  const { workflowId } = await store.research.start({
    question: QUESTION,
    preferences,
    requestId: fx.requestId('missing-workflow-input'),
    clarify: false,
    maxSearches: 2,
  });
  const startedEvent = (await eventsOf(store.client, workflowId))[0]!;
  const file = fileOf(store.dir, startedEvent.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]);
  assert.ok(file, 'the workflow input is stored outside history');
  const saved = readFileSync(file);
  rmSync(file);

  const workers = await Promise.all(
    ['workflows', 'models', 'tools'].map((role) => fx.spawnWorker({ env: store.env, args: ['--role', role] }))
  );
  t.after(() => Promise.all(workers.map((w) => w.stop())));
  // Temporal retries a failed workflow task, so the run waits; the failure says why, in history and the UI.
  const taskFailed = await waitFor(
    async () => (await eventsOf(store.client, workflowId)).find((e) => e.workflowTaskFailedEventAttributes),
    30_000,
    'the workflow task to fail'
  );
  assert.match(
    taskFailed.workflowTaskFailedEventAttributes!.failure?.message ?? '',
    /stored payload sha256:[0-9a-f]{64} is missing from .*workflow/
  );
  assert.equal((await store.client.workflow.getHandle(workflowId).describe()).status.name, 'RUNNING');

  writeFileSync(file, saved);
  const result = await waitFor(() => store.research.result(workflowId), 120_000, 'the run after the restore');
  assert.ok(result.citations.length > 0);

  // A client reading a result whose payload is gone gets the same message, not a hang.
  const completed = (await eventsOf(store.client, workflowId)).at(-1)!;
  const resultFile = fileOf(
    store.dir,
    completed.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0]
  );
  assert.ok(resultFile, 'the report is stored outside history');
  rmSync(resultFile);
  await assert.rejects(
    () => store.client.workflow.getHandle(workflowId).result(),
    /stored payload sha256:[0-9a-f]{64} is missing from/
  );
});
