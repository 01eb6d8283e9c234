import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { UserError } from '../common/errors.js';
import { dataDir } from '../common/paths.js';
import { noTemporalBinaryError, resolveTemporalBinary, type TemporalBinary } from './binary.js';

export interface DevServerOptions {
  /** Holds temporal.db (the persistent SQLite store), temporal-server.log and temporal-server.pid. */
  dataDir: string;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Frontend gRPC port; default 7233. */
  port?: number;
  /** Web UI port; default port + 1000. */
  uiPort?: number;
  /** Namespace to create (or check) on the server; default 'default'. */
  namespace?: string;
  /** Start in the background so the server outlives this process (not possible with the SDK download). */
  detached?: boolean;
  /** How long to wait for a started server to become healthy; default 60 s. */
  startTimeoutMs?: number;
  /** Progress lines for the user. */
  log?: (line: string) => void;
}

export interface DevServerHandle {
  /** gRPC address, host:port. */
  address: string;
  uiUrl: string;
  namespace: string;
  /** True when a server was already listening; stop() then leaves it alone. */
  reused: boolean;
  /** The CLI that was started (absent when reused). */
  binary?: TemporalBinary;
  /** Path of the SQLite store (absent when reused). */
  dbFile?: string;
  pid?: number;
  stop(): Promise<void>;
}

/** Content of <dataDir>/temporal-server.pid. */
export interface DevServerPidFile {
  pid: number;
  address: string;
  uiUrl: string;
  dbFile?: string;
  detached?: boolean;
  startedAt?: string;
}

const PID_FILE = 'temporal-server.pid';
const LOG_FILE = 'temporal-server.log';
const DB_FILE = 'temporal.db';
const STOP_GRACE_MS = 10_000;
const GRPC_NOT_FOUND = 5;

/** STEADFAST_DATA_DIR, or .steadfast in the current directory (see src/paths.ts). */
export const defaultDataDir = dataDir;

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function parseAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i <= 0)
    throw new UserError(`invalid Temporal address "${address}"`, 'use host:port, e.g. 127.0.0.1:7233');
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new UserError(
      `invalid port in Temporal address "${address}"`,
      'use host:port, e.g. 127.0.0.1:7233'
    );
  return { host, port };
}

/** True when something accepts TCP connections on host:port. */
function isPortOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * Runs fn against a short-lived client connection that is always closed afterwards. gRPC's own
 * deadline timers do not keep Node alive, so a referenced timer enforces the timeout too —
 * otherwise a CLI with nothing else pending could exit in the middle of the check.
 */
async function withConnection<T>(
  address: string,
  timeoutMs: number,
  fn: (conn: Connection) => Promise<T>
): Promise<T> {
  // No retry interceptor: a probe is one attempt, and its retries would outlive the closed channel.
  const conn = Connection.lazy({ address, connectTimeout: timeoutMs, interceptors: [] });
  const timer = new AbortController();
  const timeout = sleep(timeoutMs + 250, undefined, { signal: timer.signal }).then(() => {
    throw new Error(`no answer from ${address} within ${timeoutMs} ms`);
  });
  timeout.catch(() => {});
  try {
    return await Promise.race([conn.withDeadline(Date.now() + timeoutMs, () => fn(conn)), timeout]);
  } finally {
    timer.abort();
    await conn.close().catch(() => {});
  }
}

/** True when a Temporal frontend answers GetSystemInfo on address (host:port) within timeoutMs. */
export async function isTemporalListening(address: string, timeoutMs = 2000): Promise<boolean> {
  const { host, port } = parseAddress(address);
  if (!(await isPortOpen(host, port, timeoutMs))) return false;
  try {
    const info = await withConnection(address, timeoutMs, (conn) => conn.workflowService.getSystemInfo({}));
    return info != null;
  } catch {
    return false;
  }
}

/** Makes sure the namespace exists on the server, registering it when missing. */
async function ensureNamespace(
  address: string,
  namespace: string,
  log: (line: string) => void
): Promise<void> {
  const describe = () =>
    withConnection(address, 5000, (conn) => conn.workflowService.describeNamespace({ namespace })).then(
      () => true,
      (err: { code?: number }) => {
        if (err?.code === GRPC_NOT_FOUND) return false;
        throw err;
      }
    );
  if (await describe()) return;
  log(`registering namespace "${namespace}" on ${address}`);
  await withConnection(address, 5000, (conn) =>
    conn.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') })
  ).catch((err: { code?: number }) => {
    if (err?.code !== 6 /* ALREADY_EXISTS */) throw err;
  });
  const deadline = Date.now() + 15_000;
  while (!(await describe())) {
    if (Date.now() > deadline)
      throw new UserError(`namespace "${namespace}" did not become available on ${address}`);
    await sleep(250);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Guard against pid reuse (and count zombies as dead) where /proc tells us the command line.
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('start-dev');
  } catch {
    return true;
  }
}

function readPidFile(dataDir: string): DevServerPidFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, PID_FILE), 'utf8')) as DevServerPidFile;
    return Number.isInteger(parsed.pid) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function removePidFile(dataDir: string, pid: number): void {
  if (readPidFile(dataDir)?.pid === pid) rmSync(join(dataDir, PID_FILE), { force: true });
}

function logTail(dataDir: string, lines = 15): string {
  try {
    const text = readFileSync(join(dataDir, LOG_FILE), 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitUntilDead(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
async function terminate(pid: number, child?: ChildProcess): Promise<void> {
  const exited = child
    ? new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) done();
        else child.once('exit', () => done());
      })
    : undefined;
  const waitFor = async (ms: number): Promise<boolean> => {
    if (!exited) return waitUntilDead(pid, ms);
    const timer = new AbortController();
    const timeout = sleep(ms, false, { signal: timer.signal }).catch(() => false);
    try {
      return await Promise.race([exited.then(() => true), timeout]);
    } finally {
      timer.abort();
    }
  };
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  if (await waitFor(STOP_GRACE_MS)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitFor(5000);
}

/**
 * Stops the server recorded in <dataDir>/temporal-server.pid (started by ensureDevServer).
 * Resolves to false when no such server is running.
 */
export async function stopDetachedDevServer(dataDir: string): Promise<boolean> {
  const record = readPidFile(dataDir);
  if (!record) return false;
  if (!isAlive(record.pid)) {
    removePidFile(dataDir, record.pid);
    return false;
  }
  await terminate(record.pid);
  removePidFile(dataDir, record.pid);
  return true;
}

/** Reads the pid file of a running server in dataDir, if any. */
export function runningDevServer(dataDir: string): DevServerPidFile | undefined {
  const record = readPidFile(dataDir);
  return record && isAlive(record.pid) ? record : undefined;
}

async function waitForHealth(
  address: string,
  dataDir: string,
  timeoutMs: number,
  exited: () => string | undefined
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exit = exited();
    if (exit !== undefined)
      throw new UserError(
        `the Temporal dev server exited during startup (${exit}); last lines of ${join(dataDir, LOG_FILE)}:\n${logTail(dataDir)}`,
        'if the port is taken pick others with --port/--ui-port; if the database is damaged move temporal.db away'
      );
    if (await isTemporalListening(address, 1000)) return;
    if (Date.now() > deadline)
      throw new UserError(
        `the Temporal dev server did not become healthy on ${address} within ${Math.round(timeoutMs / 1000)} s; last lines of ${join(dataDir, LOG_FILE)}:\n${logTail(dataDir)}`,
        'check the log above; stop any stale server with `steadfast dev-server stop`'
      );
    await sleep(200);
  }
}

/**
 * Starts the local Temporal dev server (persistent SQLite store in dataDir) or reuses one already
 * listening on host:port, and waits until it answers.
 */
export async function ensureDevServer(opts: DevServerOptions): Promise<DevServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? port + 1000;
  const namespace = opts.namespace ?? 'default';
  const log = opts.log ?? (() => {});
  const dataDir = resolve(opts.dataDir);
  const address = formatAddress(host, port);
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;

  const reuse = async (): Promise<DevServerHandle> => {
    await ensureNamespace(address, namespace, log);
    const record = readPidFile(dataDir);
    const uiUrl = record?.address === address ? record.uiUrl : `http://${formatAddress(host, uiPort)}`;
    return { address, uiUrl, namespace, reused: true, stop: async () => {} };
  };

  if (await isPortOpen(host, port, 2000)) {
    if (await isTemporalListening(address, 3000)) return reuse();
    // A server we started may still be coming up (e.g. a concurrent start).
    const record = runningDevServer(dataDir);
    if (record?.address === address) {
      await waitForHealth(address, dataDir, startTimeoutMs, () => undefined);
      return reuse();
    }
    throw new UserError(
      `port ${port} on ${host} is in use by something that is not a Temporal server`,
      `stop that program, or choose another port (e.g. --port ${port + 10} / TEMPORAL_ADDRESS=${formatAddress(host, port + 10)})`
    );
  }
  const starting = runningDevServer(dataDir);
  if (starting?.address === address) {
    log(`waiting for the Temporal dev server already starting (pid ${starting.pid})`);
    await waitForHealth(address, dataDir, startTimeoutMs, () =>
      isAlive(starting.pid) ? undefined : 'process gone'
    );
    return reuse();
  }
  if (starting) {
    // Two servers must never share one SQLite store.
    throw new UserError(
      `the Temporal dev server for ${dataDir} is already running on ${starting.address} (pid ${starting.pid})`,
      `use that address, stop it with \`steadfast dev-server stop --data-dir ${dataDir}\`, or pick another data dir`
    );
  }

  const binary = await resolveTemporalBinary({ log });
  mkdirSync(dataDir, { recursive: true });
  const dbFile = join(dataDir, DB_FILE);
  const uiUrl = `http://${formatAddress(host, uiPort)}`;

  if (binary.source === 'sdk-download') {
    return startWithSdk({
      host,
      port,
      uiPort,
      namespace,
      dbFile,
      uiUrl,
      binary,
      detached: opts.detached,
      log,
    });
  }

  const args = ['server', 'start-dev', '--ip', host, '--port', String(port), '--ui-port', String(uiPort)];
  args.push('--db-filename', dbFile, '--log-level', 'error');
  if (namespace !== 'default') args.push('--namespace', namespace);

  const logPath = join(dataDir, LOG_FILE);
  appendFileSync(logPath, `--- ${new Date().toISOString()} ${binary.path} ${args.join(' ')}\n`);
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary.path, args, { stdio: ['ignore', fd, fd], detached: opts.detached ?? false });
  } finally {
    closeSync(fd);
  }
  let exitInfo: string | undefined;
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  child.once('exit', (code, signal) => (exitInfo = signal ? `signal ${signal}` : `exit code ${code}`));
  // Give a failed spawn (ENOENT/EACCES) its tick to report before relying on the pid.
  await sleep(0);
  if (spawnError || child.pid === undefined)
    throw noTemporalBinaryError(`cannot run ${binary.path}: ${spawnError?.message ?? 'spawn failed'}`);
  const pid = child.pid;

  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  if (opts.detached) child.unref();
  else process.on('exit', killOnExit);

  const record: DevServerPidFile = {
    pid,
    address,
    uiUrl,
    dbFile,
    detached: opts.detached ?? false,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(join(dataDir, PID_FILE), JSON.stringify(record, null, 2) + '\n');
  log(`starting the Temporal dev server (${binary.source}: ${binary.path}) on ${address}`);

  const stop = async () => {
    process.off('exit', killOnExit);
    await terminate(pid, child);
    removePidFile(dataDir, pid);
  };
  try {
    await waitForHealth(address, dataDir, startTimeoutMs, () => exitInfo ?? spawnError?.message);
    await ensureNamespace(address, namespace, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, uiUrl, namespace, reused: false, binary, dbFile, pid, stop };
}

async function startWithSdk(o: {
  host: string;
  port: number;
  uiPort: number;
  namespace: string;
  dbFile: string;
  uiUrl: string;
  binary: TemporalBinary;
  detached?: boolean;
  log: (line: string) => void;
}): Promise<DevServerHandle> {
  o.log(
    'no local Temporal CLI found; using the copy the Temporal SDK downloads (needs network the first time)'
  );
  if (o.detached)
    o.log(
      'note: a server started through the SDK download cannot run detached; it stops when this process exits'
    );
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  let env: Awaited<ReturnType<typeof TestWorkflowEnvironment.createLocal>>;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: o.host,
        port: o.port,
        ui: true,
        uiPort: o.uiPort,
        dbFilename: o.dbFile,
        namespace: o.namespace,
        executable: { type: 'cached-download' },
      },
    });
  } catch (err) {
    throw noTemporalBinaryError(`the SDK download/start failed: ${(err as Error).message}`);
  }
  return {
    address: env.address,
    uiUrl: o.uiUrl,
    namespace: o.namespace,
    reused: false,
    binary: o.binary,
    dbFile: o.dbFile,
    stop: () => env.teardown(),
  };
}
