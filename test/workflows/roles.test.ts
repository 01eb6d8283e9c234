import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ResearchClient } from '../../src/client/research.js';
import type { ModelServerHandle } from '../../src/model-server/server.js';
import {
  spawnWorkerProcess,
  testModelServer,
  testTemporal,
  type TestTemporal,
} from '../../src/testing/kit.js';

let t: TestTemporal;
let model: ModelServerHandle;

before(async () => {
  t = await testTemporal();
  model = await testModelServer();
});

after(async () => {
  await model?.close();
  await t?.close();
});

test('workers split by role: workflows, model calls and tools each on their own queue and process', async () => {
  const queues = { models: `${t.settings.taskQueue}-models`, tools: `${t.settings.taskQueue}-tools` };
  const env = {
    OPENAI_BASE_URL: model.baseURL,
    STEADFAST_MODEL_TASK_QUEUE: queues.models,
    STEADFAST_TOOL_TASK_QUEUE: queues.tools,
  };
  const roles = ['workflows', 'models', 'tools'] as const;
  const workers = roles.map((role) => spawnWorkerProcess(t, env, ['--role', role]));
  try {
    await Promise.all(workers.map((w) => w.ready));
    const identity = Object.fromEntries(
      roles.map((role, i) => [role, `steadfast-worker@${workers[i]!.pid}`])
    );
    const research = new ResearchClient({
      client: t.client,
      taskQueue: t.settings.taskQueue,
      taskQueues: queues,
    });
    const { workflowId } = await research.start({
      question: 'How do I add human approval to a durable agent?',
      requestId: `roles-${Date.now()}`,
      clarify: false,
    });
    const result = await research.result(workflowId);
    assert.ok(result.citations.length > 0);

    const events = (await t.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const scheduled = new Map<number, { type: string; queue: string }>();
    const seen: Record<string, Set<string>> = {};
    for (const e of events) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s)
        scheduled.set(Number(e.eventId), {
          type: s.activityType?.name ?? '',
          queue: s.taskQueue?.name ?? '',
        });
      const started = e.activityTaskStartedEventAttributes;
      if (started) {
        const a = scheduled.get(Number(started.scheduledEventId))!;
        (seen[a.type] ??= new Set()).add(`${a.queue} ${started.identity}`);
      }
      if (e.workflowTaskStartedEventAttributes)
        (seen.workflow ??= new Set()).add(e.workflowTaskStartedEventAttributes.identity ?? '');
    }
    assert.deepEqual([...seen.invokeModelActivity!], [`${queues.models} ${identity.models}`]);
    for (const tool of ['prepareCorpus', 'searchCorpus', 'renderReport']) {
      assert.deepEqual([...seen[tool]!], [`${queues.tools} ${identity.tools}`], tool);
    }
    assert.deepEqual([...seen.workflow!], [identity.workflows]);
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(
      workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r))))
    );
  }
});
