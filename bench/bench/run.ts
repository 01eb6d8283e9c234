/**
 * `steadfast bench`: orchestration cost of durable agents, each figure a median over repeats,
 * measured side by side in one invocation on one dev server and one offline model server.
 */
import { mkdtempSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { prepareCorpus } from '../../src/activities/corpus.js';
import { startModelServer } from '../../src/model-server/server.js';
import { packageRoot } from '../../src/common/paths.js';
import { activitiesOf } from '../../src/testing/history.js';
import { benchAgentWorkflow, benchFanoutWorkflow, benchNoopWorkflow, research } from '../../src/workflows/index.js';
import { connectClient, killWorker, prebuildBundle, processMemory, spawnWorker, startDevServer } from '../lib/cluster.js';
import { describeMachine, type MachineInfo } from '../lib/machine.js';
import { median, ratio } from '../lib/stats.js';
import { plainBenchRunner } from './plain.js';
import { ensurePythonVenv, pythonPackages, runPythonAnchor } from './python.js';

export interface BenchOptions {
  repeats?: number;
  latencies?: number[];
  researchRuns?: number;
  python?: boolean;
  docsDir?: string;
  command?: string;
  log?: (line: string) => void;
}

export interface AgentSeries {
  latencyMs: number;
  durableMs: number[];
  plainMs: number[];
  durableMedian: number;
  plainMedian: number;
  ratio: number;
  python?: { samples: number[]; median: number; ratioToOurs: number };
}

export interface BenchResult {
  command: string;
  startedAt: string;
  wallMs: number;
  machine: MachineInfo;
  pythonPackages?: string;
  pythonSkipped?: string;
  repeats: number;
  agent: AgentSeries[];
  perCall: { addedMsPerModelCall: number; noopActivityMs: number; ratio: number; noopSamples: number[] };
  fanout: { parallelMs: number[]; parallelMedian: number; singleMs: number[]; slowestSingle: number; ratio: number };
  throughput: { runs: number; wallMs: number; runsPerSecond: number; activitiesPerRun: number; ceilingRunsPerSecond: number; ratio: number; workerPeakRssMiB: number; workerIdleRssMiB: number };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const FANOUT_QUERIES = [
  'workflow determinism', 'activity retry policy', 'task queue', 'signals and queries', 'update handler',
  'agent handoff', 'tool schema', 'child workflow', 'timer sleep', 'heartbeat timeout',
  'worker shutdown', 'payload converter', 'namespace', 'cancellation scope', 'continue as new',
  'search attributes', 'replay history', 'model provider', 'streaming responses', 'structured output',
];

export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const repeats = options.repeats ?? 7;
  const latencies = options.latencies ?? [0, 200];
  const t0 = Date.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steadfast-bench-'));
  process.env.STEADFAST_DATA_DIR = dataDir;
  const server = await startDevServer(dataDir);
  await prebuildBundle(dataDir);
  await prepareCorpus({});
  const model = await startModelServer({ port: 0, latencyMs: 0 });
  const taskQueue = `bench-${t0}`;
  const worker = spawnWorker({
    address: server.address,
    taskQueue,
    dataDir,
    modelBaseURL: model.baseURL,
    args: ['--import', 'tsx', path.join(packageRoot, 'bench', 'bench', 'worker.ts')],
  });
  await worker.ready;
  const idle = processMemory(worker.pid);
  const { client, connection } = await connectClient(server.address);
  const exec = async <A,>(workflow: (input: A) => Promise<unknown>, arg: A): Promise<number> => {
    const start = performance.now();
    await client.workflow.execute(workflow, { taskQueue, workflowId: `${workflow.name}-${randomUUID()}`, args: [arg] });
    return performance.now() - start;
  };
  const plain = plainBenchRunner(model.baseURL);
  const prompt = 'Run the five-step checklist.';

  // 1. durable ÷ plain for the 6-turn agent, alternating so drift hits both alike.
  const agent: AgentSeries[] = [];
  for (const latencyMs of latencies) {
    model.configure({ latencyMs });
    const n = latencyMs >= 100 ? Math.max(3, Math.ceil(repeats * 0.7)) : repeats;
    await exec(benchAgentWorkflow, { prompt });
    await plain();
    const durableMs: number[] = [];
    const plainMs: number[] = [];
    for (let i = 0; i < n; i++) {
      durableMs.push(await exec(benchAgentWorkflow, { prompt }));
      const s = performance.now();
      const turns = await plain();
      plainMs.push(performance.now() - s);
      if (turns !== 6) throw new Error(`the plain bench agent took ${turns} turns, expected 6`);
    }
    const series = { latencyMs, durableMs, plainMs, durableMedian: median(durableMs), plainMedian: median(plainMs), ratio: 0 };
    series.ratio = ratio(series.durableMedian, series.plainMedian);
    agent.push(series);
    log(`bench: 6-turn agent at ${latencyMs} ms: durable ${series.durableMedian.toFixed(0)} ms, plain ${series.plainMedian.toFixed(0)} ms (${series.ratio.toFixed(2)}×)`);
  }
  model.configure({ latencyMs: 0 });

  // 2. added ms per model call vs a no-op activity round trip.
  const noopSamples: number[] = [];
  const NOOPS = 20;
  await exec(benchNoopWorkflow, { count: NOOPS });
  for (let i = 0; i < repeats; i++) {
    const empty = await exec(benchNoopWorkflow, { count: 0 });
    const full = await exec(benchNoopWorkflow, { count: NOOPS });
    noopSamples.push((full - empty) / NOOPS);
  }
  const zero = agent.find((a) => a.latencyMs === 0) ?? agent[0]!;
  const addedMsPerModelCall = (zero.durableMedian - zero.plainMedian) / 6;
  const noopActivityMs = median(noopSamples);
  log(`bench: +${addedMsPerModelCall.toFixed(1)} ms per model call; no-op activity ${noopActivityMs.toFixed(1)} ms`);

  // 3. fan-out: 20 parallel searches ÷ the slowest single search.
  const parallelMs: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(repeats / 2)); i++) parallelMs.push(await exec(benchFanoutWorkflow, { queries: FANOUT_QUERIES }));
  const singleMs: number[] = [];
  for (const q of FANOUT_QUERIES) singleMs.push(await exec(benchFanoutWorkflow, { queries: [q] }));
  const fanout = { parallelMs, parallelMedian: median(parallelMs), singleMs, slowestSingle: Math.max(...singleMs), ratio: 0 };
  fanout.ratio = ratio(fanout.parallelMedian, fanout.slowestSingle);
  log(`bench: fan-out 20 parallel ${fanout.parallelMedian.toFixed(0)} ms ÷ slowest single ${fanout.slowestSingle.toFixed(0)} ms = ${fanout.ratio.toFixed(2)}×`);

  // 4. research throughput on one worker (zero-latency model) ÷ the no-op-activity ceiling.
  const runs = options.researchRuns ?? 8;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, processMemory(worker.pid)?.rssMiB ?? 0)), 100);
  const rStart = performance.now();
  const ids = await Promise.all(
    Array.from({ length: runs }, async (_, k) => {
      const workflowId = `bench-research-${t0}-${k}`;
      await client.workflow.execute(research, {
        taskQueue,
        workflowId,
        args: [{ question: `How do Temporal activities retry after failures? (bench ${k})`, requestId: `bench-${t0}-${k}`, clarify: false, format: 'report' }],
      });
      return workflowId;
    })
  );
  const researchWall = performance.now() - rStart;
  const perRun = await Promise.all(ids.map(async (id) => activitiesOf((await client.workflow.getHandle(id).fetchHistory()).events ?? []).length));
  const activitiesPerRun = Math.round(median(perRun));
  const cStart = performance.now();
  await Promise.all(Array.from({ length: runs }, () => exec(benchNoopWorkflow, { count: activitiesPerRun })));
  const ceilingWall = performance.now() - cStart;
  clearInterval(sampler);
  peak = Math.max(peak, processMemory(worker.pid)?.peakMiB ?? 0);
  const throughput = {
    runs,
    wallMs: researchWall,
    runsPerSecond: runs / (researchWall / 1000),
    activitiesPerRun,
    ceilingRunsPerSecond: runs / (ceilingWall / 1000),
    ratio: 0,
    workerPeakRssMiB: peak,
    workerIdleRssMiB: idle?.rssMiB ?? Number.NaN,
  };
  throughput.ratio = ratio(throughput.runsPerSecond, throughput.ceilingRunsPerSecond);
  log(`bench: research ${throughput.runsPerSecond.toFixed(2)} runs/s vs ceiling ${throughput.ceilingRunsPerSecond.toFixed(2)} (${activitiesPerRun} activities/run); worker RSS peak ${peak.toFixed(0)} MiB`);

  // 5. the Python anchor, same dev server and model server.
  let pythonSkipped: string | undefined;
  let packages: string | undefined;
  if (options.python === false) pythonSkipped = 'disabled with --no-python';
  else {
    const venv = ensurePythonVenv(log);
    if (!venv.python) {
      pythonSkipped = venv.reason;
      log(`\n!!!!!!!!\n!!! bench: PYTHON ANCHOR SKIPPED — ${venv.reason}\n!!! install python3 with pip (and PyPI access) to measure it\n!!!!!!!!\n`);
    } else {
      packages = pythonPackages(venv.python);
      try {
        const py = await runPythonAnchor(venv.python, { address: server.address, baseURL: model.baseURL, latencies, repeats: Math.max(3, Math.ceil(repeats * 0.7)) });
        for (const series of agent) {
          const s = py[String(series.latencyMs)];
          if (!s) continue;
          const m = median(s.samples);
          if (s.requests !== 6) throw new Error(`the Python agent made ${s.requests} model calls, not 6: not the same task`);
          series.python = { samples: s.samples, median: m, ratioToOurs: ratio(m, series.durableMedian) };
          log(`bench: python anchor at ${series.latencyMs} ms: ${m.toFixed(0)} ms (${series.python.ratioToOurs.toFixed(2)}× ours; ${s.requests} model calls)`);
        }
      } catch (err) {
        pythonSkipped = `the anchor failed: ${(err as Error).message.slice(0, 400)}`;
        log(`\n!!! bench: PYTHON ANCHOR FAILED — ${pythonSkipped}\n`);
      }
      model.configure({ latencyMs: 0 });
    }
  }

  await connection.close();
  await killWorker(worker, 'SIGTERM');
  await model.close();
  await server.stop();
  await sleep(0);
  const machine = describeMachine();
  return {
    command: options.command ?? 'npx steadfast bench',
    startedAt: new Date(t0).toISOString(),
    wallMs: Date.now() - t0,
    machine,
    pythonPackages: packages,
    pythonSkipped,
    repeats,
    agent,
    perCall: { addedMsPerModelCall, noopActivityMs, ratio: ratio(addedMsPerModelCall, noopActivityMs), noopSamples },
    fanout,
    throughput,
  };
}

export async function writeBenchJson(result: BenchResult, docsDir: string): Promise<void> {
  await mkdir(docsDir, { recursive: true });
  await writeFile(path.join(docsDir, 'benchmarks.json'), `${JSON.stringify(result, null, 2)}\n`);
}
