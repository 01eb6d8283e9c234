import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeBarChart } from '../lib/chart.js';
import { generatedNote, mdTable } from '../lib/markdown.js';
import { fmt, fmtRatio } from '../lib/stats.js';
import { leverLines } from './report-levers.js';
import type { BenchResult } from './run.js';

/** Writes docs/benchmarks.md and its charts (docs/figures/bench-*.svg) from a bench result. */
export async function writeBenchDocs(r: BenchResult, docsDir: string): Promise<string> {
  const figures = path.join(docsDir, 'figures');
  await mkdir(figures, { recursive: true });
  const rel = (f: string) => path.relative(docsDir, f).split(path.sep).join('/');
  const agentChart = await writeBarChart(
    figures,
    'bench-agent',
    '6-turn agent with tools: median wall time',
    'ms',
    r.agent.flatMap((a) => {
      const label = `${a.latencyMs} ms model latency`;
      return [
        { label, series: 'plain (Runner in one process)', value: a.plainMedian },
        { label, series: 'durable (steadfast, TypeScript)', value: a.durableMedian },
        ...(a.python ? [{ label, series: 'durable (Python temporalio)', value: a.python.median }] : []),
      ];
    })
  );
  const ratioChart = await writeBarChart(
    figures,
    'bench-ratios',
    'Ratios (1 = no difference)',
    'ratio',
    [
      ...r.agent.map((a) => ({ label: `durable ÷ plain @ ${a.latencyMs} ms`, value: a.ratio })),
      { label: 'added per model call ÷ no-op activity', value: r.perCall.ratio },
      { label: 'fan-out: 20 parallel ÷ slowest single', value: r.fanout.ratio },
      { label: 'research runs/s ÷ no-op ceiling', value: r.throughput.ratio },
      { label: 'embedded store ÷ in-memory server', value: r.levers.storeRatio },
      ...r.agent
        .filter((a) => a.python)
        .map((a) => ({ label: `Python ÷ ours @ ${a.latencyMs} ms`, value: a.python!.ratioToOurs })),
    ],
    { rule: 1 }
  );
  const m = r.machine;
  const at200 = r.agent.find((a) => a.latencyMs === 200) ?? r.agent.at(-1)!;
  const at0 = r.agent.find((a) => a.latencyMs === 0) ?? r.agent[0]!;
  const lines = [
    '# Benchmarks',
    '',
    generatedNote(r.command, new Date(r.startedAt)),
    '',
    'What durability costs in speed. Every figure is a median over repeats, measured side by side in one invocation of ' +
      '`npx steadfast bench`, on one Temporal dev server (the embedded SQLite store as shipped) and one offline model ' +
      'server (a deterministic stand-in for a model, so the figures measure orchestration, not a model). Durable runs go ' +
      'through a worker in its own process; the plain runs use the upstream Agents SDK `Runner` in the bench process, with ' +
      'the same agent, tools and model server. The machine is shared: compare the ratios, measured side by side, rather ' +
      `than absolute times (1-minute load average at the end of this run: ${fmt(r.load, 2)} on ${m.cores} cores).`,
    '',
    '## Headline',
    '',
    `- **durable ÷ plain at ${at200.latencyMs} ms model latency: ${fmtRatio(at200.ratio)}** (6-turn agent; its pure tools as local activities, as steadfast runs them; ${fmtRatio(at200.activityRatio)} with the tools as regular activities)`,
    `- **${fmt(r.perCall.addedMsPerModelCall, 1)} ms added per model call**, against a raw no-op activity round trip of ${fmt(r.perCall.noopActivityMs, 1)} ms (${fmtRatio(r.perCall.ratio)})`,
    ...(at0.python
      ? [
          `- **Python anchor ÷ ours at ${at0.latencyMs} ms: ${fmtRatio(at0.python.ratioToOurs)}** with the same local-activity tools; ${fmtRatio(at0.python.activityRatioToOurs)} with both on regular activity tools`,
        ]
      : [`- Python anchor: **skipped** — ${r.pythonSkipped}`]),
    `- **fan-out: 20 parallel searches ÷ the slowest single: ${fmtRatio(r.fanout.ratio)}**; research throughput ${fmtRatio(r.throughput.ratio)} of the no-op ceiling`,
    `- **embedded store ÷ in-memory dev server: ${fmtRatio(r.levers.storeRatio)}** (no-op activity round trip)`,
    '',
    `![6-turn agent](${rel(agentChart)})`,
    '',
    `![ratios](${rel(ratioChart)})`,
    '',
    '## Machine',
    '',
    mdTable(
      ['cpu', 'cores', 'memory', 'os', 'node', 'python', 'python packages', 'load (1 min, at end)'],
      [
        [
          m.cpu,
          m.cores,
          `${m.memoryGiB} GiB`,
          m.os,
          m.node,
          m.python ?? '—',
          r.pythonPackages ?? '—',
          fmt(r.load, 2),
        ],
      ]
    ),
    '',
    `Bench wall time: ${fmt(r.wallMs / 1000, 1)} s; repeats: ${r.repeats} (fewer at high latency).`,
    '',
    '## 6-turn agent: durable ÷ plain',
    '',
    'An agent that must call five tools (one per model turn), then answer: 6 model calls and 5 tool calls. Durable: the ' +
      '`benchAgentWorkflow` workflow — model calls are activities; the tools, pure like the research workflow’s corpus ' +
      'reads, are local activities (and, for comparison, regular activities through the plugin’s `activityAsTool`); plain: ' +
      'the same agent and tools with the upstream `Runner`. Wall time from the client call to the result.',
    '',
    mdTable(
      [
        'model latency',
        'plain median (ms)',
        'durable median (ms)',
        'durable ÷ plain',
        'durable, activity tools (ms)',
        'its ÷ plain',
        'samples',
      ],
      r.agent.map((a) => [
        `${a.latencyMs} ms`,
        fmt(a.plainMedian),
        fmt(a.durableMedian),
        fmtRatio(a.ratio),
        fmt(a.durableActivityMedian),
        fmtRatio(a.activityRatio),
        a.durableMs.length,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r']
    ),
    '',
    '## Added time per model call',
    '',
    '(durable − plain) ÷ 6 at 0 ms model latency: the orchestration cost of one model turn (its model activity plus, in five ' +
      'of the six turns, one local tool activity), against the round trip of a no-op activity on the same server ' +
      '((20 no-ops − 0 no-ops) ÷ 20, per workflow).',
    '',
    mdTable(
      [
        'added per model call (ms)',
        'no-op activity round trip (ms)',
        'ratio',
        'with activity tools (ms)',
        'local no-op (ms)',
      ],
      [
        [
          fmt(r.perCall.addedMsPerModelCall, 1),
          fmt(r.perCall.noopActivityMs, 1),
          fmtRatio(r.perCall.ratio),
          fmt(r.perCall.addedWithActivityTools, 1),
          fmt(r.perCall.localNoopMs, 1),
        ],
      ],
      ['r', 'r', 'r', 'r', 'r']
    ),
    '',
    '## Fan-out',
    '',
    '20 corpus searches (`searchCorpus`, BM25 over the default corpus) in parallel in one workflow, against the slowest of ' +
      'the same 20 searches run alone (one workflow each). 1× would be perfect parallelism. As local activities (how the ' +
      'research workflow runs its corpus reads) and as regular activities.',
    '',
    mdTable(
      ['searches as', '20 parallel, median (ms)', 'slowest single (ms)', 'ratio'],
      [
        [
          'local activities',
          fmt(r.fanout.parallelMedian),
          fmt(r.fanout.slowestSingle),
          fmtRatio(r.fanout.ratio),
        ],
        [
          'activities',
          fmt(r.fanout.activity.parallelMedian),
          fmt(r.fanout.activity.slowestSingle),
          fmtRatio(r.fanout.activity.ratio),
        ],
      ],
      ['l', 'r', 'r', 'r']
    ),
    '',
    '## Research throughput and memory (one worker)',
    '',
    `${r.throughput.runs} research runs at once (no clarification, zero-latency model) on one worker process, after an ` +
      'unmeasured batch of as many (the first runs of a worker load the corpus index and compile the research code), against the ' +
      'ceiling: the same number of workflows each running as many no-op activities as a research run has durable steps ' +
      '(its activities and local activities — the yardstick of that many steps each taken as an activity). The second ' +
      'ceiling runs each step as a no-op of its own kind (local ones local): cheap orchestration makes the run’s real work ' +
      '(model server, retrieval, rendering) the larger part, so that ratio falls as orchestration gets faster.',
    '',
    mdTable(
      [
        'runs',
        'wall (s)',
        'runs/s',
        'activities + local per run',
        'no-op ceiling (runs/s)',
        'ratio',
        'same-kinds ceiling (runs/s)',
        'ratio',
        'worker RSS idle (MiB)',
        'worker RSS peak (MiB)',
      ],
      [
        [
          r.throughput.runs,
          fmt(r.throughput.wallMs / 1000, 1),
          fmt(r.throughput.runsPerSecond, 2),
          `${r.throughput.activitiesPerRun} + ${r.throughput.localActivitiesPerRun}`,
          fmt(r.throughput.ceilingRunsPerSecond, 2),
          fmtRatio(r.throughput.ratio),
          fmt(r.throughput.sameKindsRunsPerSecond, 2),
          fmtRatio(r.throughput.sameKindsRatio),
          fmt(r.throughput.workerIdleRssMiB, 0),
          fmt(r.throughput.workerPeakRssMiB, 0),
        ],
      ],
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']
    ),
    '',
    ...leverLines(r),
    '## The Python anchor',
    '',
    r.pythonSkipped
      ? `Skipped: ${r.pythonSkipped}.`
      : 'The same 6-turn agent (five tools, same instructions) through Python `temporalio` with ' +
        '`temporalio.contrib.openai_agents`, installed by the bench into `.bench/venv` from PyPI, on the same dev server and ' +
        'model server; its worker and client share one Python process. Twice: with each tool a function tool that runs its ' +
        'activity as a local activity (the shape of ours above), and with the integration’s `activity_as_tool` (regular ' +
        'activities, compared with ours on regular activity tools). Ratio > 1 means Python is slower.',
    '',
    ...(r.pythonSkipped
      ? []
      : [
          mdTable(
            ['model latency', 'Python, local tools (ms)', '÷ ours', 'Python, activity tools (ms)', '÷ ours'],
            r.agent
              .filter((a) => a.python)
              .map((a) => [
                `${a.latencyMs} ms`,
                fmt(a.python!.median),
                fmtRatio(a.python!.ratioToOurs),
                fmt(a.python!.activityMedian),
                fmtRatio(a.python!.activityRatioToOurs),
              ]),
            ['l', 'r', 'r', 'r', 'r']
          ),
          '',
        ]),
    'Raw samples are in `benchmarks.json`.',
    '',
  ];
  const file = path.join(docsDir, 'benchmarks.md');
  await writeFile(file, lines.join('\n'));
  return file;
}
