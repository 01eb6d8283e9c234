/**
 * `steadfast bench`: orchestration cost of durable agents, each figure a median over repeats,
 * measured side by side in one invocation on one dev server and one offline model server.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../src/common/paths.js';
import { withHarness } from '../lib/harness.js';
import { describeMachine, type MachineInfo } from '../lib/machine.js';
import { processMemory } from '../lib/worker-process.js';
import {
  agentSeries,
  fanOut,
  perModelCall,
  pythonAnchor,
  researchThroughput,
  type Bench,
} from './figures.js';

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
  fanout: {
    parallelMs: number[];
    parallelMedian: number;
    singleMs: number[];
    slowestSingle: number;
    ratio: number;
  };
  throughput: {
    runs: number;
    wallMs: number;
    runsPerSecond: number;
    activitiesPerRun: number;
    ceilingRunsPerSecond: number;
    ratio: number;
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
          });
          return performance.now() - start;
        },
      };
      const agent = await agentSeries(bench, latencies);
      const perCall = await perModelCall(bench, agent);
      const fanout = await fanOut(bench);
      const throughput = await researchThroughput(bench, options.researchRuns ?? 8, idle?.rssMiB);
      const python =
        options.python === false
          ? { skipped: 'disabled with --no-python' }
          : await pythonAnchor(bench, agent, latencies);
      return { startedAt: h.startedAt, agent, perCall, fanout, throughput, python };
    }
  );
  const { startedAt, agent, perCall, fanout, throughput, python } = measured;
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
    throughput,
  };
}

export async function writeBenchJson(result: BenchResult, docsDir: string): Promise<void> {
  await mkdir(docsDir, { recursive: true });
  await writeFile(path.join(docsDir, 'benchmarks.json'), `${JSON.stringify(result, null, 2)}\n`);
}
