/**
 * The production shape every harness (bench, compare, chaos) runs against, started in one place:
 * a Temporal dev server on its own data dir and free ports, the workflow bundle and the corpus
 * index ready, offline model servers, `steadfast worker` child processes and a client. `close()`
 * tears it all down in order — workers, model servers, client, dev server — whatever failed before.
 *
 * One harness per process at a time: in-process code (corpus, plain agents) finds the data dir
 * through STEADFAST_DATA_DIR, which the harness sets until it closes.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { prepareCorpus } from '../../src/activities/corpus.js';
import { steadfastDataConverter } from '../../src/common/data-converter.js';
import { readRequestLog, type RequestLogEntry } from '../../src/model-server/request-log.js';
import { startModelServer, type ModelServerHandle } from '../../src/model-server/server.js';
import { workflowBundle } from '../../src/worker/bundle.js';
import { startDevServer, type DevServer } from './dev-server.js';
import { spawnWorker, type WorkerProcess, type WorkerSpawnOptions } from './worker-process.js';

export type ModelOptions = NonNullable<Parameters<typeof startModelServer>[0]>;

/** What a worker process gets besides the harness's address and data dir. */
export type WorkerOptions = Omit<WorkerSpawnOptions, 'address' | 'dataDir' | 'taskQueue' | 'modelBaseURL'> & {
  /** Default: the harness's task queue. */
  taskQueue?: string;
};

export interface SlotId {
  /** 0-based. */
  index: number;
  /** 1 for the slot's first worker process, +1 at each replace(). */
  generation: number;
  /** e.g. "w1#3": slot 1, third process in that slot. */
  name: string;
}

/** A worker process with its own offline model server, so each model request belongs to one process. */
export interface WorkerSlot extends SlotId {
  readonly worker: WorkerProcess;
  readonly model: ModelServerHandle;
  /** This generation's request log (with `requestLogs`). */
  readonly logFile?: string;
  /**
   * The next generation: SIGKILLs the worker (if alive), closes its model server, starts a fresh
   * pair; resolves once the new worker polls, with the ms from the old pair gone to that moment.
   */
  replace(): Promise<number>;
  /** This generation's request log entries (empty without `requestLogs`). */
  requestLog(): Promise<RequestLogEntry[]>;
}

export interface HarnessOptions {
  /** Names the temp data dir (steadfast-<name>-…), the task queue (<name>-<startedAt>) and log lines. */
  name: string;
  /** Default: a new temp dir. */
  dataDir?: string;
  /** Worker slots started before the harness is returned. Default 0. */
  workers?: number;
  /** Options of each slot's model server (seed, faults, latency…). */
  model?: (slot: SlotId) => ModelOptions;
  /** Options of each slot's worker process (tool faults, arguments…). */
  worker?: (slot: SlotId) => WorkerOptions;
  /** Give each slot generation its own JSONL request log under <dataDir>/<name>-logs/<startedAt>/. */
  requestLogs?: boolean;
  /** Called right after a slot's worker process is spawned, before it polls. */
  onSpawn?: (slot: WorkerSlot) => void;
  /** Progress lines of the start-up; without it the start-up is silent. */
  log?: (line: string) => void;
}

export interface Harness {
  readonly name: string;
  readonly dataDir: string;
  readonly taskQueue: string;
  /** ms since epoch when the start-up began. */
  readonly startedAt: number;
  readonly server: DevServer;
  readonly client: Client;
  /** The prebuilt workflow bundle, in the cache the worker processes read. */
  readonly bundlePath: string;
  readonly slots: readonly WorkerSlot[];
  /** An offline model server that close() stops if it is still open. */
  modelServer(options?: ModelOptions): Promise<ModelServerHandle>;
  /** A `steadfast worker` process on this dev server that close() stops if it is still alive. */
  spawnWorker(options: WorkerOptions & { modelBaseURL: string }): WorkerProcess;
  /** Stops every worker (SIGTERM, then SIGKILL) and closes every model server: request logs are then complete. */
  stopWorkers(): Promise<void>;
  /** Workers, model servers, client connection, dev server, in that order, each even if one before failed. */
  close(): Promise<void>;
}

class Slot implements WorkerSlot {
  generation = 0;
  worker!: WorkerProcess;
  model!: ModelServerHandle;
  logFile?: string;

  constructor(
    readonly index: number,
    private readonly start: (slot: Slot) => Promise<void>
  ) {}

  get name(): string {
    return `w${this.index + 1}#${this.generation}`;
  }

  async replace(): Promise<number> {
    await this.worker.kill('SIGKILL');
    await this.model.close();
    const t0 = Date.now();
    await this.start(this);
    return Date.now() - t0;
  }

  async requestLog(): Promise<RequestLogEntry[]> {
    return this.logFile ? readRequestLog(this.logFile) : [];
  }
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const { name } = options;
  const log = options.log ?? (() => {});
  const startedAt = Date.now();
  const since = () => Date.now() - startedAt;
  const dataDir = options.dataDir
    ? path.resolve(options.dataDir)
    : mkdtempSync(path.join(os.tmpdir(), `steadfast-${name}-`));
  mkdirSync(dataDir, { recursive: true });
  const previousDataDir = process.env.STEADFAST_DATA_DIR;
  process.env.STEADFAST_DATA_DIR = dataDir;
  const taskQueue = `${name}-${startedAt}`;

  const workers = new Set<WorkerProcess>();
  const models = new Set<ModelServerHandle>();
  let devServer: Awaited<ReturnType<typeof startDevServer>> | undefined;
  let connection: Connection | undefined;
  let closing: Promise<void> | undefined;
  const open = () => {
    if (closing) throw new Error(`the ${name} harness is closed`);
  };

  const modelServer = async (opts: ModelOptions = {}): Promise<ModelServerHandle> => {
    open();
    const model = await startModelServer({ port: 0, ...opts });
    // Closing twice (by its user, then by close()) must be harmless.
    const closeOnce = model.close.bind(model);
    let closed: Promise<void> | undefined;
    model.close = () => (closed ??= closeOnce().finally(() => models.delete(model)));
    models.add(model);
    return model;
  };
  const spawn = (opts: WorkerOptions & { modelBaseURL: string }): WorkerProcess => {
    open();
    const worker = spawnWorker({ address: devServer!.address, dataDir, taskQueue, ...opts });
    workers.add(worker);
    void worker.exited.then(() => workers.delete(worker));
    return worker;
  };
  const stopWorkers = async (): Promise<void> => {
    const stopped = await Promise.allSettled([...workers].map((w) => w.stop()));
    const closed = await Promise.allSettled([...models].map((m) => m.close()));
    const failed = [...stopped, ...closed].filter((r) => r.status === 'rejected');
    if (failed.length)
      throw new AggregateError(
        failed.map((r) => r.reason),
        'stopping workers failed'
      );
  };
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const errors: Error[] = [];
      const step = async (what: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (err) {
          errors.push(new Error(`${what}: ${(err as Error).message}`, { cause: err }));
        }
      };
      await step('stop workers and model servers', stopWorkers);
      await step('close the client connection', async () => connection?.close());
      await step('stop the Temporal dev server', async () => devServer?.stop());
      if (previousDataDir === undefined) delete process.env.STEADFAST_DATA_DIR;
      else process.env.STEADFAST_DATA_DIR = previousDataDir;
      if (errors.length) {
        throw new AggregateError(
          errors,
          `${name} harness teardown: ${errors.map((e) => e.message).join('; ')}`
        );
      }
    })());

  try {
    log(`${name}: data dir ${dataDir}`);
    devServer = await startDevServer(dataDir, log);
    const server = devServer;
    log(`${name}: Temporal dev server ${server.address} (UI ${server.uiUrl})`);
    // Built into the shared cache the worker processes read, so each of them starts in a second.
    const { codePath: bundlePath } = await workflowBundle();
    await prepareCorpus({});
    log(`${name}: workflow bundle and corpus index ready (${since()} ms)`);

    const logDir = path.join(dataDir, `${name}-logs`, String(startedAt));
    const startSlot = async (slot: Slot): Promise<void> => {
      slot.generation++;
      slot.logFile = options.requestLogs
        ? path.join(logDir, `${slot.name.replace('#', '-')}.jsonl`)
        : undefined;
      slot.model = await modelServer({
        ...options.model?.(slot),
        ...(slot.logFile ? { logFile: slot.logFile } : {}),
      });
      slot.worker = spawn({ ...options.worker?.(slot), modelBaseURL: slot.model.baseURL });
      options.onSpawn?.(slot);
      await slot.worker.ready;
    };
    const slots = Array.from({ length: options.workers ?? 0 }, (_, i) => new Slot(i, startSlot));
    // All settle before a failure is thrown, so no slot spawns a worker after the teardown.
    const started = await Promise.allSettled(slots.map(startSlot));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (slots.length) log(`${name}: ${slots.length} workers polling "${taskQueue}" (${since()} ms)`);

    connection = await Connection.connect({ address: server.address });
    // Read after STEADFAST_DATA_DIR points at the harness's data dir: the workers' payload store.
    const client = new Client({ connection, namespace: 'default', dataConverter: steadfastDataConverter() });
    return {
      name,
      dataDir,
      taskQueue,
      startedAt,
      server,
      client,
      bundlePath,
      slots,
      modelServer,
      spawnWorker: spawn,
      stopWorkers,
      close,
    };
  } catch (err) {
    await close().catch((teardown: Error) => report(options, teardown));
    throw err;
  }
}

/** Runs `body` on a started harness and closes it whatever happens; the body's error wins over a teardown error. */
export async function withHarness<T>(options: HarnessOptions, body: (h: Harness) => Promise<T>): Promise<T> {
  const h = await startHarness(options);
  let result: T;
  try {
    result = await body(h);
  } catch (err) {
    await h.close().catch((teardown: Error) => report(options, teardown));
    throw err;
  }
  await h.close();
  return result;
}

/** A teardown that fails after another failure: said, not thrown, so it does not hide the first. */
function report(options: HarnessOptions, teardown: Error): void {
  const line = `${options.name}: ${teardown.message}`;
  if (options.log) options.log(line);
  else process.stderr.write(`${line}\n`);
}
