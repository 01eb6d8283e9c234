/**
 * The figures of `steadfast bench`, each measured on the harness: one bench worker process and
 * the offline model server it shares with the in-process plain agent and the Python anchor.
 */
import { activitiesOf } from '../../src/testing/history.js';
import {
  benchAgentWorkflow,
  benchFanoutWorkflow,
  benchNoopWorkflow,
  research,
} from '../../src/workflows/index.js';
import type { Harness } from '../lib/harness.js';
import { median, ratio } from '../lib/stats.js';
import { processMemory } from '../lib/worker-process.js';
import { plainBenchRunner } from './plain.js';
import { ensurePythonVenv, pythonPackages, runPythonAnchor } from './python.js';
import type { AgentSeries, BenchResult } from './run.js';

const FANOUT_QUERIES = [
  'workflow determinism',
  'activity retry policy',
  'task queue',
  'signals and queries',
  'update handler',
  'agent handoff',
  'tool schema',
  'child workflow',
  'timer sleep',
  'heartbeat timeout',
  'worker shutdown',
  'payload converter',
  'namespace',
  'cancellation scope',
  'continue as new',
  'search attributes',
  'replay history',
  'model provider',
  'streaming responses',
  'structured output',
];
const PROMPT = 'Run the five-step checklist.';

/** What every figure needs: the harness (one bench worker, one model server) and a timed workflow run. */
export interface Bench {
  h: Harness;
  repeats: number;
  log: (line: string) => void;
  /** Runs a workflow to completion on the bench worker; resolves with its wall time in ms. */
  exec<A>(workflow: (input: A) => Promise<unknown>, arg: A): Promise<number>;
}

/** 1. durable ÷ plain for the 6-turn agent, alternating so drift hits both alike. */
export async function agentSeries(b: Bench, latencies: number[]): Promise<AgentSeries[]> {
  const model = b.h.slots[0]!.model;
  const plain = plainBenchRunner(model.baseURL);
  const agent: AgentSeries[] = [];
  for (const latencyMs of latencies) {
    model.configure({ latencyMs });
    const n = latencyMs >= 100 ? Math.max(3, Math.ceil(b.repeats * 0.7)) : b.repeats;
    await b.exec(benchAgentWorkflow, { prompt: PROMPT });
    await plain();
    const durableMs: number[] = [];
    const plainMs: number[] = [];
    for (let i = 0; i < n; i++) {
      durableMs.push(await b.exec(benchAgentWorkflow, { prompt: PROMPT }));
      const s = performance.now();
      const turns = await plain();
      plainMs.push(performance.now() - s);
      if (turns !== 6) throw new Error(`the plain bench agent took ${turns} turns, expected 6`);
    }
    const durableMedian = median(durableMs);
    const plainMedian = median(plainMs);
    const series = {
      latencyMs,
      durableMs,
      plainMs,
      durableMedian,
      plainMedian,
      ratio: ratio(durableMedian, plainMedian),
    };
    agent.push(series);
    b.log(
      `bench: 6-turn agent at ${latencyMs} ms: durable ${series.durableMedian.toFixed(0)} ms, plain ${series.plainMedian.toFixed(0)} ms (${series.ratio.toFixed(2)}×)`
    );
  }
  model.configure({ latencyMs: 0 });
  return agent;
}

/** 2. added ms per model call vs a no-op activity round trip. */
export async function perModelCall(b: Bench, agent: AgentSeries[]): Promise<BenchResult['perCall']> {
  const noopSamples: number[] = [];
  const NOOPS = 20;
  await b.exec(benchNoopWorkflow, { count: NOOPS });
  for (let i = 0; i < b.repeats; i++) {
    const empty = await b.exec(benchNoopWorkflow, { count: 0 });
    const full = await b.exec(benchNoopWorkflow, { count: NOOPS });
    noopSamples.push((full - empty) / NOOPS);
  }
  const zero = agent.find((a) => a.latencyMs === 0) ?? agent[0]!;
  const addedMsPerModelCall = (zero.durableMedian - zero.plainMedian) / 6;
  const noopActivityMs = median(noopSamples);
  b.log(
    `bench: +${addedMsPerModelCall.toFixed(1)} ms per model call; no-op activity ${noopActivityMs.toFixed(1)} ms`
  );
  return {
    addedMsPerModelCall,
    noopActivityMs,
    ratio: ratio(addedMsPerModelCall, noopActivityMs),
    noopSamples,
  };
}

/** 3. fan-out: 20 parallel searches ÷ the slowest single search. */
export async function fanOut(b: Bench): Promise<BenchResult['fanout']> {
  const parallelMs: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(b.repeats / 2)); i++)
    parallelMs.push(await b.exec(benchFanoutWorkflow, { queries: FANOUT_QUERIES }));
  const singleMs: number[] = [];
  for (const q of FANOUT_QUERIES) singleMs.push(await b.exec(benchFanoutWorkflow, { queries: [q] }));
  const parallelMedian = median(parallelMs);
  const slowestSingle = Math.max(...singleMs);
  const fanout = {
    parallelMs,
    parallelMedian,
    singleMs,
    slowestSingle,
    ratio: ratio(parallelMedian, slowestSingle),
  };
  b.log(
    `bench: fan-out 20 parallel ${fanout.parallelMedian.toFixed(0)} ms ÷ slowest single ${fanout.slowestSingle.toFixed(0)} ms = ${fanout.ratio.toFixed(2)}×`
  );
  return fanout;
}

/** 4. research throughput on one worker (zero-latency model) ÷ the no-op-activity ceiling. */
export async function researchThroughput(
  b: Bench,
  runs: number,
  idleRssMiB: number | undefined
): Promise<BenchResult['throughput']> {
  const { h } = b;
  const { pid } = h.slots[0]!.worker;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, processMemory(pid)?.rssMiB ?? 0)), 100);
  const rStart = performance.now();
  const ids = await Promise.all(
    Array.from({ length: runs }, async (_, k) => {
      const workflowId = `bench-research-${h.startedAt}-${k}`;
      await h.client.workflow.execute(research, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [
          {
            question: `How do Temporal activities retry after failures? (bench ${k})`,
            requestId: `bench-${h.startedAt}-${k}`,
            clarify: false,
            format: 'report',
          },
        ],
      });
      return workflowId;
    })
  );
  const researchWall = performance.now() - rStart;
  const perRun = await Promise.all(
    ids.map(
      async (id) => activitiesOf((await h.client.workflow.getHandle(id).fetchHistory()).events ?? []).length
    )
  );
  const activitiesPerRun = Math.round(median(perRun));
  const cStart = performance.now();
  await Promise.all(
    Array.from({ length: runs }, () => b.exec(benchNoopWorkflow, { count: activitiesPerRun }))
  );
  const ceilingWall = performance.now() - cStart;
  clearInterval(sampler);
  peak = Math.max(peak, processMemory(pid)?.peakMiB ?? 0);
  const runsPerSecond = runs / (researchWall / 1000);
  const ceilingRunsPerSecond = runs / (ceilingWall / 1000);
  const throughput = {
    runs,
    wallMs: researchWall,
    runsPerSecond,
    activitiesPerRun,
    ceilingRunsPerSecond,
    ratio: ratio(runsPerSecond, ceilingRunsPerSecond),
    workerPeakRssMiB: peak,
    workerIdleRssMiB: idleRssMiB ?? Number.NaN,
  };
  b.log(
    `bench: research ${throughput.runsPerSecond.toFixed(2)} runs/s vs ceiling ${throughput.ceilingRunsPerSecond.toFixed(2)} (${activitiesPerRun} activities/run); worker RSS peak ${peak.toFixed(0)} MiB`
  );
  return throughput;
}

/** 5. the Python anchor, same dev server and model server; fills `python` of each agent series. */
export async function pythonAnchor(
  b: Bench,
  agent: AgentSeries[],
  latencies: number[]
): Promise<{ packages?: string; skipped?: string }> {
  const venv = ensurePythonVenv(b.log);
  if (!venv.python) {
    b.log(
      `\n!!!!!!!!\n!!! bench: PYTHON ANCHOR SKIPPED — ${venv.reason}\n!!! install python3 with pip (and PyPI access) to measure it\n!!!!!!!!\n`
    );
    return { skipped: venv.reason };
  }
  const packages = pythonPackages(venv.python);
  const model = b.h.slots[0]!.model;
  try {
    const py = await runPythonAnchor(venv.python, {
      address: b.h.server.address,
      baseURL: model.baseURL,
      latencies,
      repeats: Math.max(3, Math.ceil(b.repeats * 0.7)),
    });
    for (const series of agent) {
      const s = py[String(series.latencyMs)];
      if (!s) continue;
      const m = median(s.samples);
      if (s.requests !== 6)
        throw new Error(`the Python agent made ${s.requests} model calls, not 6: not the same task`);
      series.python = { samples: s.samples, median: m, ratioToOurs: ratio(m, series.durableMedian) };
      b.log(
        `bench: python anchor at ${series.latencyMs} ms: ${m.toFixed(0)} ms (${series.python.ratioToOurs.toFixed(2)}× ours; ${s.requests} model calls)`
      );
    }
    return { packages };
  } catch (err) {
    const skipped = `the anchor failed: ${(err as Error).message.slice(0, 400)}`;
    b.log(`\n!!! bench: PYTHON ANCHOR FAILED — ${skipped}\n`);
    return { packages, skipped };
  } finally {
    model.configure({ latencyMs: 0 });
  }
}
