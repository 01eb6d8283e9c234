import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { extractText } from 'unpdf';
import { readFile } from 'node:fs/promises';
import { packageRoot } from '../../src/common/paths.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';

const bin = path.join(packageRoot, 'bin', 'steadfast.js');
const thirdParty = path.join(packageRoot, 'test', 'fixtures', 'third-party-corpus');
const fx = testFixture({ model: true, worker: true, research: true });

/** The CLI talks to the test's Temporal and task queue; the worker runs in this process. */
function cliEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: fx.settings.address,
    STEADFAST_TASK_QUEUE: fx.settings.taskQueue,
  };
}

function cli(args: string[]) {
  return promisify(execFile)(process.execPath, [bin, ...args], {
    env: cliEnv(),
    maxBuffer: 20 * 1024 * 1024,
  });
}

/** Starts `steadfast research` and resolves its workflow id from the line it prints. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const id = waitFor(
    () => /research (?:started|re-attached to): (\S+)/.exec(stderr)?.[1],
    30_000,
    'the workflow id'
  );
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  return { child, id, exited, out: () => stdout, err: () => stderr };
}

async function pdfText(file: string): Promise<{ text: string; via: string }> {
  if (spawnSync('pdftotext', ['-v']).status === 0) {
    return { text: spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout, via: 'pdftotext' };
  }
  console.warn(
    'pdftotext is not installed (apt-get install poppler-utils): reading the PDF text with unpdf instead'
  );
  const { text } = await extractText(new Uint8Array(await readFile(file)), { mergePages: true });
  return { text, via: 'unpdf' };
}

test('--corpus with third-party Markdown + HTML: --json cites the file that holds the answer', async () => {
  const { stdout } = await cli([
    'research',
    'How do I allocate and prepare a closure with ffi_closure_alloc?',
    '--corpus',
    thirdParty,
    '--no-clarify',
    '--json',
  ]);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON object on stdout');
  const out = JSON.parse(lines[0]!);
  for (const key of [
    'workflowId',
    'status',
    'summary',
    'markdown',
    'reportPath',
    'pdfPath',
    'citations',
    'searches',
    'usage',
  ]) {
    assert.ok(key in out, `JSON has ${key}`);
  }
  assert.equal(out.status, 'COMPLETED');
  const counts = new Map<string, number>();
  for (const c of out.citations as { n: number; path: string; excerpt: string }[]) {
    assert.ok(existsSync(c.path), `cited file exists: ${c.path}`);
    assert.ok(c.path.startsWith(thirdParty), 'cites the given corpus');
    counts.set(path.basename(c.path), (counts.get(path.basename(c.path)) ?? 0) + 1);
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  assert.equal(top?.[0], 'The-Closure-API.html', `most cited: ${JSON.stringify([...counts])}`);
  const { text } = await pdfText(out.pdfPath);
  const words = (out.summary as string)
    .replace(/\[\d+\]/g, ' ')
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]{5,}$/.test(w))
    .slice(0, 8);
  const flat = text.replace(/\s+/g, ' ');
  assert.ok(
    words.length >= 3 && words.every((w) => flat.includes(w)),
    `the PDF shows the summary (${words.join(' ')})`
  );
});

test('a waiting CLI finishes after `steadfast answer` from another process', async () => {
  const run = startCli(['research', 'How do I add human approval to a durable agent?', '--json']);
  const workflowId = await run.id;
  const waiting = await waitFor(
    async () => {
      const s = await fx.research.status(workflowId);
      return s.clarification === 'pending' ? s : undefined;
    },
    60_000,
    'questions'
  );
  assert.ok(waiting.questions.length >= 2 && waiting.questions.length <= 4);
  const { stdout } = await cli(['answer', workflowId, ...waiting.questions.map((_, i) => `answer ${i + 1}`)]);
  assert.match(stdout, /answered/);
  assert.equal(await run.exited, 0, run.err());
  const out = JSON.parse(run.out().trim());
  assert.equal(out.status, 'COMPLETED');
  assert.equal(out.workflowId, workflowId);
});

test('Ctrl-C detaches without cancelling; answer later, then `steadfast result` re-attaches', async () => {
  const run = startCli(['research', 'How do I add human approval to a durable agent?']);
  const workflowId = await run.id;
  const waiting = await waitFor(
    async () => {
      const s = await fx.research.status(workflowId);
      return s.clarification === 'pending' ? s : undefined;
    },
    60_000,
    'questions'
  );
  run.child.kill('SIGINT');
  assert.equal(await run.exited, 0);
  assert.match(run.err(), /detached/);
  assert.equal((await fx.research.status(workflowId)).execution, 'RUNNING', 'detaching does not cancel');
  // Wrong count is refused with the questions listed; the run keeps waiting.
  await assert.rejects(cli(['answer', workflowId, 'just one']), (err: { stderr: string; code: number }) => {
    assert.equal(err.code, 2);
    assert.match(err.stderr, /expected \d answers/);
    assert.match(err.stderr, /fix: send \d answers/);
    return true;
  });
  await cli(['answer', workflowId, ...waiting.questions.map(() => 'no preference')]);
  const { stdout } = await cli(['result', workflowId, '--json']);
  const out = JSON.parse(stdout.trim());
  assert.equal(out.status, 'COMPLETED');
  assert.ok(out.citations.length > 0);
  const status = await cli(['status', workflowId]);
  assert.match(status.stdout, /COMPLETED · phase completed/);
});

test('user errors are one clear line and exit 2, no stack trace', async () => {
  await assert.rejects(
    cli(['status', 'research-does-not-exist']),
    (err: { stderr: string; code: number }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /no research run with id research-does-not-exist/);
      assert.doesNotMatch(err.stderr, /\n\s+at /);
      return true;
    }
  );
  await assert.rejects(
    cli(['research', 'What is a closure?', '--corpus', '/nonexistent/folder', '--no-clarify', '--json']),
    (err: { stdout: string; code: number }) => {
      assert.equal(err.code, 1);
      const out = JSON.parse(err.stdout.trim());
      assert.equal(out.status, 'FAILED');
      assert.match(out.error, /nonexistent/);
      return true;
    }
  ); // Two folders: the second would silently replace the first; refused before anything starts.
  await assert.rejects(
    cli(['research', 'What is a closure?', '--corpus', '/tmp/a', '--corpus', '/tmp/b', '--no-clarify']),
    (err: { stderr: string; code: number }) => {
      assert.notEqual(err.code, 0);
      assert.match(err.stderr, /a run searches one folder, and both \/tmp\/a and \/tmp\/b were given/);
      assert.doesNotMatch(err.stderr, /\n\s+at /);
      return true;
    }
  );
});

test('--answers FILE answers the questions without a prompt; a wrong count is refused and the run keeps waiting', async () => {
  // Learn how many questions this question gets (the offline model is deterministic).
  const probe = startCli(['research', 'How do I add human approval to a durable agent?', '--no-wait']);
  const probeId = await probe.id;
  const waiting = await waitFor(
    async () => {
      const s = await fx.research.status(probeId);
      return s.clarification === 'pending' ? s : undefined;
    },
    60_000,
    'questions'
  );
  await fx.research.cancel(probeId);

  const wrong = path.join(fx.dir, 'wrong.txt');
  writeFileSync(wrong, 'only one answer\n');
  await assert.rejects(
    cli(['research', 'How do I add human approval to a durable agent?', '--answers', wrong, '--json']),
    (err: { stderr: string; code: number }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, new RegExp(`expected ${waiting.questions.length} answers`));
      return true;
    }
  );

  const right = path.join(fx.dir, 'answers.json');
  writeFileSync(right, JSON.stringify(waiting.questions.map((_, i) => `file answer ${i + 1}`)));
  const { stdout } = await cli([
    'research',
    'How do I add human approval to a durable agent?',
    '--answers',
    right,
    '--json',
  ]);
  const out = JSON.parse(stdout.trim());
  assert.equal(out.status, 'COMPLETED');
  const final = await fx.research.status(out.workflowId);
  assert.deepEqual(
    final.answers,
    waiting.questions.map((_, i) => `file answer ${i + 1}`)
  );
});
