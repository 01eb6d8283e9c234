/**
 * `steadfast worker` as a child process: the production shape that crash harnesses SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/common/paths.js';

/** Longer than the worker's own shutdown grace (10 s), so a graceful stop is never cut short. */
const STOP_GRACE_MS = 15_000;

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** The identity Temporal records for this worker's activity completions. */
  identity: string;
  /** Resolves when the worker polls its task queue; rejects (with its output) if it exits first. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  output(): string;
  /** Sends `signal` now, in this tick (if the process is alive); resolves when it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (the worker finishes what it can), then SIGKILL if it is still alive after the grace. */
  stop(): Promise<void>;
}

export interface WorkerSpawnOptions {
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

export function spawnWorker(env: WorkerSpawnOptions): WorkerProcess {
  const child = spawn(
    process.execPath,
    env.args ?? [path.join(packageRoot, 'bin', 'steadfast.js'), 'worker'],
    {
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
    }
  );
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out = (out + chunk.toString()).slice(-20_000);
      if (out.includes('polling task queue')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`worker exited (${code}) before it was ready:\n${out.slice(-2000)}`))
    );
  });
  ready.catch(() => undefined);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (alive()) child.kill(signal);
    await exited;
  };
  return {
    child,
    pid: child.pid!,
    identity: `steadfast-worker@${child.pid}`,
    ready,
    exited,
    output: () => out,
    kill,
    async stop() {
      const deadline = setTimeout(() => alive() && child.kill('SIGKILL'), STOP_GRACE_MS);
      try {
        await kill('SIGTERM');
      } finally {
        clearTimeout(deadline);
      }
    },
  };
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
