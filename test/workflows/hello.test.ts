import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activitiesOf, activityResults } from '../../src/testing/history.js';
import { testFixture } from '../../src/testing/fixture.js';
import { hello } from '../../src/workflows/hello.js';

const fx = testFixture({ model: true, worker: true });

test('hello runs end to end: model activity, tool activity, handoff', async () => {
  const handle = await fx.client.workflow.start(hello, {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('hello-e2e'),
    args: [{ text: 'Plan a weekend in Lisbon' }],
  });
  const result = await handle.result();
  assert.equal(result.agent, 'Planner', 'the concierge hands off to the planner');
  assert.ok(result.answer.length > 20, `an answer: ${result.answer}`);
  assert.ok(
    result.usage.requests >= 3,
    `three model calls at least (tool call, handoff, answer): ${result.usage.requests}`
  );
  const { events } = await handle.fetchHistory();
  const acts = activitiesOf(events ?? []);
  assert.ok(
    acts.some((a) => a.activityType === 'calendarLookup' && a.outcome === 'completed'),
    'the tool ran as an activity'
  );
  assert.ok(
    acts.filter((a) => a.activityType === 'invokeModelActivity').length >= 3,
    'model calls ran as activities'
  );
  // The tool's real output (today's date from the worker's clock) is recorded in history.
  const [calendar] = activityResults(events ?? [], 'calendarLookup') as { today: string; saturday: string }[];
  assert.equal(calendar?.today, new Date().toISOString().slice(0, 10));
  assert.match(calendar?.saturday ?? '', /^\d{4}-\d{2}-\d{2}$/);
});

test('a model 500 and then a 429 make the model activity retry, and the run succeeds', async () => {
  fx.model.configure({ script: ['500', '429'] });
  const handle = await fx.client.workflow.start(hello, {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('hello-retry'),
    args: [{ text: 'Plan a weekend in Porto' }],
  });
  const result = await handle.result();
  assert.ok(result.answer.length > 0);
  const { events } = await handle.fetchHistory();
  const first = activitiesOf(events ?? []).find((a) => a.activityType === 'invokeModelActivity');
  assert.ok(first, 'a model activity');
  assert.equal(first.attempt, 3, 'attempt 1 got a 500, attempt 2 a 429, attempt 3 succeeded');
  assert.equal(first.lastFailureType, 'ModelInvocationError.RateLimit');
  assert.equal(first.outcome, 'completed');
});

test('a connection reset mid-call is retried, not fatal (a network error carries no HTTP status)', async () => {
  fx.model.configure({ script: ['reset', 'malformed'] });
  const handle = await fx.client.workflow.start(hello, {
    taskQueue: fx.settings.taskQueue,
    workflowId: fx.requestId('hello-reset'),
    args: [{ text: 'Plan a weekend in Braga' }],
  });
  const result = await handle.result();
  assert.ok(result.answer.length > 0);
  const { events } = await handle.fetchHistory();
  const first = activitiesOf(events ?? []).find((a) => a.activityType === 'invokeModelActivity');
  assert.equal(first?.attempt, 3, 'attempt 1 was reset, attempt 2 got a malformed body, attempt 3 succeeded');
  assert.equal(first?.outcome, 'completed');
});
