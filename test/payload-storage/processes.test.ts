import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Client } from '@temporalio/client';
import { ResearchClient } from '../../src/client/research.js';
import { splitQueues } from '../../src/common/temporal-settings.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { activitiesOf } from '../../src/testing/history.js';
import {
  clientWithStore,
  localObjectFile,
  localStoreContents,
  referencedHashes,
} from '../../src/testing/stored-payloads.js';
import { referenceOf } from '../../src/common/payload-storage/references.js';

const fx = testFixture({ model: { latencyMs: 400 }, roleQueues: true });
const QUESTION = 'How do I add human approval to a durable agent?';
// Built at run time so no key-shaped literal sits in the tree.
const secret = ['sk', 'steadfast', 'payload', Date.now().toString(36), 'abcdefghijklmnop'].join('-');

/** A payload folder of the test's own, so that no other test file's payloads are counted. */
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

async function historyOf(client: Client, workflowId: string) {
  return client.workflow.getHandle(workflowId).fetchHistory();
}

test('a payload one worker process stores, another reads: workflows, model calls and tools in three processes', async () => {
  const store = ownStore('three-processes');
  const roles = ['workflows', 'models', 'tools'] as const;
  const workers = await Promise.all(
    roles.map((role) =>
      fx.spawnWorker({ args: ['--role', role], env: { ...store.env, OPENAI_API_KEY: secret } })
    )
  );
  const identity = Object.fromEntries(roles.map((role, i) => [role, `steadfast-worker@${workers[i]!.pid}`]));
  const { workflowId } = await store.research.start({
    question: QUESTION,
    requestId: fx.requestId('processes'),
    clarify: false,
  });
  const result = await store.research.result(workflowId);
  assert.ok(result.citations.length > 0);

  const history = await historyOf(store.client, workflowId);
  const scheduled = new Map<number, { type: string; stored: boolean }>();
  const modelInputsReadElsewhere: string[] = [];
  for (const e of history.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) {
      const input = s.input?.payloads?.[0];
      scheduled.set(Number(e.eventId), {
        type: s.activityType?.name ?? '',
        stored: Boolean(input && referenceOf(input)),
      });
    }
    const started = e.activityTaskStartedEventAttributes;
    const a = started && scheduled.get(Number(started.scheduledEventId));
    // The workflows process wrote the model request; the models process read it to call the model.
    if (a?.type === 'invokeModelActivity' && a.stored && started!.identity === identity.models) {
      modelInputsReadElsewhere.push(String(started!.scheduledEventId));
    }
  }
  assert.ok(modelInputsReadElsewhere.length >= 3, `model requests stored by one process, read by another`);
  const completedStored = (history.events ?? []).filter((e) => {
    const r = e.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
    return r && referenceOf(r);
  });
  assert.ok(
    completedStored.length >= 3,
    'model responses stored by the models process, read by the workflows process'
  );

  // Exactly the referenced payloads are in the folder: nothing twice, nothing orphaned, no temp file.
  const referenced = referencedHashes(history);
  const { objects, temps } = await localStoreContents(store.dir);
  assert.deepEqual([...objects.keys()].sort(), [...referenced].sort());
  assert.deepEqual(temps, []);

  // The files hold what history held (the question is in the model requests), never the API key.
  const texts = [...referenced].map((sha) => readFileSync(localObjectFile(store.dir, sha), 'latin1'));
  assert.ok(texts.some((text) => text.includes('human approval')));
  assert.ok(!texts.some((text) => text.includes(secret)), 'no stored payload carries the API key');
  for (const w of workers) assert.ok(!w.output().includes(secret), 'no key in the worker log');
  await Promise.all(workers.map((w) => w.stop()));
});

test('a worker killed mid-run and its replacement store nothing twice: every object in the store is referenced once', async () => {
  const store = ownStore('crash');
  const first = await fx.spawnWorker({ env: store.env, args: ['--role', 'all'] });
  // With role queues a single `all` process serves every queue.
  const { workflowId } = await store.research.start({
    question: QUESTION,
    requestId: fx.requestId('crash'),
    clarify: false,
    maxSearches: 3,
  });
  // Kill once some model responses are stored and another call is in flight.
  await waitFor(
    async () => {
      const acts = activitiesOf((await historyOf(store.client, workflowId)).events ?? []);
      const models = acts.filter((a) => a.activityType === 'invokeModelActivity');
      return models.filter((a) => a.outcome === 'completed').length >= 3 && fx.model.stats().inFlight > 0;
    },
    60_000,
    'three stored model responses and a call in flight'
  );
  await first.stop('SIGKILL');
  const second = await fx.spawnWorker({ env: store.env, args: ['--role', 'all'] });
  const result = await store.research.result(workflowId);
  assert.ok(result.citations.length > 0);
  await second.stop();

  const history = await historyOf(store.client, workflowId);
  const acts = activitiesOf(history.events ?? []);
  assert.ok(
    acts.some((a) => a.attempt > 1),
    'a call in flight at the kill was retried by the new worker'
  );
  // The replacement replayed the history (re-storing every model request it had scheduled) and
  // retried the lost call: all of it landed on the same files.
  const referenced = referencedHashes(history);
  const { objects } = await localStoreContents(store.dir);
  assert.deepEqual([...objects.keys()].sort(), [...referenced].sort());
});
