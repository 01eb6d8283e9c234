import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/common/paths.js';
import type { LiveStatus } from '../../src/common/research-types.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { activitiesRun, QUESTION, userFile } from './helpers.js';

const bin = path.join(packageRoot, 'bin', 'steadfast.js');
const fx = testFixture({ model: true, worker: true, research: true });

/** The CLI on the test's Temporal and task queue; the worker runs in this process. */
async function cli(args: string[], options: { fail?: boolean } = {}) {
  try {
    const out = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: fx.settings.address,
        STEADFAST_TASK_QUEUE: fx.settings.taskQueue,
      },
      cwd: fx.dir,
      maxBuffer: 20 * 1024 * 1024,
    });
    if (options.fail) assert.fail(`expected ${args.join(' ')} to fail:\n${out.stdout}${out.stderr}`);
    return { ...out, code: 0 };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    if (!options.fail || typeof e.code !== 'number') throw err;
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

async function statusJson(workflowId: string): Promise<LiveStatus> {
  return JSON.parse((await cli(['status', workflowId, '--json'])).stdout) as LiveStatus;
}

async function cliAtPhase(workflowId: string, phase: string): Promise<LiveStatus> {
  return waitFor(
    async () => {
      const s = await statusJson(workflowId);
      if (s.execution !== 'RUNNING' && s.phase !== phase) throw new Error(`ended ${s.phase}: ${s.failure}`);
      return s.phase === phase ? s : undefined;
    },
    120_000,
    phase
  );
}

test('acceptance: review the plan, approve it, review the diff, approve the write, roll it back', async () => {
  const file = userFile(fx.dir);
  const original = readFileSync(file);
  const started = await cli([
    'research',
    QUESTION,
    '--no-clarify',
    '--review-plan',
    '--format',
    'checklist',
    '--write-to',
    path.basename(file), // relative: the client resolves it against its working folder
    '--max-searches',
    '2',
    '--no-wait',
    '--json',
  ]);
  const { workflowId } = JSON.parse(started.stdout) as { workflowId: string };

  const plan = await cliAtPhase(workflowId, 'awaiting_plan_approval');
  assert.ok(plan.review!.plan!.proposed.length >= 1);
  assert.equal(plan.searches.length, 0);
  const shown = (await cli(['status', workflowId])).stdout;
  assert.match(shown, /plan review: pending/);
  assert.match(shown, new RegExp(`npx steadfast approve ${workflowId}`));

  assert.match(
    (await cli(['approve', workflowId])).stdout,
    /plan approved \(\d+ searches\) by cli:[^ ]+@[^ ]+; the searches start/
  );

  const write = await cliAtPhase(workflowId, 'awaiting_write_approval');
  assert.deepEqual(readFileSync(file), original, 'the file is untouched while its diff waits');
  assert.equal(write.review!.write!.path, file);
  const diffShown = (await cli(['status', workflowId])).stdout;
  assert.match(diffShown, /write: .*MIGRATION\.md \[pending\] \+\d+ -\d+, replaces \d+ bytes/);
  assert.match(diffShown, /^ {2}-- \[ \] an old item$/m, 'status shows the diff');

  assert.match(
    (await cli(['approve', workflowId])).stdout,
    /writeFile approved by cli:.*the file is written next/
  );
  const done = await cliAtPhase(workflowId, 'completed');
  assert.equal(done.execution, 'COMPLETED');
  const checklist = readFileSync(done.artifacts!.markdown.path, 'utf8');
  assert.match(checklist, /- \[ \] /, 'a checklist');
  assert.equal(readFileSync(file, 'utf8'), checklist, 'the file holds the checklist');

  const timeline = (await cli(['inspect', workflowId])).stdout;
  assert.match(timeline, /update approvePlan by cli:\S+@\S+/);
  assert.match(timeline, /update approveToolCall by cli:\S+@\S+/);

  const rolled = await cli(['rollback', workflowId]);
  assert.match(rolled.stdout, /rolled back: .*MIGRATION\.md restored to its previous content/);
  assert.deepEqual(readFileSync(file), original, 'the bytes equal the original');
  const after = (await cli(['status', workflowId])).stdout;
  assert.match(after, /rolled back \(restored\) by cli:/);
  assert.match((await cli(['rollback', workflowId])).stdout, /already rolled back/);
});

test('reject the plan from the CLI: the run ends rejected, with no search', async () => {
  const { stdout } = await cli([
    'research',
    QUESTION,
    '--no-clarify',
    '--review-plan',
    '--no-wait',
    '--json',
  ]);
  const { workflowId } = JSON.parse(stdout) as { workflowId: string };
  await cliAtPhase(workflowId, 'awaiting_plan_approval');
  const rejected = await cli(['reject', workflowId, '--reason', 'out of scope']);
  assert.match(rejected.stdout, /plan rejected \(no search\) by cli:\S+; the run ends as rejected/);
  const status = await waitFor(async () => {
    const s = await statusJson(workflowId);
    return s.execution !== 'RUNNING' ? s : undefined;
  });
  assert.deepEqual([status.execution, status.phase], ['COMPLETED', 'rejected']);
  assert.match((await cli(['status', workflowId])).stdout, /plan rejected — no search \(out of scope\)/);
  const result = await cli(['result', workflowId, '--json'], { fail: true });
  const out = JSON.parse(result.stdout) as { phase: string; outcome: string; rejection: { by: string } };
  assert.deepEqual([out.phase, out.outcome], ['rejected', 'rejected']);
  assert.match(out.rejection.by, /^cli:/);
  const events = (await fx.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  assert.ok(activitiesRun(events).length > 0);
  assert.ok(!activitiesRun(events).includes('searchCorpus'));
});

test('approve --plan FILE runs the file’s searches; bad input fails with one clear line', async () => {
  const { stdout } = await cli([
    'research',
    QUESTION,
    '--no-clarify',
    '--review-plan',
    '--no-wait',
    '--json',
  ]);
  const { workflowId } = JSON.parse(stdout) as { workflowId: string };
  await cliAtPhase(workflowId, 'awaiting_plan_approval');

  const bad: [string[], RegExp][] = [];
  const notJson = path.join(fx.dir, 'plan.txt');
  writeFileSync(notJson, 'retry policies\n');
  bad.push([['approve', workflowId, '--plan', notJson], /plan file .* is not valid JSON/]);
  const tooMany = path.join(fx.dir, 'nine.json');
  writeFileSync(tooMany, JSON.stringify(Array.from({ length: 9 }, (_, i) => `query ${i}`)));
  bad.push([['approve', workflowId, '--plan', tooMany], /a plan holds at most 8 searches/]);
  const short = path.join(fx.dir, 'short.json');
  writeFileSync(short, JSON.stringify(['ok query', 'x']));
  bad.push([
    ['approve', workflowId, '--plan', short],
    /search 2\.query: a query needs at least 2 characters/,
  ]);
  bad.push([['approve', workflowId, '--call', 'call_none'], /no tool call is waiting for approval/]);
  const folder = path.join(fx.dir, 'out');
  mkdirSync(folder, { recursive: true });
  bad.push([
    ['research', QUESTION, '--no-clarify', '--write-to', folder, '--no-wait'],
    /--write-to .*out is a folder/,
  ]);
  bad.push([
    ['research', QUESTION, '--write-to', path.join(fx.dir, 'no', 'such', 'x.md')],
    /the folder .* does not exist/,
  ]);
  bad.push([
    ['research', QUESTION, '--on-timeout', 'proceed'],
    /--on-timeout proceed applies to the plan review: add --review-plan/,
  ]);
  for (const [args, message] of bad) {
    const r = await cli(args, { fail: true });
    assert.equal(r.code, 2, `${args.join(' ')} exits 2: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }

  const planFile = path.join(fx.dir, 'plan.json');
  writeFileSync(
    planFile,
    JSON.stringify(['Temporal update validators', { query: 'RunState approve', reason: 'tool approval' }])
  );
  await cli(['approve', workflowId, '--plan', planFile, '--reason', 'narrower']);
  const result = await fx.research.result(workflowId);
  assert.deepEqual(
    result.searches.map((s) => s.query),
    ['Temporal update validators', 'RunState approve']
  );
  assert.equal(result.review?.decisions[0]?.reason, 'narrower');
});
