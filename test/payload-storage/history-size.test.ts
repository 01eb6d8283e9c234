import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_THRESHOLD_BYTES } from '../../src/common/payload-storage/config.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { runWeight, type RunWeight } from '../../src/testing/stored-payloads.js';
import type { ResearchClient } from '../../src/client/research.js';

// The default settings, whatever the shell exports (the fixture's worker and spawned ones read process.env).
delete process.env.STEADFAST_PAYLOAD_STORE;
delete process.env.STEADFAST_PAYLOAD_THRESHOLD_BYTES;
const fx = testFixture({ model: true, research: true });
const QUESTION = 'How do I add human approval to a durable agent?';
const LIMIT = 64 * 1024;

/** A whole run: triage, clarifying questions answered through the Update, plan, searches, report. */
async function run(research: ResearchClient, name: string) {
  const { workflowId } = await research.start({ question: QUESTION, requestId: fx.requestId(name) });
  const waiting = await waitFor(
    async () => {
      const s = await research.status(workflowId);
      return s.clarification === 'pending' ? s : undefined;
    },
    60_000,
    'clarifying questions'
  );
  await research.answer(
    workflowId,
    waiting.questions.map(() => 'TypeScript, a small team, approvals by a human within a day')
  );
  const result = await research.result(workflowId);
  return { result, weight: await runWeight(fx.client.workflow.getHandle(workflowId)) };
}

function figures(label: string, w: RunWeight): string {
  return `${label}: history ${w.historyBytes} B in ${w.events} events; ${w.storedPayloads} payloads stored outside, ${w.storedBytes} B`;
}

test(`a research run's history stays under 64 KiB with the default store (threshold ${DEFAULT_THRESHOLD_BYTES} B), and its result is the same`, async (t) => {
  // Before: a worker process that keeps every payload inline.
  const inlineWorker = await fx.spawnWorker({ env: { STEADFAST_PAYLOAD_STORE: 'off' } });
  const before = await run(fx.research, 'inline');
  await inlineWorker.stop();
  assert.equal(before.weight.storedPayloads, 0, 'with the store off nothing leaves history');

  // After: a worker with the default configuration (the local store in the data dir).
  const stored = await fx.isolatedWorker();
  const after = await run(stored.research, 'stored');

  t.diagnostic(figures('inline', before.weight));
  t.diagnostic(figures('stored', after.weight));
  assert.ok(
    after.weight.historyBytes <= LIMIT,
    `history ${after.weight.historyBytes} B is over ${LIMIT} B (inline it was ${before.weight.historyBytes} B)`
  );
  assert.ok(after.weight.storedPayloads > 0, 'model requests and responses are stored outside history');
  assert.ok(
    after.weight.historyBytes < before.weight.historyBytes / 3,
    'the history shrinks by far more than the references add'
  );

  // The offline model is deterministic: the same question gives the same report either way.
  const same = (r: typeof before.result) => ({
    summary: r.summary,
    markdown: r.markdown,
    citations: r.citations,
    followUps: r.followUps,
    searches: r.searches.map((s) => ({ query: s.query, state: s.state })),
    answers: r.answers,
    usage: r.usage,
  });
  assert.deepEqual(same(after.result), same(before.result));
});
