import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runChaos } from '../../bench/chaos/run.js';

test(
  'short chaos run: 3 research runs, 1 worker SIGKILL, model and tool faults on — PASS verdict',
  { timeout: 150_000 },
  async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'chaos-short-'));
    const result = await runChaos({
      runs: 3,
      workers: 2,
      seed: 11,
      killEveryMs: 2000,
      maxKills: 1,
      modelFaultRate: 0.06,
      toolFaultRate: 0.05,
      latencyMs: 100,
      staggerMs: 1000,
      timeoutMs: 120_000,
      outDir: out,
    });
    const details = JSON.stringify(
      { runs: result.runs.map((r) => [r.workflowId, r.check.failures, r.failure]), calls: result.calls },
      null,
      2
    );
    assert.equal(result.kills.length, 1, 'one worker was killed');
    assert.equal(result.verdict.completed, 3, details);
    assert.equal(result.verdict.duplicateArtifacts, 0);
    assert.ok(result.calls.repeated <= result.calls.inFlightAtKills + result.calls.lostElsewhere, details);
    assert.ok(result.verdict.ok, details);
    assert.match(result.verdict.line, /^chaos verdict: PASS — 3\/3 runs completed, 0 duplicate artifacts/);
    assert.ok(
      result.faults.model['429'] !== undefined ||
        result.faults.model['500'] !== undefined ||
        result.faults.model.reset !== undefined ||
        result.calls.totalRequests < 30
    );
    const json = JSON.parse(readFileSync(path.join(out, 'chaos.json'), 'utf8'));
    assert.equal(json.verdict.line, result.verdict.line);
    assert.match(readFileSync(path.join(out, 'chaos.md'), 'utf8'), /chaos verdict: PASS/);
  }
);
