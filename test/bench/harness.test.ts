import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startHarness, withHarness } from '../../bench/lib/harness.js';
import { isTemporalListening } from '../../src/dev-server/probe.js';
import { bundleCacheDir } from '../../src/worker/bundle.js';
import { hello } from '../../src/workflows/hello.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test(
  'harness: a worker slot with its own model server and request log; replace() starts the next generation; close() leaves nothing running',
  { timeout: 120_000 },
  async () => {
    const dataDirBefore = process.env.STEADFAST_DATA_DIR;
    const h = await startHarness({ name: 'harness-test', workers: 1, requestLogs: true });
    const slot = h.slots[0]!;
    try {
      assert.equal(process.env.STEADFAST_DATA_DIR, h.dataDir);
      // Worker processes read the bundle from the shared cache: prebuilt anywhere else, it is built twice.
      assert.equal(path.dirname(h.bundlePath), bundleCacheDir());
      const ask = async () =>
        h.client.workflow.execute(hello, {
          taskQueue: h.taskQueue,
          workflowId: `harness-hello-${randomUUID()}`,
          args: [{ text: 'Plan a walk for the weekend.' }],
        });

      const first = { name: slot.name, pid: slot.worker.pid, logFile: slot.logFile, model: slot.model };
      assert.equal(first.name, 'w1#1');
      const answer = await ask();
      const completed = (await slot.requestLog()).filter((e) => e.outcome === 'completed');
      assert.ok(answer.usage.requests >= 1);
      assert.ok(
        completed.length >= answer.usage.requests,
        `every model call of the run is in the slot's request log (${completed.length} < ${answer.usage.requests})`
      );

      const restartMs = await slot.replace();
      assert.ok(restartMs >= 0);
      assert.equal(slot.name, 'w1#2');
      assert.notEqual(slot.worker.pid, first.pid);
      assert.ok(!alive(first.pid), 'the first worker process is gone');
      assert.notEqual(slot.logFile, first.logFile);
      await assert.rejects(fetch(first.model.url), 'the first model server is closed');
      await ask();
      assert.ok((await slot.requestLog()).some((e) => e.outcome === 'completed'));
    } finally {
      await h.close();
    }
    assert.ok(!alive(slot.worker.pid), 'close() stopped the worker');
    await assert.rejects(fetch(slot.model.url), 'close() closed the model server');
    assert.equal(await isTemporalListening(h.server.address, 1000), false, 'close() stopped the dev server');
    assert.equal(process.env.STEADFAST_DATA_DIR, dataDirBefore);
    await h.close(); // a second close is harmless
  }
);

test(
  'harness: a start-up that fails (a worker dies before polling) says why and tears down what it started',
  { timeout: 120_000 },
  async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'harness-fail-'));
    const lines: string[] = [];
    const models: string[] = [];
    await assert.rejects(
      startHarness({
        name: 'harness-fail',
        dataDir,
        workers: 1,
        worker: () => ({ args: ['-e', 'console.error("no worker here"); process.exit(3)'] }),
        onSpawn: (slot) => models.push(slot.model.url),
        log: (line) => lines.push(line),
      }),
      /worker exited \(3\) before it was ready:\nno worker here/
    );
    const address = /^harness-fail: Temporal dev server (\S+) /m.exec(lines.join('\n'))?.[1];
    assert.ok(address, lines.join('\n'));
    assert.equal(await isTemporalListening(address, 1000), false, 'the dev server was stopped');
    assert.equal(models.length, 1);
    await assert.rejects(fetch(models[0]!), 'the model server was closed');
  }
);

test(
  'withHarness: the body’s own error comes out unchanged, after the teardown',
  { timeout: 60_000 },
  async () => {
    const boom = new Error('boom');
    let address = '';
    await assert.rejects(
      withHarness({ name: 'harness-body' }, async (h) => {
        address = h.server.address;
        throw boom;
      }),
      (err) => err === boom
    );
    assert.ok(address);
    assert.equal(await isTemporalListening(address, 1000), false);
  }
);
