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
import type { BenchActivityKind } from '../../src/workflows/bench.js';
import type { Harness } from '../lib/harness.js';
import { median, ratio } from '../lib/stats.js';
import { processMemory } from '../lib/worker-process.js';
import { plainBenchRunner } from './plain.js';
import { ensurePythonVenv, pythonPackages, runPythonAnchor } from './python.js';
import type { AgentSeries, BenchResult, FanOut } from './run.js';
import { workflowTaskTimeout } from '../../src/common/workflow-start.js';

/** The marker a local activity's result is recorded under in history. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

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

/** 1. durable ÷ plain for the 6-turn agent, alternating so drift hits all three alike. */
export async function agentSeries(b: Bench, latencies: number[]): Promise<AgentSeries[]> {
  const model = b.h.slots[0]!.model;
  const plain = plainBenchRunner(model.baseURL);
  const agent: AgentSeries[] = [];
  const durable = (tools: BenchActivityKind) => b.exec(benchAgentWorkflow, { prompt: PROMPT, tools });
  for (const latencyMs of latencies) {
    model.configure({ latencyMs });
    const n = latencyMs >= 100 ? Math.max(3, Math.ceil(b.repeats * 0.7)) : b.repeats;
    await durable('local');
    await durable('activity');
    await plain();
    const durableMs: number[] = [];
    const durableActivityMs: number[] = [];
    const plainMs: number[] = [];
    for (let i = 0; i < n; i++) {
      durableMs.push(await durable('local'));
      durableActivityMs.push(await durable('activity'));
      const s = performance.now();
      const turns = await plain();
      plainMs.push(performance.now() - s);
      if (turns !== 6) throw new Error(`the plain bench agent took ${turns} turns, expected 6`);
    }
    const durableMedian = median(durableMs);
    const durableActivityMedian = median(durableActivityMs);
    const plainMedian = median(plainMs);
    const series = {
      latencyMs,
      durableMs,
      durableActivityMs,
      plainMs,
      durableMedian,
      durableActivityMedian,
      plainMedian,
      ratio: ratio(durableMedian, plainMedian),
      activityRatio: ratio(durableActivityMedian, plainMedian),
    };
    agent.push(series);
    b.log(
      `bench: 6-turn agent at ${latencyMs} ms: durable ${durableMedian.toFixed(0)} ms (tools as activities ${durableActivityMedian.toFixed(0)}), plain ${plainMedian.toFixed(0)} ms (${series.ratio.toFixed(2)}×)`
    );
  }
  model.configure({ latencyMs: 0 });
  return agent;
}

/** (20 no-ops − 0 no-ops) ÷ 20 on one target, `repeats` times: the round trip of one no-op. */
export async function noopRoundTrips(
  exec: Bench['exec'],
  repeats: number,
  kind: BenchActivityKind = 'activity'
): Promise<number[]> {
  const NOOPS = 20;
  const full = kind === 'local' ? { count: 0, local: NOOPS } : { count: NOOPS };
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const empty = await exec(benchNoopWorkflow, { count: 0 });
    samples.push(((await exec(benchNoopWorkflow, full)) - empty) / NOOPS);
  }
  return samples;
}

/** 2. added ms per model call vs a no-op activity round trip (and what a local no-op costs). */
export async function perModelCall(b: Bench, agent: AgentSeries[]): Promise<BenchResult['perCall']> {
  await b.exec(benchNoopWorkflow, { count: 20, local: 20 });
  const noopSamples = await noopRoundTrips(b.exec, b.repeats);
  const localSamples = await noopRoundTrips(b.exec, b.repeats, 'local');
  const zero = agent.find((a) => a.latencyMs === 0) ?? agent[0]!;
  const addedMsPerModelCall = (zero.durableMedian - zero.plainMedian) / 6;
  const addedWithActivityTools = (zero.durableActivityMedian - zero.plainMedian) / 6;
  const noopActivityMs = median(noopSamples);
  const localNoopMs = median(localSamples);
  b.log(
    `bench: +${addedMsPerModelCall.toFixed(1)} ms per model call (+${addedWithActivityTools.toFixed(1)} with tools as activities); no-op activity ${noopActivityMs.toFixed(1)} ms, local ${localNoopMs.toFixed(1)} ms`
  );
  return {
    addedMsPerModelCall,
    addedWithActivityTools,
    noopActivityMs,
    localNoopMs,
    ratio: ratio(addedMsPerModelCall, noopActivityMs),
    noopSamples,
    localSamples,
  };
}

/** 3. fan-out: 20 parallel searches ÷ the slowest single search, as local activities (as the research runs them) and as activities. */
export async function fanOut(b: Bench): Promise<BenchResult['fanout']> {
  const one = async (kind: BenchActivityKind): Promise<FanOut> => {
    const parallelMs: number[] = [];
    for (let i = 0; i < Math.max(3, Math.ceil(b.repeats / 2)); i++)
      parallelMs.push(await b.exec(benchFanoutWorkflow, { queries: FANOUT_QUERIES, kind }));
    const singleMs: number[] = [];
    for (const q of FANOUT_QUERIES) singleMs.push(await b.exec(benchFanoutWorkflow, { queries: [q], kind }));
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
      `bench: fan-out (${kind}) 20 parallel ${parallelMedian.toFixed(0)} ms ÷ slowest single ${slowestSingle.toFixed(0)} ms = ${fanout.ratio.toFixed(2)}×`
    );
    return fanout;
  };
  await b.exec(benchFanoutWorkflow, { queries: FANOUT_QUERIES, kind: 'local' });
  const local = await one('local');
  const activity = await one('activity');
  return { ...local, activity };
}

/** The research run the throughput figures start (`tag` tells the runs of one bench apart). */
export function benchResearchInput(startedAt: number, tag: string) {
  return {
    question: `How do Temporal activities retry after failures? (bench ${tag})`,
    requestId: `bench-${startedAt}-${tag}`,
    clarify: false,
    format: 'report' as const,
  };
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
  // The first research runs of a worker load the corpus index and compile the research paths (the
  // ceiling's no-op workflows have run many times by now): one unmeasured batch first, alike.
  const batch = (tag: string) =>
    Promise.all(
      Array.from({ length: runs }, async (_, k) => {
        const workflowId = `bench-research-${h.startedAt}-${tag}${k}`;
        await h.client.workflow.execute(research, {
          taskQueue: h.taskQueue,
          workflowId,
          workflowTaskTimeout: workflowTaskTimeout(),
          args: [benchResearchInput(h.startedAt, `${tag}${k}`)],
        });
        return workflowId;
      })
    );
  await batch('warm-');
  const rStart = performance.now();
  const ids = await batch('');
  const researchWall = performance.now() - rStart;
  const perRun = await Promise.all(
    ids.map(async (id) => {
      const events = (await h.client.workflow.getHandle(id).fetchHistory()).events ?? [];
      const local = events.filter(
        (e) => e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER
      );
      return { regular: activitiesOf(events).length, local: local.length };
    })
  );
  const activitiesPerRun = Math.round(median(perRun.map((r) => r.regular)));
  const localActivitiesPerRun = Math.round(median(perRun.map((r) => r.local)));
  // The ceiling: the same workflows with every step a no-op activity — the yardstick of a run of
  // that many durable steps, as before any of them ran as a local activity. And the same with every
  // step a no-op of its own kind (local ones local), the ceiling of the run's shape as it is.
  const ceiling = async (arg: { count: number; local?: number }) => {
    const start = performance.now();
    await Promise.all(Array.from({ length: runs }, () => b.exec(benchNoopWorkflow, arg)));
    return runs / ((performance.now() - start) / 1000);
  };
  const ceilingRunsPerSecond = await ceiling({ count: activitiesPerRun + localActivitiesPerRun });
  const sameKindsRunsPerSecond = await ceiling({ count: activitiesPerRun, local: localActivitiesPerRun });
  clearInterval(sampler);
  peak = Math.max(peak, processMemory(pid)?.peakMiB ?? 0);
  const runsPerSecond = runs / (researchWall / 1000);
  const throughput = {
    runs,
    wallMs: researchWall,
    runsPerSecond,
    activitiesPerRun,
    localActivitiesPerRun,
    ceilingRunsPerSecond,
    ratio: ratio(runsPerSecond, ceilingRunsPerSecond),
    sameKindsRunsPerSecond,
    sameKindsRatio: ratio(runsPerSecond, sameKindsRunsPerSecond),
    workerPeakRssMiB: peak,
    workerIdleRssMiB: idleRssMiB ?? Number.NaN,
  };
  b.log(
    `bench: research ${throughput.runsPerSecond.toFixed(2)} runs/s vs ceiling ${throughput.ceilingRunsPerSecond.toFixed(2)} (same kinds ${sameKindsRunsPerSecond.toFixed(2)}; ${activitiesPerRun} activities + ${localActivitiesPerRun} local per run); worker RSS peak ${peak.toFixed(0)} MiB`
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
      kinds: ['local', 'activity'],
    });
    for (const series of agent) {
      const local = py[String(series.latencyMs)]?.local;
      const activity = py[String(series.latencyMs)]?.activity;
      if (!local || !activity) continue;
      for (const s of [local, activity])
        if (s.requests !== 6)
          throw new Error(`the Python agent made ${s.requests} model calls, not 6: not the same task`);
      const m = median(local.samples);
      const am = median(activity.samples);
      series.python = {
        samples: local.samples,
        median: m,
        ratioToOurs: ratio(m, series.durableMedian),
        activitySamples: activity.samples,
        activityMedian: am,
        activityRatioToOurs: ratio(am, series.durableActivityMedian),
      };
      b.log(
        `bench: python anchor at ${series.latencyMs} ms: ${m.toFixed(0)} ms with local tools (${series.python.ratioToOurs.toFixed(2)}× ours), ${am.toFixed(0)} ms with activity tools (${series.python.activityRatioToOurs.toFixed(2)}× ours)`
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
