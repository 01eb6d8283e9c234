import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { ModelProvider } from '@openai/agents-core';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { noModels } from '../common/no-models.js';
import { steadfastDataConverter } from '../common/data-converter.js';
import { createModelProvider, offlineEndpoint } from '../worker/model-provider.js';
import { startModelServer, type ModelServerHandle } from '../model-server/server.js';
import { packageRoot } from '../common/paths.js';
import { freePort } from '../common/ports.js';
import { ensureDevServer, type DevServerHandle } from '../dev-server/dev-server.js';
import { resolveTemporalSettings, type TemporalSettings } from '../common/temporal-settings.js';
import { createWorker } from '../worker/worker.js';

/**
 * The test kit: one real Temporal dev server per test run (started by test/run.ts, which exports
 * TEMPORAL_ADDRESS to every test file), a real offline model server per test, and real workers.
 * A test file run on its own starts a dev server for itself through the same bootstrap.
 */
export interface TestTemporal {
  settings: TemporalSettings;
  client: Client;
  close(): Promise<void>;
}

let ownServer: Promise<DevServerHandle> | undefined;
let openCount = 0;

export async function testTemporal(): Promise<TestTemporal> {
  if (!process.env.STEADFAST_DATA_DIR)
    process.env.STEADFAST_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'steadfast-test-'));
  if (!process.env.TEMPORAL_ADDRESS) {
    ownServer ??= (async () =>
      ensureDevServer({
        dataDir: process.env.STEADFAST_DATA_DIR!,
        host: '127.0.0.1',
        port: await freePort(),
        uiPort: await freePort(),
        detached: false,
      }))();
    const server = await ownServer;
    process.env.TEMPORAL_ADDRESS = server.address;
  }
  // Each test file gets its own task queue so workers of concurrent files never share work.
  const settings = resolveTemporalSettings({ taskQueue: `test-${randomUUID().slice(0, 8)}` });
  const connection = await Connection.connect({ address: settings.address });
  openCount++;
  const client = new Client({
    connection,
    namespace: settings.namespace,
    plugins: [new OpenAIAgentsPlugin({ modelProvider: noModels })],
    dataConverter: steadfastDataConverter(),
  });
  return {
    settings,
    client,
    async close() {
      await connection.close();
      // A dev server this file started for itself stops with the last user, so the process can exit.
      if (--openCount === 0 && ownServer) {
        const server = await ownServer;
        ownServer = undefined;
        delete process.env.TEMPORAL_ADDRESS;
        await server.stop();
      }
    },
  };
}

/** Starts an in-process worker on the test's task queue; returns a stop function. */
export async function startTestWorker(
  t: TestTemporal,
  options: {
    modelProvider?: ModelProvider;
    modelServer?: ModelServerHandle;
    activities?: Record<string, (...args: any[]) => Promise<unknown>>;
  }
): Promise<{ stop(): Promise<void> }> {
  const modelProvider =
    options.modelProvider ?? createModelProvider(offlineEndpoint(options.modelServer!.baseURL));
  const { worker, connection } = await createWorker({
    settings: t.settings,
    modelProvider,
    activities: options.activities,
  });
  const running = worker.run();
  return {
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

export async function testModelServer(
  options: Parameters<typeof startModelServer>[0] = {}
): Promise<ModelServerHandle> {
  return startModelServer({ port: 0, ...options });
}

/** A `steadfast worker` child process; `ready` resolves once it polls its task queue. */
export type WorkerProcess = ChildProcess & {
  ready: Promise<void>;
  output(): string;
  /**
   * Sends `signal` unless the process has exited, and resolves once it has; a process that ignores
   * the signal for `graceMs` (a graceful shutdown waits for running activities) is killed.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
};

/** A `steadfast worker` child process on the test's task queue, for crash tests. */
export function spawnWorkerProcess(
  t: TestTemporal,
  env: Record<string, string>,
  args: string[] = []
): WorkerProcess {
  const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'steadfast.js'), 'worker', ...args], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: t.settings.address,
      TEMPORAL_NAMESPACE: t.settings.namespace,
      STEADFAST_TASK_QUEUE: t.settings.taskQueue,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as WorkerProcess;
  let output = '';
  child.output = () => output;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.ready = new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('polling task queue')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`worker exited (${code}) before it was ready:\n${output}`))
    );
  });
  child.stop = async (signal = 'SIGTERM', graceMs = 20_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        exited,
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, graceMs);
        }),
      ]).finally(() => clearTimeout(timer)); // a pending timer would keep the test process alive
      await exited;
    }
    // Pipes left open would keep the test process alive.
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  return child;
}

/** Polls until `check` returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  what = 'condition'
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
