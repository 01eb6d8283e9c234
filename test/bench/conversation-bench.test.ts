import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { temporal } from '@temporalio/proto';
import { askUpdatesOf } from '../../bench/conversation/history.js';
import { benchQuestions, killTurns } from '../../bench/conversation/questions.js';
import { MAX_BYTES_PER_TURN } from '../../bench/conversation/report.js';
import { runConversationBench } from '../../bench/conversation/run.js';

type Event = temporal.api.history.v1.IHistoryEvent;

test('the ask Updates of a history: accepted, answered, failed; other Updates are not counted', () => {
  const request = (updateId: string, name: string) => ({ meta: { updateId }, input: { name } });
  const events: Event[] = [
    { workflowExecutionUpdateAdmittedEventAttributes: { request: request('a', 'ask') } },
    { workflowExecutionUpdateAcceptedEventAttributes: { protocolInstanceId: 'a' } },
    { workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: request('p', 'poll') } },
    {
      workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId: 'p' }, outcome: { success: {} } },
    },
    {
      workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId: 'a' }, outcome: { success: {} } },
    },
    { workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: request('b', 'ask') } },
    {
      workflowExecutionUpdateCompletedEventAttributes: {
        meta: { updateId: 'b' },
        outcome: { failure: { message: 'boom' } },
      },
    },
    { workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: request('c', 'ask') } },
  ];
  assert.deepEqual(askUpdatesOf(events), {
    accepted: ['a', 'b', 'c'],
    answered: ['a'],
    failed: [{ updateId: 'b', message: 'boom' }],
  });
});

test('questions and kill turns are drawn from the seed and the report alone', () => {
  const report = { question: 'q?', citations: [{ title: 'Durable timers' }, { title: 'Updates' }] };
  assert.deepEqual(benchQuestions(report, 20, 3), benchQuestions(report, 20, 3));
  assert.notDeepEqual(benchQuestions(report, 20, 3), benchQuestions(report, 20, 4));
  assert.ok(benchQuestions(report, 20, 3).every((q) => /Durable timers|Updates/.test(q)));
  const kills = killTurns(200, 3, 7);
  assert.equal(new Set(kills).size, 3);
  assert.ok(kills.every((t) => t >= 2 && t <= 200));
  assert.deepEqual(killTurns(2, 5, 7), [2], 'no more kills than turns after the first');
});

test(
  'conversation bench, 12 turns handing over every few turns, 1 worker SIGKILL: figures read from the chain’s histories',
  { timeout: 300_000 },
  async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'conversation-bench-'));
    const r = await runConversationBench({
      turns: 12,
      kills: 1,
      workers: 2,
      seed: 5,
      // About 26 events a turn (more for a killed one): a hand-over every 2–3 turns.
      handover: { historyBytes: 50_000_000, historyEvents: 70 },
      turnTimeoutMs: 120_000,
      outDir: out,
    });
    const c = r.conversation;
    const details = JSON.stringify({ lost: c.lost, runs: c.runs, kills: r.kills }, null, 2);
    assert.equal(r.kills.length, 1, details);
    assert.ok(r.kills[0]!.openModelCalls >= 1, 'the worker was killed with a model call open');
    assert.ok(r.turns[r.kills[0]!.asked - 1]!.killed);
    assert.deepEqual(c.lost, [], details);
    assert.equal(c.answered, 12);
    assert.deepEqual(
      r.turns.map((t) => t.turn),
      Array.from({ length: 12 }, (_, i) => i + 1)
    );

    // Every answer is an ask Update some run of the chain completed, exactly once.
    const answered = c.runs.flatMap((run) => run.answered);
    assert.equal(answered.length, 12);
    assert.deepEqual(new Set(answered), new Set(r.turns.map((t) => t.updateId)));
    // ~60 events a turn against a bound of 150: a hand-over every few turns, each run but the last closed by it.
    assert.ok(c.continueAsNew >= 2, details);
    assert.equal(c.continueAsNew, c.runs.length - 1);
    assert.ok(c.runs.slice(0, -1).every((run) => run.execution === 'CONTINUED_AS_NEW'));
    assert.equal(c.runs.at(-1)!.execution, 'RUNNING');
    assert.deepEqual(c.finalState, { turns: 12, recent: 10, earlier: 8, phase: 'open' });

    // The bytes: Temporal's counts summed over the runs; the events' encoded sizes agree with them.
    const total = c.runs.reduce((t, run) => t + run.historyBytes, 0);
    assert.equal(c.total.historyBytes, total);
    assert.equal(c.bytesPerTurn.chain, total / 12);
    const weighed = Object.values(c.weights).reduce((t, w) => t + w.bytes, 0);
    assert.ok(
      Math.abs(weighed - total) < 0.05 * total,
      `events weigh ${weighed} bytes, Temporal counts ${total}`
    );
    // The running run is described, then its history fetched: a workflow task may land in between.
    const weighedEvents = Object.values(c.weights).reduce((t, w) => t + w.events, 0);
    assert.ok(
      weighedEvents >= c.total.events && weighedEvents <= c.total.events + 6,
      `${weighedEvents} events weighed, Temporal counts ${c.total.events}`
    );
    assert.ok(
      c.total.storedPayloads > 0 && c.total.storedBytes > c.total.historyBytes,
      'model calls are stored'
    );
    assert.ok(r.research.historyBytes > 0 && r.research.events > 0);

    // The verdict says what the figures say.
    assert.equal(r.verdict.ok, r.verdict.failures.length === 0);
    assert.equal(
      r.verdict.failures.some((f) => f.includes('of history per turn')),
      c.bytesPerTurn.chain > MAX_BYTES_PER_TURN
    );
    const json = JSON.parse(readFileSync(path.join(out, 'conversation-bench.json'), 'utf8'));
    assert.equal(json.verdict.line, r.verdict.line);
    assert.match(
      readFileSync(path.join(out, 'conversation-bench.md'), 'utf8'),
      /## Runs of the conversation/
    );
  }
);
