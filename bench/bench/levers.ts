/**
 * The levers of a fast durable step, each measured against its alternative in the same run: the
 * embedded store's commit mode against an in-memory dev server, the history queues' poll rates
 * against the server's defaults, and eager activity dispatch on and off. Every target is a dev
 * server with one bench worker process; the rounds alternate between targets so that load drift hits
 * them alike, and each measured round follows a 20-no-op workflow on the same target, so that it
 * measures a steady stream of steps (a rate limiter's burst after a pause would hide its limit).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { steadfastDataConverter } from '../../src/common/data-converter.js';
import { packageRoot } from '../../src/common/paths.js';
import { freePort } from '../../src/common/ports.js';
import { ensureDevServer, type DevServerHandle } from '../../src/dev-server/dev-server.js';
import { DEV_SERVER_DYNAMIC_CONFIG, type SqliteSync } from '../../src/dev-server/store-settings.js';
import type { WorkerDispatch } from '../../src/worker/worker.js';
import { workflowThreads } from '../../src/worker/workflow-threads.js';
import { benchNoopWorkflow, research } from '../../src/workflows/index.js';
import { median, ratio } from '../lib/stats.js';
import { processMemory, spawnWorker, type WorkerProcess } from '../lib/worker-process.js';
import { benchResearchInput, noopRoundTrips, type Bench } from './figures.js';

export interface LeverTarget {
  name: string;
  /** What it runs on: the store description, or the worker setting. */
  setting: string;
  noopSamples: number[];
  noopMs: number;
}

export interface Levers {
  /** No-op activity round trip per store: memory, normal (the shipped setting), full, rollback. */
  store: LeverTarget[];
  /** The shipped embedded store ÷ the in-memory dev server. */
  storeRatio: number;
  /** No-op round trip with eager dispatch (the shipped worker) and without. */
  eager: LeverTarget[];
  /** No-op round trip with the history queues' poll rates raised (shipped) and at the server's defaults. */
  pollRate: LeverTarget[];
}

interface Target {
  name: string;
  setting: string;
  exec: Bench['exec'];
  close(): Promise<void>;
  /** The target's worker process, when it has one of its own. */
  pid?: number;
}

const BENCH_WORKER = ['--import', 'tsx', path.join(packageRoot, 'bench', 'bench', 'worker.ts')];

export async function measureLevers(b: Bench, log: (line: string) => void): Promise<Levers> {
  const { h } = b;
  const targets: Target[] = [];
  try {
    // The harness's own server and worker, for the dispatch lever (measured on the same server).
    targets.push({ name: 'harness', setting: 'harness', exec: b.exec, close: async () => {} });
    // Every store on a dev server of its own, started alike, so that only the store differs (the
    // harness's server has run the figures before; its round trip is not comparable).
    for (const store of ['memory', 'normal', 'full', 'rollback'] as const)
      targets.push(await storeTarget(b, store, store));
    targets.push(await storeTarget(b, 'default poll rates', 'normal', DEFAULT_POLL_RATES));
    targets.push(
      workerTarget(
        b,
        'no eager dispatch',
        { maxEagerActivityReservationsPerWorkflowTask: 0 },
        h.server.address
      )
    );
    const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < b.repeats; round++)
      for (const t of targets) {
        await t.exec(benchNoopWorkflow, { count: 20 }); // warm-up and steady state: see above
        samples.get(t.name)!.push(...(await noopRoundTrips(t.exec, 1)));
      }
    const result = (t: Target): LeverTarget => ({
      name: t.name,
      setting: t.setting,
      noopSamples: samples.get(t.name)!,
      noopMs: median(samples.get(t.name)!),
    });
    const store = ['memory', 'normal', 'full', 'rollback'].map((n) =>
      result(targets.find((t) => t.name === n)!)
    );
    store[1]!.setting = 'SQLite file, WAL, synchronous=NORMAL (shipped)';
    const eager = [
      { ...result(targets[0]!), name: 'eager dispatch', setting: 'up to 20 per workflow task (shipped)' },
      result(targets.find((t) => t.name === 'no eager dispatch')!),
    ];
    const pollRate = [
      { ...store[1]!, name: 'raised poll rates', setting: `${SHIPPED_POLL_RATE} per second (shipped)` },
      {
        ...result(targets.find((t) => t.name === 'default poll rates')!),
        setting: 'server defaults (20 per second)',
      },
    ];
    const storeRatio = ratio(store[1]!.noopMs, store[0]!.noopMs);
    log(
      `bench: no-op round trip by store: ${store.map((s) => `${s.name} ${s.noopMs.toFixed(1)} ms`).join(', ')}; embedded ÷ in-memory ${storeRatio.toFixed(2)}×`
    );
    log(`bench: eager dispatch ${eager[0]!.noopMs.toFixed(1)} ms, without ${eager[1]!.noopMs.toFixed(1)} ms`);
    log(
      `bench: history queue poll rates raised ${pollRate[0]!.noopMs.toFixed(1)} ms, at the server's defaults ${pollRate[1]!.noopMs.toFixed(1)} ms`
    );
    return { store, storeRatio, eager, pollRate };
  } finally {
    for (const t of targets) await t.close().catch(() => {});
  }
}

/** The history queues' poll-rate keys the embedded server raises, left at the server's defaults. */
const POLL_RATE_KEYS = Object.keys(DEV_SERVER_DYNAMIC_CONFIG).filter((k) => k.endsWith('MaxPollRPS'));
const DEFAULT_POLL_RATES = Object.fromEntries(POLL_RATE_KEYS.map((k) => [k, null]));
const SHIPPED_POLL_RATE = DEV_SERVER_DYNAMIC_CONFIG[POLL_RATE_KEYS[0]!] as number;

/** A dev server with the given store and a bench worker of its own (same data dir: one payload store). */
async function storeTarget(
  b: Bench,
  name: string,
  store: 'memory' | SqliteSync,
  dynamicConfig?: Record<string, unknown>
): Promise<Target> {
  const dataDir = path.join(b.h.dataDir, `store-${name.replace(/\W+/g, '-')}`);
  mkdirSync(dataDir, { recursive: true });
  const server: DevServerHandle = await ensureDevServer({
    dataDir,
    host: '127.0.0.1',
    port: await freePort(),
    uiPort: await freePort(),
    detached: false,
    ...(store === 'memory' ? { inMemory: true } : { sqliteSync: store }),
    ...(dynamicConfig ? { dynamicConfig } : {}),
  });
  try {
    const target = workerTarget(b, name, {}, server.address);
    return {
      ...target,
      setting: server.store ?? store,
      async close() {
        await target.close();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** A bench worker on its own task queue of `address`, with dispatch overrides; runs workflows there. */
function workerTarget(b: Bench, name: string, dispatch: Partial<WorkerDispatch>, address: string): Target {
  const taskQueue = `${b.h.taskQueue}-${name.replace(/\W+/g, '-')}`;
  const worker: WorkerProcess = spawnWorker({
    address,
    taskQueue,
    dataDir: b.h.dataDir,
    modelBaseURL: b.h.slots[0]!.model.baseURL,
    args: BENCH_WORKER,
    extra: { BENCH_WORKER_DISPATCH: JSON.stringify(dispatch) },
  });
  let client: Promise<{ client: Client; connection: Connection }> | undefined;
  const connect = () =>
    (client ??= (async () => {
      await worker.ready;
      const connection = await Connection.connect({ address });
      return { client: new Client({ connection, dataConverter: steadfastDataConverter() }), connection };
    })());
  return {
    name,
    setting: JSON.stringify(dispatch),
    pid: worker.pid,
    async exec(workflow, arg) {
      const { client: c } = await connect();
      const start = performance.now();
      await c.workflow.execute(workflow, {
        taskQueue,
        workflowId: `${workflow.name}-${randomUUID()}`,
        args: [arg],
      });
      return performance.now() - start;
    },
    async close() {
      await worker.stop();
      if (client) await (await client).connection.close();
    },
  };
}

export interface ThreadSetting {
  threads: number;
  /** Median research runs per second, `runs` at once, over the measured rounds. */
  runsPerSecond: number;
  samples: number[];
  /** The worker's peak resident memory (VmHWM) at the end. */
  peakRssMiB: number;
}

/** Research throughput with the shipped workflow thread count against the other choice (1 ↔ 2). */
export interface ThreadLever {
  runs: number;
  shipped: ThreadSetting;
  other: ThreadSetting;
}

/**
 * The workflow-thread lever: the same research batch (`runs` at once, zero-latency model) on the
 * harness's worker (the shipped count for this machine) and on a second worker on the same server
 * with the other count, rounds alternating; the second worker's first batch warms it up.
 */
export async function measureThreadLever(
  b: Bench,
  runs: number,
  log: (line: string) => void
): Promise<ThreadLever> {
  const shippedThreads = workflowThreads();
  const otherThreads = shippedThreads === 1 ? 2 : 1;
  const other = workerTarget(
    b,
    `workflow threads ${otherThreads}`,
    { workflowThreadPoolSize: otherThreads },
    b.h.server.address
  );
  try {
    const batch = async (exec: Bench['exec'], tag: string) => {
      const start = performance.now();
      await Promise.all(
        Array.from({ length: runs }, (_, k) =>
          exec(research, benchResearchInput(b.h.startedAt, `threads-${tag}-${k}`))
        )
      );
      return runs / ((performance.now() - start) / 1000);
    };
    await batch(other.exec, 'warm');
    const shippedSamples: number[] = [];
    const otherSamples: number[] = [];
    for (let round = 0; round < 3; round++) {
      shippedSamples.push(await batch(b.exec, `s${round}`));
      otherSamples.push(await batch(other.exec, `o${round}`));
    }
    const setting = (threads: number, samples: number[], pid: number | undefined): ThreadSetting => ({
      threads,
      runsPerSecond: median(samples),
      samples,
      peakRssMiB: (pid !== undefined ? processMemory(pid)?.peakMiB : undefined) ?? Number.NaN,
    });
    const lever = {
      runs,
      shipped: setting(shippedThreads, shippedSamples, b.h.slots[0]!.worker.pid),
      other: setting(otherThreads, otherSamples, other.pid),
    };
    log(
      `bench: workflow threads ${lever.shipped.threads} (shipped) ${lever.shipped.runsPerSecond.toFixed(2)} research runs/s, peak RSS ${lever.shipped.peakRssMiB.toFixed(0)} MiB; ${lever.other.threads}: ${lever.other.runsPerSecond.toFixed(2)} runs/s, ${lever.other.peakRssMiB.toFixed(0)} MiB`
    );
    return lever;
  } finally {
    await other.close();
  }
}
