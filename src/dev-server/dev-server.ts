import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../common/errors.js';
import { dataDir } from '../common/paths.js';
import { uiCodecEndpoint } from '../common/payload-codec/ui-endpoint.js';
import { noTemporalBinaryError, resolveTemporalBinary, type TemporalBinary } from './binary.js';
import { ensureNamespace, formatAddress, isPortOpen, isTemporalListening } from './probe.js';
import {
  describeStore,
  sqliteSyncFromEnv,
  storeArgs,
  tuningArgs,
  type SqliteSync,
} from './store-settings.js';
import {
  isAlive,
  LOG_FILE,
  logTail,
  PID_FILE,
  readPidFile,
  removePidFile,
  runningDevServer,
  terminate,
} from './process-files.js';

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
  /**
   * The codec endpoint the Web UI decodes payloads through (`--ui-codec-endpoint`); default from
   * STEADFAST_UI_CODEC_ENDPOINT or, with encryption configured, `steadfast serve`'s. Set when the
   * server starts: a reused server keeps its own.
   */
  uiCodecEndpoint?: string;
  /** Start in the background so the server outlives this process (not possible with the SDK download). */
  detached?: boolean;
  /** How long to wait for a started server to become healthy; default 60 s. */
  startTimeoutMs?: number;
  /** Progress lines for the user. */
  log?: (line: string) => void;
  /** How the SQLite store commits (store-settings.ts); default STEADFAST_SQLITE_SYNC, else `normal`. */
  sqliteSync?: SqliteSync;
  /** No SQLite file: state lives in the server process only (the benchmarks' reference point). */
  inMemory?: boolean;
  /**
   * Overrides of the server's dynamic config (store-settings.ts DEV_SERVER_DYNAMIC_CONFIG); `null`
   * leaves a key at the server's own default. For measuring a setting against its alternative.
   */
  dynamicConfig?: Readonly<Record<string, unknown>>;
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
  /** Path of the SQLite store (absent when reused or in memory). */
  dbFile?: string;
  /** Where the state lives and how it commits (absent when reused). */
  store?: string;
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
  /** The store and dispatch arguments it was started with (absent: started by an older version). */
  settings?: string[];
}

const DB_FILE = 'temporal.db';

function sameSettings(recorded: string[] | undefined, wanted: string[]): boolean {
  return recorded !== undefined && recorded.join('\0') === wanted.join('\0');
}

/** STEADFAST_DATA_DIR, or .steadfast in the current directory (see src/common/paths.ts). */
export const defaultDataDir = dataDir;

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
  // Read first: a bad STEADFAST_SQLITE_SYNC stops here, before anything starts.
  const sync = opts.sqliteSync ?? sqliteSyncFromEnv();
  const codecEndpoint = opts.uiCodecEndpoint ?? uiCodecEndpoint();
  const uiArgs = codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : [];

  const settings = tuningArgs(!opts.inMemory, sync, opts.dynamicConfig);
  const reuse = async (): Promise<DevServerHandle> => {
    await ensureNamespace(address, namespace, log);
    const record = readPidFile(dataDir);
    // A server left running by an earlier version keeps its settings until it restarts.
    if (record?.address === address && !sameSettings(record.settings, settings))
      log(
        `the Temporal dev server on ${address} runs with other store or dispatch settings than this version starts it with; ` +
          `restart it to use them: \`steadfast dev-server stop\` (runs and history are kept)`
      );
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
  const dbFile = opts.inMemory ? undefined : join(dataDir, DB_FILE);
  const store = describeStore(dbFile, sync);
  const uiUrl = `http://${formatAddress(host, uiPort)}`;

  if (binary.source === 'sdk-download') {
    return startWithSdk({
      host,
      port,
      uiPort,
      namespace,
      dbFile,
      sync,
      uiUrl,
      binary,
      detached: opts.detached,
      extraArgs: [...settings, ...uiArgs],
      log,
    });
  }

  const args = ['server', 'start-dev', '--ip', host, '--port', String(port), '--ui-port', String(uiPort)];
  args.push(...storeArgs(dbFile, sync, opts.dynamicConfig), '--log-level', 'error');
  if (namespace !== 'default') args.push('--namespace', namespace);
  args.push(...uiArgs);

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
    settings,
  };
  writeFileSync(join(dataDir, PID_FILE), JSON.stringify(record, null, 2) + '\n');
  log(`starting the Temporal dev server (${binary.source}: ${binary.path}) on ${address}; store: ${store}`);

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
  return { address, uiUrl, namespace, reused: false, binary, dbFile, store, pid, stop };
}

async function startWithSdk(o: {
  host: string;
  port: number;
  uiPort: number;
  namespace: string;
  dbFile: string | undefined;
  sync: SqliteSync;
  uiUrl: string;
  binary: TemporalBinary;
  detached?: boolean;
  extraArgs: string[];
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
        extraArgs: o.extraArgs,
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
    store: describeStore(o.dbFile, o.sync),
    stop: () => env.teardown(),
  };
}
