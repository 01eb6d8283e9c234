import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeBarChart } from '../lib/chart.js';
import { generatedNote, mdTable } from '../lib/markdown.js';
import { fmt, fmtRatio } from '../lib/stats.js';
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
    r.agent.flatMap((a) => [
      {
        label: `${a.latencyMs} ms model latency`,
        series: 'plain (Runner in one process)',
        value: a.plainMedian,
      },
      {
        label: `${a.latencyMs} ms model latency`,
        series: 'durable (steadfast, TypeScript)',
        value: a.durableMedian,
      },
      ...(a.python
        ? [
            {
              label: `${a.latencyMs} ms model latency`,
              series: 'durable (Python temporalio)',
              value: a.python.median,
            },
          ]
        : []),
    ])
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
      ...r.agent
        .filter((a) => a.python)
        .map((a) => ({ label: `Python ÷ ours @ ${a.latencyMs} ms`, value: a.python!.ratioToOurs })),
    ],
    { rule: 1 }
  );
  const m = r.machine;
  const at200 = r.agent.find((a) => a.latencyMs === 200) ?? r.agent.at(-1)!;
  const lines = [
    '# Benchmarks',
    '',
    generatedNote(r.command, new Date(r.startedAt)),
    '',
    'What durability costs in speed. Every figure is a median over repeats, measured side by side in one invocation of ' +
      '`npx steadfast bench`, on one Temporal dev server (SQLite) and one offline model server (a deterministic stand-in for a ' +
      'model, so the figures measure orchestration, not a model). Durable runs go through a worker in its own process; ' +
      'the plain runs use the upstream Agents SDK `Runner` in the bench process, with the same agent, tools and model server.',
    '',
    '## Headline',
    '',
    `- **durable ÷ plain at ${at200.latencyMs} ms model latency: ${fmtRatio(at200.ratio)}** (6-turn agent with tools)`,
    `- **${fmt(r.perCall.addedMsPerModelCall, 1)} ms added per model call**, against a raw no-op activity round trip of ${fmt(r.perCall.noopActivityMs, 1)} ms`,
    ...(at200.python
      ? [`- **Python anchor ÷ ours at ${at200.latencyMs} ms: ${fmtRatio(at200.python.ratioToOurs)}**`]
      : [`- Python anchor: **skipped** — ${r.pythonSkipped}`]),
    '',
    `![6-turn agent](${rel(agentChart)})`,
    '',
    `![ratios](${rel(ratioChart)})`,
    '',
    '## Machine',
    '',
    mdTable(
      ['cpu', 'cores', 'memory', 'os', 'node', 'python', 'python packages'],
      [[m.cpu, m.cores, `${m.memoryGiB} GiB`, m.os, m.node, m.python ?? '—', r.pythonPackages ?? '—']]
    ),
    '',
    `Bench wall time: ${fmt(r.wallMs / 1000, 1)} s; repeats: ${r.repeats} (fewer at high latency).`,
    '',
    '## 6-turn agent: durable ÷ plain',
    '',
    'An agent that must call five tools (one per model turn), then answer: 6 model calls and 5 tool calls. Durable: the ' +
      '`benchAgentWorkflow` workflow (model calls and tools are activities); plain: the same agent and tools with the ' +
      'upstream `Runner`. Wall time from the client call to the result.',
    '',
    mdTable(
      [
        'model latency',
        'plain median (ms)',
        'durable median (ms)',
        'durable ÷ plain',
        'Python median (ms)',
        'Python ÷ ours',
        'samples',
      ],
      r.agent.map((a) => [
        `${a.latencyMs} ms`,
        fmt(a.plainMedian),
        fmt(a.durableMedian),
        fmtRatio(a.ratio),
        a.python ? fmt(a.python.median) : '—',
        a.python ? fmtRatio(a.python.ratioToOurs) : '—',
        a.durableMs.length,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r']
    ),
    '',
    '## Added time per model call',
    '',
    '(durable − plain) ÷ 6 at 0 ms model latency: the orchestration cost of one model turn (its model activity plus, in five ' +
      'of the six turns, one tool activity), against the round trip of a no-op activity on the same server ' +
      '((20 no-ops − 0 no-ops) ÷ 20, per workflow).',
    '',
    mdTable(
      ['added per model call (ms)', 'no-op activity round trip (ms)', 'ratio'],
      [[fmt(r.perCall.addedMsPerModelCall, 1), fmt(r.perCall.noopActivityMs, 1), fmtRatio(r.perCall.ratio)]],
      ['r', 'r', 'r']
    ),
    '',
    '## Fan-out',
    '',
    '20 corpus searches (`searchCorpus` activities, BM25 over the default corpus) in parallel in one workflow, against the ' +
      'slowest of the same 20 searches run alone (one workflow each). 1× would be perfect parallelism.',
    '',
    mdTable(
      ['20 parallel, median (ms)', 'slowest single (ms)', 'ratio'],
      [[fmt(r.fanout.parallelMedian), fmt(r.fanout.slowestSingle), fmtRatio(r.fanout.ratio)]],
      ['r', 'r', 'r']
    ),
    '',
    '## Research throughput and memory (one worker)',
    '',
    `${r.throughput.runs} research runs at once (no clarification, zero-latency model) on one worker process, against the ` +
      'ceiling: the same number of workflows each running as many no-op activities as a research run has activities.',
    '',
    mdTable(
      [
        'runs',
        'wall (s)',
        'runs/s',
        'activities per run',
        'no-op ceiling (runs/s)',
        'ratio',
        'worker RSS idle (MiB)',
        'worker RSS peak (MiB)',
      ],
      [
        [
          r.throughput.runs,
          fmt(r.throughput.wallMs / 1000, 1),
          fmt(r.throughput.runsPerSecond, 2),
          r.throughput.activitiesPerRun,
          fmt(r.throughput.ceilingRunsPerSecond, 2),
          fmtRatio(r.throughput.ratio),
          fmt(r.throughput.workerIdleRssMiB, 0),
          fmt(r.throughput.workerPeakRssMiB, 0),
        ],
      ],
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']
    ),
    '',
    '## The Python anchor',
    '',
    r.pythonSkipped
      ? `Skipped: ${r.pythonSkipped}.`
      : 'The same 6-turn agent (five activity tools, same instructions) through Python `temporalio` with ' +
        '`temporalio.contrib.openai_agents`, installed by the bench into `.bench/venv` from PyPI, on the same dev server and ' +
        'model server; its worker and client share one Python process. Ratio > 1 means Python is slower.',
    '',
    'Raw samples are in `benchmarks.json`.',
    '',
  ];
  const file = path.join(docsDir, 'benchmarks.md');
  await writeFile(file, lines.join('\n'));
  return file;
}
