import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TimelineResponse } from '../../src/common/api-types.js';
import type { PayloadView } from '../../src/common/timeline-types.js';
import { ConversationClient } from '../../src/client/conversation.js';
import { testFixture } from '../../src/testing/fixture.js';
import { conversationWorkflowId } from '../../src/workflows/conversation/input.js';
import { cli, get, QUESTION } from './helpers.js';

const fx = testFixture({ model: true, worker: true, research: true, api: true });

/** The runs of a workflow id, first to latest, walked back through continue-as-new (the oracle). */
async function runsOf(workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  let runId: string | undefined = (await fx.client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    runs.unshift(runId);
    const { events } = await fx.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runId = events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

test('a conversation that continued as new: each run of the chain with its history bytes, and the total', async (t) => {
  const { workflowId: researchId } = await fx.research.start({
    question: QUESTION,
    requestId: fx.requestId('chain'),
    clarify: false,
    maxSearches: 2,
  });
  await fx.research.result(researchId);
  // A hand-over as soon as a run has 20 events: every turn or so.
  const conversations = new ConversationClient({
    client: fx.client,
    taskQueue: fx.settings.taskQueue,
    research: fx.research,
    settings: { handover: { historyEvents: 20, historyBytes: 50_000_000 } },
  });
  const id = conversationWorkflowId(researchId);
  for (const q of [
    'How does the workflow wait for the human?',
    'Which timeouts apply?',
    'How are tools retried?',
  ])
    await conversations.ask(researchId, q);
  // Closed, so that no run grows while its figures are compared.
  await conversations.close(researchId);
  await fx.client.workflow.getHandle(id).result();
  const runs = await runsOf(id);
  assert.ok(runs.length >= 2, `continued as new (${runs.length} runs)`);

  const timeline = (await get(fx.api.url, `/api/research/${id}/timeline`)).body as TimelineResponse;
  const chain = timeline.chain!;
  assert.deepEqual(
    chain.runs.map((r) => r.runId),
    runs,
    'every run, first to latest'
  );
  assert.equal(timeline.runId, runs.at(-1), 'the latest run is shown');
  for (const [i, r] of chain.runs.entries()) {
    const d = await fx.client.workflow.getHandle(id, r.runId).describe();
    assert.equal(r.historyBytes, d.historySize, `run ${i + 1}: Temporal's history size`);
    assert.equal(r.events, d.historyLength);
    if (i < runs.length - 1) assert.equal(r.execution, 'CONTINUED_AS_NEW');
  }
  const sum = (k: 'historyBytes' | 'events' | 'storedPayloads' | 'storedBytes') =>
    chain.runs.reduce((s, r) => s + r[k], 0);
  assert.deepEqual(chain.total, {
    historyBytes: sum('historyBytes'),
    events: sum('events'),
    storedPayloads: sum('storedPayloads'),
    storedBytes: sum('storedBytes'),
  });
  t.diagnostic(
    `${runs.length} runs: ${chain.runs.map((r) => `${r.historyBytes} B/${r.events} events`).join(', ')}; total ${chain.total.historyBytes} B`
  );

  // An earlier run, picked by its run id: the same chain, and its hand-over to the next run.
  const first = (await get(fx.api.url, `/api/research/${id}/timeline?runId=${runs[0]}`))
    .body as TimelineResponse;
  assert.equal(first.runId, runs[0]);
  assert.deepEqual(first.chain, chain);
  const workflow = first.entries.find((e) => e.kind === 'workflow')!;
  assert.equal(workflow.status, 'continued_as_new');
  const handover = workflow.payloads?.find((f) => f.field === 'result');
  assert.ok(handover, 'the input handed to the next run is the first run’s result');
  const view = (await get(fx.api.url, `/api/research/${id}/payloads/${runs[0]}/${handover.eventId}/result`))
    .body as PayloadView;
  assert.equal(view.eventType, 'WorkflowExecutionContinuedAsNew');
  assert.equal((view.payloads[0]?.value as { carried: { run: number } }).carried.run, 2);

  const text = (await cli(fx.settings, ['inspect', id])).stdout;
  const n = (v: number) => v.toLocaleString('en-US');
  assert.ok(
    text.includes(`${runs.length} runs (continued as new): history ${n(chain.total.historyBytes)} B`),
    text.slice(0, 800)
  );
  for (const r of runs) assert.ok(text.includes(r), `run ${r} listed`);
});
