import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/common/paths.js';
import { testFixture } from '../../src/testing/fixture.js';
import { completedResearch, conversationClient, lazily } from './helpers.js';

const bin = path.join(packageRoot, 'bin', 'steadfast.js');
const fx = testFixture({ model: true, worker: true, research: true });
const report = lazily(() => completedResearch(fx.research, fx.requestId('cli')));

/** The CLI talks to the test's Temporal and task queue; the worker runs in this process. */
function cliEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: fx.settings.address,
    STEADFAST_TASK_QUEUE: fx.settings.taskQueue,
  };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test('steadfast ask in a terminal prints the answer as it is written, then its sources', async () => {
  const id = await report();
  fx.model.configure({ streamDelayMs: 80 });
  try {
    // A pseudo-terminal: `script` runs the command with a tty as its stdout.
    const command = [process.execPath, bin, 'ask', id, 'How does the workflow wait for the human decision?']
      .map(quote)
      .join(' ');
    const child = spawn('script', ['-qfc', command, '/dev/null'], {
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: { at: number; text: string }[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push({ at: Date.now(), text: c.toString() }));
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    const output = chunks
      .map((c) => c.text)
      .join('')
      .replace(/\r/g, '');
    assert.equal(code, 0, output);

    const { view } = await conversationClient(fx).view(id);
    const turn = view!.recent.at(-1)!;
    // What stands on screen is the durable answer, followed by its sources.
    assert.ok(output.includes(`${turn.answer}\n`), `the answer is on screen:\n${output}`);
    assert.match(output, /\nSources:\n {2}\[1\] \//);
    // …and it arrived in pieces over time, not at once at the end.
    const opening = turn.answer.slice(0, 12);
    const firstPiece = chunks.find((c) => c.text.replace(/\r/g, '').includes(opening));
    const lastPiece = chunks.find((c) => c.text.includes('Sources:'));
    assert.ok(firstPiece && lastPiece, 'both the opening and the sources were printed');
    const piecesOfAnswer = chunks.filter((c) => c.at >= firstPiece.at && c.at < lastPiece.at).length;
    assert.ok(piecesOfAnswer >= 3, `the answer came in ${piecesOfAnswer} pieces`);
    assert.ok(
      lastPiece.at - firstPiece.at >= 1000,
      `tokens arrived over ${lastPiece.at - firstPiece.at} ms, before the answer was complete`
    );
  } finally {
    fx.model.configure({ streamDelayMs: 0 });
  }
});

test('steadfast ask --json prints one object; --close ends the conversation; bad input is a one-line error with the fix', async () => {
  const id = await report();
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [bin, 'ask', ...args], {
      env: cliEnv(),
      maxBuffer: 10 * 1024 * 1024,
    });
  const { stdout } = await run([id, 'Which timeouts does the model activity use?', '--json']);
  const out = JSON.parse(stdout);
  assert.deepEqual(Object.keys(out).sort(), [
    'answer',
    'citations',
    'conversationId',
    'historyBytes',
    'turn',
  ]);
  assert.equal(out.conversationId, `conversation-${id}`);
  assert.ok(out.turn >= 1 && out.historyBytes > 0 && out.answer.length > 0);
  for (const c of out.citations) assert.deepEqual(Object.keys(c).sort(), ['excerpt', 'n', 'path']);

  await assert.rejects(run([id, '   ']), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 2, err.stderr);
    assert.match(
      err.stderr,
      /^steadfast: cannot ask: the question is empty: ask something about the report\n {2}fix: /
    );
    return true;
  });
  const closed = await run([id, '--close']);
  assert.match(closed.stdout, new RegExp(`^conversation-${id}: closed after \\d+ answered questions\n$`));
  await assert.rejects(run([id, '--close']), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 2, err.stderr);
    assert.match(err.stderr, /no open conversation about/);
    return true;
  });
  await assert.rejects(
    run(['research-does-not-exist', 'Anything?']),
    (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2, err.stderr);
      assert.match(err.stderr, /no research run with id research-does-not-exist/);
      return true;
    }
  );
});
