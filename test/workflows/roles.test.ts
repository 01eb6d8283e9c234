import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testFixture } from '../../src/testing/fixture.js';

const fx = testFixture({ model: true, research: true, roleQueues: true });

test('workers split by role: workflows, model calls and tools each on their own queue and process', async () => {
  const queues = { models: fx.settings.modelTaskQueue, tools: fx.settings.toolTaskQueue };
  assert.equal(new Set([fx.settings.taskQueue, queues.models, queues.tools]).size, 3, 'three queues');
  const roles = ['workflows', 'models', 'tools'] as const;
  const workers = await Promise.all(roles.map((role) => fx.spawnWorker({ args: ['--role', role] })));
  const identity = Object.fromEntries(roles.map((role, i) => [role, `steadfast-worker@${workers[i]!.pid}`]));
  const { workflowId } = await fx.research.start({
    question: 'How do I add human approval to a durable agent?',
    requestId: fx.requestId('roles'),
    clarify: false,
  });
  const result = await fx.research.result(workflowId);
  assert.ok(result.citations.length > 0);

  const events = (await fx.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
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
});
