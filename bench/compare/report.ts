import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeBarChart } from '../lib/chart.js';
import { generatedNote, mdTable } from '../lib/markdown.js';
import { fmt } from '../lib/stats.js';
import { APPROACHES, SCENARIOS, type Approach, type CompareResult } from './run.js';

const NAMES: Record<Approach, string> = {
  prompt: '(a) pure prompting',
  agents: '(b) Agents SDK, plain process',
  durable: '(c) durable workflow',
};

/** Writes docs/comparison.md, docs/comparison.json and its charts. */
export async function writeCompareDocs(r: CompareResult, docsDir: string): Promise<string> {
  const figures = path.join(docsDir, 'figures');
  await mkdir(figures, { recursive: true });
  const rel = (f: string) => path.relative(docsDir, f).split(path.sep).join('/');
  const of = (a: Approach, s: string) => r.outcomes.find((o) => o.approach === a && o.scenario === s);
  const wallChart = await writeBarChart(figures, 'compare-wall', 'Wall time per scenario', 's', r.outcomes.map((o) => ({ label: o.scenario, series: NAMES[o.approach], value: o.wallMs / 1000 })));
  const callsChart = await writeBarChart(figures, 'compare-calls', 'Model calls completed (paid) per scenario', 'calls', r.outcomes.map((o) => ({ label: o.scenario, series: NAMES[o.approach], value: o.modelCompleted })));
  const rows = r.outcomes.map((o) => {
    const base = of(o.approach, 'none');
    const extraCalls = base ? o.modelCompleted - base.modelCompleted : Number.NaN;
    return [
      NAMES[o.approach],
      o.scenario,
      o.completed ? 'yes' : 'NO',
      fmt(o.wallMs / 1000, 1),
      o.scenario === 'none' || !base ? '—' : fmt((o.wallMs - base.wallMs) / 1000, 1),
      o.attempts,
      o.modelCompleted,
      Number.isFinite(extraCalls) && o.scenario !== 'none' ? Math.max(0, extraCalls) : '—',
      o.repeatedCalls,
      o.approach === 'durable' ? o.tokens : '—',
      o.sideEffects,
      o.reviewItems,
    ];
  });
  const rate = (a: Approach) => `${r.outcomes.filter((o) => o.approach === a && o.completed).length}/${SCENARIOS.length}`;
  const lines = [
    '# The same research task, three ways',
    '',
    generatedNote(r.command, new Date(r.startedAt)),
    '',
    `Question: "${r.question}". All three run against the same offline model server (${r.latencyMs} ms latency per call, a ` +
      'deterministic stand-in for a model) and the same corpus, one scenario at a time, each with a fresh request log:',
    '',
    '- **none** — no fault (the baseline);',
    '- **crash** — the process is SIGKILLed at a seeded random point of its baseline run (30–70%). The plain approaches run ' +
      'under a supervisor that restarts them from scratch (their recovery); the durable run gets a new worker;',
    `- **outage** — the model endpoint answers every request with a connection reset for ${r.outageMs / 1000} s, starting at a seeded random point;`,
    `- **tool-bug** — the corpus tools (searchCorpus, readDocument) throw on ${Math.round(r.toolFaultRate * 100)}% of calls ` +
      '((a) has no tools; its one retrieval is not faulted).',
    '',
    'The plain scripts are honest code: the OpenAI client has its own retries off in all three (as the durable worker has), ' +
      'and the supervisor retries a failed plain run up to 3 times. Tool errors in (b) go back to the model as the Agents SDK does by default.',
    '',
    '## Completion',
    '',
    mdTable(['approach', 'completed', 'orchestration code (lines)'], APPROACHES.map((a) => [NAMES[a], rate(a), r.loc[a]]), ['l', 'r', 'r']),
    '',
    `![wall time](${rel(wallChart)})`,
    '',
    `![model calls](${rel(callsChart)})`,
    '',
    '## Per scenario',
    '',
    mdTable(
      ['approach', 'scenario', 'completed', 'wall (s)', 'time lost to the fault (s)', 'attempts', 'model calls completed', 'extra calls vs baseline', 'identical calls repeated', 'tokens', 'report writes', 'review items'],
      rows,
      ['l', 'l', 'c', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']
    ),
    '',
    '## How to read it',
    '',
    '- *model calls completed* are the calls the model server answered in full (what a provider bills); *identical calls ' +
      'repeated* counts request bodies answered more than once (paid twice), from the request log.',
    '- *report writes*: for (a)/(b) the times the script wrote report.md + report.pdf (from its journal); for (c) the render ' +
      'activity attempts started (from history). The artifact store keeps one file per key in every case.',
    '- *review items*: what a reviewer can inspect for one run — the lines the plain script journals, or the events of the ' +
      "workflow's Temporal history (each model call, tool call, retry and failure, with inputs and outputs).",
    '- *tokens* are reported by the durable run (workflow usage); the plain scripts do not total them across restarts.',
    '- *orchestration code*: non-blank, non-comment lines of `bench/compare/plain-prompt.ts`, `bench/compare/plain-agents.ts` ' +
      'and `src/workflows/research.ts` (the durable one also does clarification, status, cancellation and partial-failure reporting).',
    '',
    `Compare wall time: ${fmt(r.wallMs / 1000, 1)} s, seed ${r.seed}. Raw figures: \`comparison.json\`.`,
    '',
  ];
  const file = path.join(docsDir, 'comparison.md');
  await writeFile(file, lines.join('\n'));
  await writeFile(path.join(docsDir, 'comparison.json'), `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
