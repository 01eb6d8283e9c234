// The "Levers" part of docs/benchmarks.md: what each setting of a fast durable step saves, measured
// in this run against its alternative, and what it costs.
import { MODEL_ACTIVITY } from '../../src/workflows/model-params.js';
import { WORKER_DISPATCH } from '../../src/worker/worker.js';
import { mdTable } from '../lib/markdown.js';
import { fmt, fmtRatio } from '../lib/stats.js';
import type { BenchResult } from './run.js';
import { workflowTaskTimeout } from '../../src/common/workflow-start.js';

export function leverLines(r: BenchResult): string[] {
  const store = Object.fromEntries(r.levers.store.map((s) => [s.name, s]));
  const [eagerOn, eagerOff] = r.levers.eager;
  const [pollRaised, pollDefault] = r.levers.pollRate;
  const at0 = r.agent.find((a) => a.latencyMs === 0) ?? r.agent[0]!;
  const perTool = (at0.durableActivityMedian - at0.durableMedian) / 5;
  const ms = (v: number | undefined) => `${fmt(v, 1)} ms`;
  return [
    '## The store',
    '',
    'The no-op activity round trip (as above) on four dev servers side by side, each with its own bench worker, rounds ' +
      'alternating between them, each measured round right after a 20-no-op workflow on the same server (a steady ' +
      'stream of steps). The shipped embedded store is a SQLite file in WAL mode with synchronous=NORMAL.',
    '',
    mdTable(
      ['store', 'no-op round trip (ms)', '÷ in-memory'],
      r.levers.store.map((s) => [s.setting, fmt(s.noopMs, 1), fmtRatio(s.noopMs / store.memory!.noopMs)]),
      ['l', 'r', 'r']
    ),
    '',
    '## Levers: what each one saves, what it costs',
    '',
    mdTable(
      ['lever', 'saves (measured in this run)', 'costs'],
      [
        [
          `history queue poll rates raised to ${pollRaised?.setting ?? '?'} (server default 20 per second per queue: transfer, timer, visibility)`,
          `${ms(pollDefault?.noopMs)} → ${ms(pollRaised?.noopMs)} per round trip: at the default, each workflow task waits for the transfer queue reader's next permitted poll once steps come steadily`,
          'a busy queue may read the store up to that often; nothing for one process on its own SQLite file. A shared self-hosted cluster keeps its operator’s limits (set the same keys in its dynamic config to trade database load for latency)',
        ],
        [
          'embedded store: WAL, synchronous=NORMAL (`STEADFAST_SQLITE_SYNC`, default `normal`)',
          `${ms(store.rollback?.noopMs)} → ${ms(store.normal?.noopMs)} per round trip against SQLite's defaults (rollback journal, FULL); ${ms(store.full?.noopMs)} with WAL and an fsync per commit (\`full\`)`,
          'no fsync per commit: a killed or crashed server loses nothing, but an OS crash or power loss may lose the last transactions, and runs then repeat the steps those recorded (`full` keeps them, at its cost above)',
        ],
        [
          `eager activity dispatch (server on; worker: up to ${WORKER_DISPATCH.maxEagerActivityReservationsPerWorkflowTask} per workflow task)`,
          `${ms(eagerOff?.noopMs)} → ${ms(eagerOn?.noopMs)} per round trip`,
          'an eagerly dispatched activity runs on the worker that scheduled it (no balancing across workers) and holds one of its activity slots from the moment it is scheduled',
        ],
        [
          'pure tools and corpus reads as local activities',
          `${ms(perTool)} per tool call (6-turn agent at 0 ms: ${fmt(at0.durableActivityMedian)} → ${fmt(at0.durableMedian)} ms); fan-out ${fmtRatio(r.fanout.activity.ratio)} → ${fmtRatio(r.fanout.ratio)}`,
          'only for short, idempotent reads: they run inside the workflow task on the workflow’s worker (which must have them registered; runs with a separate tool queue keep activities), retries are the worker’s, and a read cut by a crash runs again',
        ],
        threadRow(r),
        [
          `workflow task timeout ${String(workflowTaskTimeout())} at start (server default 10 s)`,
          'a worker killed while it holds a workflow task (it takes one after every completed step) holds up its run for that long instead of 10 s (see docs/comparison.md: the crash scenario)',
          'a workflow task that takes longer (a long history replayed on a slow machine) times out and another worker replays it; one that runs local activities is kept alive by the SDK',
        ],
        [
          `sticky schedule-to-start timeout ${String(WORKER_DISPATCH.stickyQueueScheduleToStartTimeout)} (SDK default 10 s)`,
          'after a worker dies, its workflows’ next tasks reach another worker within that time instead of 10 s (see docs/comparison.md)',
          'a workflow task its sticky worker does not take within that time (a worker stalled that long) is replayed from full history by any worker',
        ],
        [
          `model-call heartbeat timeout ${String(MODEL_ACTIVITY.heartbeatTimeout)}, first retry after ${String(MODEL_ACTIVITY.retry?.initialInterval)}`,
          'a dead worker’s model call runs again within 2 s of the death (was 5 s + 1 s)',
          'one heartbeat (an RPC and a store write; an Action on Temporal Cloud) per 1.2 s of a running model call; a call shorter than that sends one, as it did before',
        ],
      ],
      ['l', 'l', 'l']
    ),
    '',
  ];
}

/** The workflow-thread lever: research throughput and worker memory, shipped count against the other. */
function threadRow(r: BenchResult): string[] {
  const t = r.threads;
  const [one, two] = t.shipped.threads === 1 ? [t.shipped, t.other] : [t.other, t.shipped];
  return [
    `workflow threads per worker (\`STEADFAST_WORKFLOW_THREADS\`; default 1 on two cores, 2 from four; here ${t.shipped.threads})`,
    `${t.runs} research runs at once: ${fmt(one.runsPerSecond, 2)} runs/s with one thread, ${fmt(two.runsPerSecond, 2)} with two (${fmtRatio(two.runsPerSecond / one.runsPerSecond)}): concurrent runs' workflow tasks no longer wait for each other`,
    `worker peak memory ${fmt(one.peakRssMiB)} → ${fmt(two.peakRssMiB)} MiB (a second V8 isolate with the workflow bundle); on two cores the second thread competes with the activities for the other core`,
  ];
}
