import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/common/paths.js';
import { testFixture } from '../../src/testing/fixture.js';

const fx = testFixture({ model: { requestLog: true } });

test('the fixture exposes exactly what was asked for', () => {
  assert.ok(fx.model.baseURL.startsWith('http://127.0.0.1:'));
  assert.ok(fx.requestLog.startsWith(fx.dir));
  assert.notEqual(fx.requestId('x'), fx.requestId('x'));
  // @ts-expect-error no `api` was asked for
  assert.equal(fx.api, undefined);
  // @ts-expect-error no `research` was asked for
  assert.equal(fx.research, undefined);
});

/** A test file whose only test fails while everything runs; it reports what it saw to `report`. */
function failingFile(report: string): string {
  const fixture = path.join(packageRoot, 'src', 'testing', 'fixture.ts');
  return `
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { testFixture } from ${JSON.stringify(fixture)};
const report = ${JSON.stringify(report)};
const fx = testFixture({ model: true, worker: true, research: true, api: true });
let early = '';
try { void fx.client; } catch (err) { early = err.message; }
test('fails while everything runs', async () => {
  const worker = await fx.spawnWorker();
  fx.defer(async () => {
    const health = await fetch(new URL('/api/health', fx.api.url)).catch(() => undefined);
    writeFileSync(report + '.teardown', String(health?.status));
  });
  writeFileSync(report, JSON.stringify({ early, pid: worker.pid, model: fx.model.url, api: fx.api.url, dir: fx.dir }));
  throw new Error('failing on purpose');
});
`;
}

test('after a failing test everything is closed: the test process exits, worker process, servers and folder gone', async () => {
  const file = path.join(fx.dir, 'failing.test.ts');
  const report = path.join(fx.dir, 'report.json');
  writeFileSync(file, failingFile(report));
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
    cwd: packageRoot,
    // Without the runner's marker, so the child runs its file instead of reporting to this run.
    env: { ...process.env, NODE_TEST_CONTEXT: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    new Promise<number | null>((resolve) => child.once('exit', resolve)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the test process did not exit: something was left open\n${output}`));
      }, 90_000);
    }),
  ]).finally(() => clearTimeout(timer));
  assert.equal(code, 1, output);
  assert.match(output, /failing on purpose/);

  const seen = JSON.parse(readFileSync(report, 'utf8')) as {
    early: string;
    pid: number;
    model: string;
    api: string;
    dir: string;
  };
  assert.match(seen.early, /set up in `before`/, 'used before setup: a clear error');
  assert.equal(readFileSync(`${report}.teardown`, 'utf8'), '200', 'deferred cleanups run first');
  assert.throws(() => process.kill(seen.pid, 0), { code: 'ESRCH' }, 'the worker process was stopped');
  for (const url of [seen.model, seen.api]) await assert.rejects(fetch(url), `${url} is closed`);
  assert.equal(existsSync(seen.dir), false, 'the folder is removed');
});
