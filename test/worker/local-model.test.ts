// Opt-in: a research run against a real local model (llama-server + SmolLM2-135M-Instruct),
// through scripts/local-model.mjs. It installs and builds llama-server on first use (≈10 min on
// 2 cores) and the run itself takes minutes, so it runs only when asked.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/common/paths.js';

const enabled = process.env.STEADFAST_LOCAL_MODEL_TEST === '1';
const why =
  'STEADFAST_LOCAL_MODEL_TEST is not 1: the real-model run (llama-server + SmolLM2, minutes, a ' +
  '10-minute build on first use) was NOT run. Run it with ' +
  'STEADFAST_LOCAL_MODEL_TEST=1 node --import tsx test/run.ts test/worker/local-model';
if (!enabled) console.warn(`\n*** SKIPPED test/worker/local-model.test.ts: ${why}\n`);

test(
  'a research run against llama-server + SmolLM2 completes with a cited report',
  { skip: enabled ? false : why, timeout: 90 * 60_000 },
  async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      STEADFAST_TASK_QUEUE: `local-model-${randomUUID().slice(0, 8)}`,
    };
    // With the test run's Temporal (TEMPORAL_ADDRESS) the script starts a `steadfast worker` of its own.
    const args = [path.join(packageRoot, 'scripts', 'local-model.mjs')];
    if (process.env.STEADFAST_LOCAL_MODEL_PYTHON_DIR)
      args.push('--python-dir', process.env.STEADFAST_LOCAL_MODEL_PYTHON_DIR);
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    console.log(`local model run: ${JSON.stringify(summary, null, 2)}`);
    assert.equal(summary.status, 'COMPLETED', `the run ended ${summary.status}: ${summary.error}`);
    assert.equal(code, 0);
    assert.ok(summary.citations > 0, 'the report cites the corpus');
  }
);
