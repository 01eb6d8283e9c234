import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { accountCalls, type Incarnation } from '../../bench/chaos/accounting.js';
import { checkRun, markdownHasSources, pdfWellFormed } from '../../bench/chaos/checks.js';
import { chaosMarkdown, verdictOf, type ChaosResult, type RunRecord } from '../../bench/chaos/report.js';
import { KillScheduler } from '../../bench/chaos/schedule.js';
import type { RequestLogEntry } from '../../src/model-server/request-log.js';

const entry = (
  hash: string,
  outcome: RequestLogEntry['outcome'],
  ts = '2030-01-01T00:00:00.000Z',
  durationMs = 10
): RequestLogEntry => ({
  ts,
  seq: 1,
  method: 'POST',
  path: '/v1/responses',
  hash,
  model: 'm',
  stream: false,
  status: outcome === 'completed' ? 200 : 0,
  fault: null,
  outcome,
  durationMs,
  kind: 'json',
  tool: null,
  inputTokens: outcome === 'completed' ? 100 : 0,
  outputTokens: outcome === 'completed' ? 10 : 0,
});

test('kill schedule: deterministic for a seed, jitter within ±50%, every slot used, bounded by maxKills', () => {
  const opts = { seed: 7, everyMs: 2000, workers: 3 };
  const a = KillScheduler.preview(opts, 60);
  assert.deepEqual(a, KillScheduler.preview(opts, 60));
  assert.notDeepEqual(a, KillScheduler.preview({ ...opts, seed: 8 }, 60));
  assert.ok(a.every((k) => k.delayMs >= 1000 && k.delayMs <= 3000));
  assert.deepEqual(new Set(a.map((k) => k.slot)), new Set([0, 1, 2]));
  const limited = new KillScheduler({ ...opts, maxKills: 1 });
  assert.ok(limited.next());
  assert.equal(limited.next(), undefined);
  assert.throws(() => new KillScheduler({ ...opts, workers: 0 }));
});

test('call accounting: open and unacknowledged calls of killed workers bound the repeats', () => {
  // w1 was killed with one request open (x) and one completed whose result Temporal never got (b).
  const w1: Incarnation = {
    name: 'w1#1',
    identity: 'id-1',
    killedAt: 1000,
    openAtKill: 1,
    entries: [
      entry('a', 'completed'),
      entry('b', 'completed', '2030-01-01T00:00:01.000Z'),
      entry('x', 'aborted'),
    ],
  };
  // w2 served the retries of b and x; and one request that faulted first, then completed.
  const w2: Incarnation = {
    name: 'w2#1',
    identity: 'id-2',
    entries: [
      entry('b', 'completed', '2030-01-01T00:00:05.000Z'),
      entry('x', 'completed', '2030-01-01T00:00:05.000Z'),
      entry('f', 'fault'),
      entry('f', 'completed'),
    ],
  };
  const acked = new Map([
    ['id-1', 1],
    ['id-2', 3],
  ]);
  const c = accountCalls([w1, w2], acked);
  assert.equal(c.repeated, 1, 'only b completed twice (x was aborted, f faulted first)');
  assert.equal(c.repeatedExplainedByKills, 1);
  assert.equal(c.inFlightAtKills, 2, '1 open + 1 unacknowledged');
  assert.equal(c.lostElsewhere, 0);
  assert.equal(c.totalRequests, 7);
  assert.equal(c.completedCalls, 5);
  assert.ok(c.ok);
  const w1row = c.incarnations.find((i) => i.name === 'w1#1')!;
  assert.deepEqual(
    [w1row.completedAtServer, w1row.acknowledged, w1row.unacknowledged, w1row.open],
    [2, 1, 1, 1]
  );
});

test('call accounting: a repeat without a kill to explain it fails the check', () => {
  const w: Incarnation = {
    name: 'w1#1',
    identity: 'id',
    entries: [entry('a', 'completed'), entry('a', 'completed', '2030-01-01T00:00:02.000Z')],
  };
  const c = accountCalls([w], new Map([['id', 2]]));
  assert.equal(c.repeated, 1);
  assert.equal(c.inFlightAtKills, 0);
  assert.equal(c.ok, false);
});

test('run checks: artifact folder, PDF header/trailer, Sources section, recorded hashes, one render', async () => {
  assert.ok(pdfWellFormed(Buffer.from('%PDF-1.3\n...\n%%EOF\n')));
  assert.ok(!pdfWellFormed(Buffer.from('<html>')));
  assert.ok(markdownHasSources('# T\n\nclaim [1]\n\n## Sources\n\n1. x'));
  assert.ok(!markdownHasSources('# T\n\nno sources'));
  const folder = mkdtempSync(path.join(os.tmpdir(), 'chaos-check-'));
  writeFileSync(path.join(folder, 'report.pdf'), '%PDF-1.3\nbody\n%%EOF\n');
  writeFileSync(path.join(folder, 'report.md'), 'text [1]\n\n## Sources\n\n1. a\n');
  const good = await checkRun({ workflowId: 'w', execution: 'COMPLETED', folder, renders: 1 });
  assert.deepEqual(good.failures, []);
  writeFileSync(path.join(folder, '.report.pdf.123.tmp'), 'leftover');
  const bad = await checkRun({
    workflowId: 'w',
    execution: 'COMPLETED',
    folder,
    renders: 2,
    recorded: { 'report.md': 'nope' },
  });
  assert.equal(bad.extraFiles, 1);
  assert.equal(bad.renderedOnce, false);
  assert.equal(bad.matchesRecorded, false);
  assert.equal(bad.failures.length, 3);
  const missing = await checkRun({
    workflowId: 'w',
    execution: 'FAILED',
    folder: path.join(folder, 'none'),
    renders: 0,
  });
  assert.ok(missing.failures.includes('execution FAILED'));
});

test('chaos verdict and markdown: counts, PASS/FAIL, tables', () => {
  const check = {
    workflowId: 'w1',
    completed: true,
    files: ['report.md', 'report.pdf'],
    onePdf: true,
    oneMd: true,
    extraFiles: 0,
    pdfWellFormed: true,
    mdHasSources: true,
    matchesRecorded: true,
    renderedOnce: true,
    failures: [],
  };
  const runs: RunRecord[] = [
    {
      workflowId: 'w1',
      format: 'report',
      clarification: 'answered',
      answered: true,
      durationMs: 4200,
      modelCalls: 16,
      activityRetries: 2,
      check,
    },
  ];
  const calls = accountCalls([], new Map());
  const v = verdictOf(runs, calls, 3);
  assert.ok(v.ok);
  assert.match(
    v.line,
    /^chaos verdict: PASS — 1\/1 runs completed, 0 duplicate artifacts, 0 bad reports, 0 repeated model calls \(≤ 0 in flight at 3 kills: yes\)$/
  );
  const failing = verdictOf(
    [{ ...runs[0]!, check: { ...check, completed: false, failures: ['execution FAILED'] } }],
    calls,
    0
  );
  assert.ok(!failing.ok);
  assert.match(failing.line, /FAIL — 0\/1 runs completed/);
  const result: ChaosResult = {
    command: 'npx steadfast chaos',
    startedAt: new Date(0).toISOString(),
    wallMs: 1000,
    settings: {
      runs: 1,
      workers: 2,
      seed: 1,
      killEveryMs: 1000,
      modelFaultRate: 0.1,
      toolFaultRate: 0.1,
      latencyMs: 0,
      staggerMs: 0,
      restartServer: false,
    },
    kills: [{ atMs: 1500, worker: 'w1#1', pid: 9, openModelCalls: 1, unacknowledgedModelCalls: 0 }],
    runs,
    calls,
    faults: { model: { '429': 2 }, toolFaultRate: 0.1 },
    verdict: v,
  };
  const md = chaosMarkdown(result);
  assert.match(md, /^# Chaos run/);
  assert.match(md, /Generated by `npx steadfast chaos`/);
  assert.match(md, /\| w1 \| report \| answered \| 4\.2 \| 16 \| 2 \| yes \|/);
  assert.match(md, /\| 1\.5 \| w1#1 \| 9 \| 1 \| 0 \|/);
});
