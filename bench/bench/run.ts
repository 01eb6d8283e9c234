/**
 * `steadfast bench`: orchestration cost of durable agents, each figure a median over repeats,
 * measured side by side in one invocation on one dev server and one offline model server.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/common/paths.js';
import { withHarness } from '../lib/harness.js';
import { describeMachine, type MachineInfo } from '../lib/machine.js';
import { processMemory } from '../lib/worker-process.js';
import { measureLevers, measureThreadLever, type Levers, type ThreadLever } from './levers.js';
import {
  agentSeries,
  fanOut,
  perModelCall,
  pythonAnchor,
  researchThroughput,
  type Bench,
} from './figures.js';
import { workflowTaskTimeout } from '../../src/common/workflow-start.js';

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
  /** Tools as local activities (how steadfast runs pure tools). */
  durableMs: number[];
  /** Tools as regular activities (the plugin's activityAsTool). */
  durableActivityMs: number[];
  plainMs: number[];
  durableMedian: number;
  durableActivityMedian: number;
  plainMedian: number;
  ratio: number;
  activityRatio: number;
  /** The Python anchor with local-activity tools (vs ours, local) and with activity_as_tool (vs ours, activities). */
  python?: {
    samples: number[];
    median: number;
    ratioToOurs: number;
    activitySamples: number[];
    activityMedian: number;
    activityRatioToOurs: number;
  };
}

export interface FanOut {
  parallelMs: number[];
  parallelMedian: number;
  singleMs: number[];
  slowestSingle: number;
  ratio: number;
}

export interface BenchResult {
  command: string;
  startedAt: string;
  wallMs: number;
  machine: MachineInfo;
  /** 1-minute load average when the run ended. */
  load: number;
  pythonPackages?: string;
  pythonSkipped?: string;
  repeats: number;
  agent: AgentSeries[];
  perCall: {
    addedMsPerModelCall: number;
    addedWithActivityTools: number;
    noopActivityMs: number;
    localNoopMs: number;
    ratio: number;
    noopSamples: number[];
    localSamples: number[];
  };
  /** Searches as local activities (as the research runs them); `activity`: as regular activities. */
  fanout: FanOut & { activity: FanOut };
  levers: Levers;
  /** Research throughput with the shipped workflow thread count and the other choice. */
  threads: ThreadLever;
  throughput: {
    runs: number;
    wallMs: number;
    runsPerSecond: number;
    activitiesPerRun: number;
    localActivitiesPerRun: number;
    /** Every step a no-op activity. */
    ceilingRunsPerSecond: number;
    ratio: number;
    /** Every step a no-op of its own kind. */
    sameKindsRunsPerSecond: number;
    sameKindsRatio: number;
    workerPeakRssMiB: number;
    workerIdleRssMiB: number;
  };
}

export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const repeats = options.repeats ?? 7;
  const latencies = options.latencies ?? [0, 200];
  const measured = await withHarness(
    {
      name: 'bench',
      workers: 1,
      model: () => ({ latencyMs: 0 }),
      // steadfast's activities plus the bench activities, on the stock provider.
      worker: () => ({ args: ['--import', 'tsx', path.join(packageRoot, 'bench', 'bench', 'worker.ts')] }),
    },
    async (h) => {
      const { worker } = h.slots[0]!;
      const idle = processMemory(worker.pid);
      const bench: Bench = {
        h,
        repeats,
        log,
        async exec(workflow, arg) {
          const start = performance.now();
          await h.client.workflow.execute(workflow, {
            taskQueue: h.taskQueue,
            workflowId: `${workflow.name}-${randomUUID()}`,
            args: [arg],
            workflowTaskTimeout: workflowTaskTimeout(),
          });
          return performance.now() - start;
        },
      };
      const agent = await agentSeries(bench, latencies);
      const perCall = await perModelCall(bench, agent);
      const fanout = await fanOut(bench);
      const levers = await measureLevers(bench, log);
      const throughput = await researchThroughput(bench, options.researchRuns ?? 8, idle?.rssMiB);
      const threads = await measureThreadLever(bench, options.researchRuns ?? 8, log);
      const python =
        options.python === false
          ? { skipped: 'disabled with --no-python' }
          : await pythonAnchor(bench, agent, latencies);
      return { startedAt: h.startedAt, agent, perCall, fanout, levers, throughput, threads, python };
    }
  );
  const { startedAt, agent, perCall, fanout, levers, throughput, threads, python } = measured;
  return {
    command: options.command ?? 'npx steadfast bench',
    startedAt: new Date(startedAt).toISOString(),
    wallMs: Date.now() - startedAt,
    machine: describeMachine(),
    pythonPackages: python.packages,
    pythonSkipped: python.skipped,
    repeats,
    agent,
    perCall,
    fanout,
    levers,
    threads,
    throughput,
    load: loadAverage(),
  };
}

/** The machine's 1-minute load average at the end of the run (the figures are noisy under load). */
function loadAverage(): number {
  return os.loadavg()[0] ?? Number.NaN;
}

export async function writeBenchJson(result: BenchResult, docsDir: string): Promise<void> {
  await mkdir(docsDir, { recursive: true });
  await writeFile(path.join(docsDir, 'benchmarks.json'), `${JSON.stringify(result, null, 2)}\n`);
}
