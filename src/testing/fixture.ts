import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { ModelProvider } from '@openai/agents-core';
import type { Client } from '@temporalio/client';
import { ResearchClient } from '../client/research.js';
import { splitQueues, type TemporalSettings } from '../common/temporal-settings.js';
import type { ModelServerHandle, ModelServerOptions } from '../model-server/server.js';
import type { RunningServer } from '../server/serve.js';
import {
  spawnWorkerProcess,
  startTestWorker,
  testModelServer,
  testTemporal,
  type TestTemporal,
  type WorkerProcess,
} from './kit.js';

export { waitFor, type WorkerProcess } from './kit.js';

type ActivityFn = (...args: any[]) => Promise<unknown>;

export interface FixtureModelOptions extends Pick<ModelServerOptions, 'latencyMs' | 'faults'> {
  /** Log every model request as JSONL in the fixture's folder; the file is `fixture.requestLog`. */
  requestLog?: boolean;
}

export interface FixtureWorkerOptions {
  /** Activities to register instead of steadfast's own, e.g. wrapped to inject tool faults. */
  activities?: Record<string, ActivityFn>;
  /** The worker's model instead of the fixture's offline model server. */
  modelProvider?: ModelProvider;
}

export interface FixtureApiOptions {
  pollMs?: number;
  /** Serve the web UI too (built first when missing or stale). */
  web?: boolean;
}

export interface FixtureOptions {
  /** An offline model server on a free port. */
  model?: true | FixtureModelOptions;
  /** An in-process worker on the file's task queue. */
  worker?: true | FixtureWorkerOptions;
  /** A ResearchClient on the file's task queue(s). */
  research?: true;
  /** The HTTP API server on 127.0.0.1, on a free port, without a token. */
  api?: true | FixtureApiOptions;
  /**
   * Model calls and tools on queues of their own (`<queue>-models`, `<queue>-tools`), as with
   * workers split by role: runs started by `research` are routed there and `spawnWorker` processes
   * are told the queues.
   */
  roleQueues?: true;
}

/** An in-process worker on a task queue of its own, and a ResearchClient that starts runs there. */
export interface IsolatedWorker {
  taskQueue: string;
  research: ResearchClient;
  /** Stops the worker now (the fixture stops it at teardown otherwise). */
  stop(): Promise<void>;
}

export interface FixtureBase {
  client: Client;
  settings: TemporalSettings;
  /** A fresh folder for this file, removed after its tests. */
  dir: string;
  /** An id unique across concurrently running test files: `<name>-<time>-<tag>-<n>`. */
  requestId(name: string): string;
  /**
   * A `steadfast worker` process on the file's queues, pointed at the model server (`env` may
   * override); resolves once it polls. Stopped at teardown unless the test stopped it.
   */
  spawnWorker(options?: { env?: Record<string, string>; args?: string[] }): Promise<WorkerProcess>;
  isolatedWorker(options?: FixtureWorkerOptions): Promise<IsolatedWorker>;
  /** Runs `cleanup` at teardown, before what was set up earlier is closed. */
  defer(cleanup: () => unknown): void;
}

type Asked<O, K extends keyof FixtureOptions> = O extends { [P in K]: true | object } ? true : false;

/** Exactly what the options asked for, on top of what every fixture has. */
export type TestFixture<O extends FixtureOptions> = FixtureBase &
  (Asked<O, 'model'> extends true ? { model: ModelServerHandle } : unknown) &
  (O extends { model: { requestLog: true } } ? { requestLog: string } : unknown) &
  (Asked<O, 'worker'> extends true ? { worker: { stop(): Promise<void> } } : unknown) &
  (Asked<O, 'research'> extends true ? { research: ResearchClient } : unknown) &
  (Asked<O, 'api'> extends true ? { api: RunningServer } : unknown);

/** A worker whose `stop` may be called again (by the test, then by the teardown). */
function stopsOnce(worker: { stop(): Promise<void> }): { stop(): Promise<void> } {
  let stopped: Promise<void> | undefined;
  return { stop: () => (stopped ??= worker.stop()) };
}

/** A temporary folder, created now and removed after the file's tests. */
export function scratchDir(prefix = 'steadfast-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The environment of one integration test file, from a single call at its top level: registers
 * node:test `before`/`after` hooks that start what the options ask for, on the run's real Temporal
 * dev server (see kit.ts), and close it all in reverse order, whether the tests passed or not.
 *
 *   const fx = testFixture({ model: { latencyMs: 600 }, worker: true, research: true });
 *   test('…', async () => { await fx.research.start({ question, requestId: fx.requestId('x') }); });
 */
export function testFixture<const O extends FixtureOptions>(options: O = {} as O): TestFixture<O> {
  const { model: modelOption, worker: workerOption, api: apiOption } = options as FixtureOptions;
  const modelOptions = modelOption === true ? {} : modelOption;
  const workerOptions = workerOption === true ? {} : workerOption;
  if (workerOptions && !modelOptions && !workerOptions.modelProvider)
    throw new Error('testFixture: an in-process worker needs `model` or a `modelProvider` of its own');
  if (workerOptions && options.roleQueues)
    throw new Error('testFixture: with `roleQueues`, start a worker per role with `spawnWorker`');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'steadfast-test-'));
  const tag = randomBytes(2).toString('hex');
  let count = 0;
  // What is running, last started first out.
  const cleanups: { what: string; run: () => unknown }[] = [
    { what: 'the folder', run: () => rm(dir, { recursive: true, force: true }) },
  ];
  const values: Record<string, unknown> = {};
  let temporal: TestTemporal | undefined;

  const ready = (): TestTemporal => {
    if (!temporal) throw new Error('the test fixture is set up in `before`: use it in a test or a hook');
    return temporal;
  };

  const fixture: Record<string, unknown> = {
    dir,
    requestId: (name: string) => `${name}-${Date.now()}-${tag}-${count++}`,
    defer(cleanup: () => unknown) {
      cleanups.push({ what: 'a deferred cleanup', run: cleanup });
    },
    async spawnWorker(spawn: { env?: Record<string, string>; args?: string[] } = {}) {
      const t = ready();
      const model = values.model as ModelServerHandle | undefined;
      const queues = splitQueues(t.settings);
      const child = spawnWorkerProcess(
        t,
        {
          ...(model ? { OPENAI_BASE_URL: model.baseURL } : {}),
          ...(queues?.models ? { STEADFAST_MODEL_TASK_QUEUE: queues.models } : {}),
          ...(queues?.tools ? { STEADFAST_TOOL_TASK_QUEUE: queues.tools } : {}),
          ...spawn.env,
        },
        spawn.args
      );
      cleanups.push({ what: `worker process ${child.pid}`, run: () => child.stop() });
      await child.ready;
      return child;
    },
    async isolatedWorker(worker: FixtureWorkerOptions = {}): Promise<IsolatedWorker> {
      const t = ready();
      const model = values.model as ModelServerHandle | undefined;
      if (!model && !worker.modelProvider)
        throw new Error("isolatedWorker needs the fixture's `model` or a `modelProvider` of its own");
      const taskQueue = `${t.settings.taskQueue}-isolated-${count++}`;
      const settings = { ...t.settings, taskQueue, modelTaskQueue: taskQueue, toolTaskQueue: taskQueue };
      const { stop } = stopsOnce(
        await startTestWorker({ ...t, settings }, { modelServer: model, ...worker })
      );
      cleanups.push({ what: `the worker on ${taskQueue}`, run: stop });
      return { taskQueue, research: new ResearchClient({ client: t.client, taskQueue }), stop };
    },
  };
  const exposed = ['client', 'settings', 'model', 'requestLog', 'worker', 'research', 'api'];
  for (const key of exposed) {
    Object.defineProperty(fixture, key, {
      enumerable: true,
      get: () => {
        ready();
        return values[key];
      },
    });
  }

  before(async () => {
    const base = await testTemporal();
    cleanups.push({ what: 'the Temporal connection', run: () => base.close() });
    const queue = base.settings.taskQueue;
    const settings = options.roleQueues
      ? { ...base.settings, modelTaskQueue: `${queue}-models`, toolTaskQueue: `${queue}-tools` }
      : base.settings;
    const t: TestTemporal = { ...base, settings };
    Object.assign(values, { client: t.client, settings });

    let model: ModelServerHandle | undefined;
    if (modelOptions) {
      const { requestLog, ...serverOptions } = modelOptions;
      const logFile = requestLog ? path.join(dir, 'requests.jsonl') : undefined;
      model = await testModelServer({ ...serverOptions, logFile });
      cleanups.push({ what: 'the model server', run: () => model!.close() });
      Object.assign(values, { model, requestLog: logFile });
    }
    if (workerOptions) {
      const worker = stopsOnce(await startTestWorker(t, { modelServer: model, ...workerOptions }));
      cleanups.push({ what: 'the in-process worker', run: () => worker.stop() });
      values.worker = worker;
    }
    if (options.research) {
      values.research = new ResearchClient({
        client: t.client,
        taskQueue: queue,
        taskQueues: splitQueues(settings),
      });
    }
    if (apiOption) {
      const { pollMs, web } = apiOption === true ? ({} as FixtureApiOptions) : apiOption;
      // Loaded only when asked for: most test files need no HTTP server.
      const { startApiServer } = await import('../server/serve.js');
      const staticDir = web ? await (await import('../server/web-build.js')).ensureWebBuild() : undefined;
      const server = await startApiServer({
        client: t.client,
        settings,
        host: '127.0.0.1',
        port: 0,
        token: '',
        pollMs,
        staticDir,
      });
      cleanups.push({ what: 'the API server', run: () => server.close() });
      values.api = server;
    }
    temporal = t;
  });

  after(async () => {
    const errors: Error[] = [];
    for (let c = cleanups.pop(); c; c = cleanups.pop()) {
      try {
        await c.run();
      } catch (err) {
        errors.push(new Error(`closing ${c.what} failed: ${(err as Error).message}`, { cause: err }));
      }
    }
    temporal = undefined;
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'closing the test fixture failed');
  });

  return fixture as TestFixture<O>;
}
