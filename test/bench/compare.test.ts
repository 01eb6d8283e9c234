import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import { afterCompletedCalls, faultCall, outageAfter } from '../../bench/compare/progress.js';
import { timeLostMs } from '../../bench/compare/report.js';
import type { Outcome } from '../../bench/compare/run.js';
import { accountTokens } from '../../bench/compare/tokens.js';
import type { RequestLogEntry } from '../../src/model-server/request-log.js';
import { startModelServer } from '../../src/model-server/server.js';

let seq = 0;
const call = (
  hash: string,
  outcome: RequestLogEntry['outcome'],
  inputTokens = 100,
  outputTokens = 10
): RequestLogEntry => ({
  ts: '2030-01-01T00:00:00.000Z',
  seq: ++seq,
  method: 'POST',
  path: '/v1/responses',
  hash,
  model: 'm',
  stream: false,
  status: outcome === 'completed' ? 200 : 0,
  fault: outcome === 'fault' ? 'reset' : null,
  outcome,
  durationMs: 1,
  kind: 'json',
  tool: null,
  inputTokens: outcome === 'completed' ? inputTokens : 0,
  outputTokens: outcome === 'completed' ? outputTokens : 0,
});

test('fault point: a crash lands after 1..calls completed calls, an outage after 0..calls-1', () => {
  assert.equal(faultCall('crash', 0.5, 14), 7);
  assert.equal(faultCall('crash', 0.3, 1), 1, 'one call: the crash comes right after it');
  assert.equal(faultCall('crash', 0.01, 14), 1);
  assert.equal(faultCall('crash', 0.99, 14), 14);
  assert.equal(faultCall('outage', 0.5, 14), 7);
  assert.equal(faultCall('outage', 0.7, 1), 0, 'one call: the endpoint is already down when it is made');
  assert.equal(faultCall('outage', 0.99, 14), 13, 'at least one call left for the outage to hit');
});

test('token accounting: a plain restart discards the first attempt; the durable run pays only for repeats', () => {
  seq = 0;
  // Attempt 1 completed a and b, then was killed with c open; attempt 2 (from seq 4) did a, b, c.
  const plain = [
    call('a', 'completed'),
    call('b', 'completed', 200, 20),
    call('c', 'aborted'),
    call('a', 'completed'),
    call('b', 'completed', 200, 20),
    call('c', 'completed'),
  ];
  const p = accountTokens(plain, 4);
  assert.deepEqual(p, { billed: 110 + 220 + 110 + 220 + 110, useful: 440, wasted: 330, repeated: 330 });
  seq = 0;
  // Durable: a completed, the worker died before Temporal recorded it, the retry completed a again; b faulted then completed.
  const durable = [
    call('a', 'completed'),
    call('a', 'completed'),
    call('b', 'fault'),
    call('b', 'completed'),
  ];
  assert.deepEqual(accountTokens(durable), { billed: 330, useful: 220, wasted: 110, repeated: 110 });
  assert.deepEqual(accountTokens([]), { billed: 0, useful: 0, wasted: 0, repeated: 0 });
});

test('time lost is wall − median baseline, never negative', () => {
  const o = { wallMs: 5000 } as Outcome;
  assert.equal(timeLostMs(o, 3500), 1500);
  assert.equal(timeLostMs(o, 5200), 0);
});

test('progress triggers: fire when the Nth call completes; an outage resets calls for its window, counted from the first call it hits', async () => {
  const model = await startModelServer({ port: 0 });
  try {
    const client = new OpenAI({ baseURL: model.baseURL, apiKey: 'offline', maxRetries: 0 });
    const ask = (i: number) => client.responses.create({ model: 'm', input: `question ${i} about retries` });
    let firedAfter = -1;
    afterCompletedCalls(model, 2, () => (firedAfter = model.stats().completed));
    let now = 0;
    afterCompletedCalls(model, 0, () => (now = 1));
    assert.equal(now, 1, 'N = 0 fires at once');
    const outage = outageAfter(model, 3, 300);
    for (let i = 0; i < 3; i++) await ask(i);
    assert.equal(firedAfter, 2);
    assert.equal(outage.window.startedAt, undefined, 'down, but no request has found it down yet');
    await new Promise((r) => setTimeout(r, 400));
    const t0 = Date.now();
    await assert.rejects(ask(4));
    await assert.rejects(ask(5));
    await new Promise((r) => setTimeout(r, Math.max(0, 300 - (Date.now() - t0)) + 50));
    await ask(6);
    assert.equal(outage.window.resets, 2);
    assert.ok(outage.window.endedAt! - outage.window.startedAt! >= 290);
    assert.equal(model.settings().faults.rateReset, 0);
    outage.cancel();
  } finally {
    await model.close();
  }
});
