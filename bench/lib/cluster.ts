/**
 * The production shape, started by a harness: a Temporal dev server on its own data dir and
 * ports, offline model servers, and `steadfast worker` child processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { packageRoot } from '../../src/common/paths.js';
import { ensureDevServer, type DevServerHandle } from '../../src/dev-server/dev-server.js';
import { workflowBundle } from '../../src/worker/bundle.js';
import { freePort } from '../../src/common/ports.js';

export interface DevServer {
  address: string;
  uiUrl: string;
  handle: DevServerHandle;
  /** Stops and starts the server again on the same db and ports. Returns the downtime in ms. */
  restart(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a dev server on free (non-default) ports with its SQLite db in dataDir. */
export async function startDevServer(dataDir: string, log: (line: string) => void = () => {}): Promise<DevServer> {
  const port = await freePort();
  const uiPort = await freePort();
  const start = () => ensureDevServer({ dataDir, host: '127.0.0.1', port, uiPort, detached: false, log });
  let handle = await start();
  const server: DevServer = {
    address: handle.address,
    uiUrl: handle.uiUrl,
    handle,
    async restart() {
      const t0 = Date.now();
      await handle.stop();
      handle = await start();
      server.handle = handle;
      return Date.now() - t0;
    },
    stop: () => handle.stop(),
  };
  return server;
}

export async function connectClient(address: string): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace: 'default' }), connection };
}

/** Builds the workflow bundle into `<dataDir>/cache` once, so worker processes start fast. */
export async function prebuildBundle(dataDir: string): Promise<void> {
  await workflowBundle(path.join(dataDir, 'cache'));
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** The identity Temporal records for this worker's activity completions. */
  identity: string;
  ready: Promise<void>;
  exited: Promise<number | null>;
  output(): string;
}

export interface WorkerEnv {
  address: string;
  taskQueue: string;
  dataDir: string;
  modelBaseURL: string;
  toolFaultRate?: number;
  toolFaultSeed?: number;
  extra?: Record<string, string>;
  /** Node arguments; default: `bin/steadfast.js worker`. */
  args?: string[];
}

/** Spawns `steadfast worker` as a child process (the shape crash tests need). */
export function spawnWorker(env: WorkerEnv): WorkerProcess {
  const child = spawn(process.execPath, env.args ?? [path.join(packageRoot, 'bin', 'steadfast.js'), 'worker'], {
    cwd: packageRoot,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: 'default',
      STEADFAST_TASK_QUEUE: env.taskQueue,
      STEADFAST_DATA_DIR: env.dataDir,
      OPENAI_BASE_URL: env.modelBaseURL,
      OPENAI_AGENTS_DISABLE_TRACING: '1',
      STEADFAST_LOG_LEVEL: 'ERROR',
      STEADFAST_TOOL_FAULT_RATE: String(env.toolFaultRate ?? 0),
      ...(env.toolFaultSeed !== undefined ? { STEADFAST_TOOL_FAULT_SEED: String(env.toolFaultSeed) } : {}),
      ...env.extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out = (out + chunk.toString()).slice(-20_000);
      if (out.includes('polling task queue')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready:\n${out.slice(-2000)}`)));
  });
  ready.catch(() => undefined);
  return { child, pid: child.pid!, identity: `steadfast-worker@${child.pid}`, ready, exited, output: () => out };
}

/** Resident memory of a process in MiB (Linux /proc), peak (VmHWM) and current (VmRSS). */
export function processMemory(pid: number): { rssMiB: number; peakMiB: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** SIGKILLs a worker (if alive) and waits for it to be gone. */
export async function killWorker(w: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  await w.exited;
}
