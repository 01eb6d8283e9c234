import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeBarChart } from '../lib/chart.js';
import { MODEL_ACTIVITY } from '../../src/workflows/model-params.js';
import { WORKER_DISPATCH } from '../../src/worker/worker.js';
import { generatedNote, mdTable } from '../lib/markdown.js';
import { fmt } from '../lib/stats.js';
import { APPROACHES, SCENARIOS, type Approach, type CompareResult, type Outcome } from './run.js';
import { workflowTaskTimeout } from '../../src/common/workflow-start.js';

/** Time lost to a fault: wall − the median fault-free wall, floored at 0 (a fault never saves time; below 0 is baseline noise). */
export function timeLostMs(o: Outcome, baselineMedianMs: number): number {
  return Math.max(0, o.wallMs - baselineMedianMs);
}

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
  const wallChart = await writeBarChart(
    figures,
    'compare-wall',
    'Wall time per scenario',
    's',
    r.outcomes.map((o) => ({ label: o.scenario, series: NAMES[o.approach], value: o.wallMs / 1000 }))
  );
  const callsChart = await writeBarChart(
    figures,
    'compare-calls',
    'Model calls completed (paid) per scenario',
    'calls',
    r.outcomes.map((o) => ({ label: o.scenario, series: NAMES[o.approach], value: o.modelCompleted }))
  );
  const tokensChart = await writeBarChart(
    figures,
    'compare-tokens-wasted',
    'Tokens wasted (paid, not in the delivered result) per scenario',
    'tokens',
    r.outcomes.map((o) => ({ label: o.scenario, series: NAMES[o.approach], value: o.tokens.wasted }))
  );
  const rows = r.outcomes.map((o) => {
    const base = of(o.approach, 'none');
    const faulted = o.scenario !== 'none';
    return [
      NAMES[o.approach],
      o.scenario,
      o.completed ? 'yes' : 'NO',
      fmt(o.wallMs / 1000, 1),
      faulted ? fmt(timeLostMs(o, r.baselines[o.approach].medianMs) / 1000, 1) : '—',
      o.faultAfterCall ?? '—',
      o.attempts,
      o.modelCompleted,
      faulted && base ? o.modelCompleted - base.modelCompleted : '—',
      o.repeatedCalls,
      o.tokens.billed,
      o.tokens.wasted,
      faulted && base ? o.tokens.billed - base.tokens.billed : '—',
      o.sideEffects,
      o.reviewItems,
    ];
  });
  const baselineRows = APPROACHES.map((a) => {
    const b = r.baselines[a];
    return [
      NAMES[a],
      b.wallsMs.map((w) => fmt(w / 1000, 1)).join(', '),
      fmt(b.medianMs / 1000, 1),
      fmt((Math.max(...b.wallsMs) - Math.min(...b.wallsMs)) / 1000, 1),
      b.calls,
    ];
  });
  const rate = (a: Approach) =>
    `${r.outcomes.filter((o) => o.approach === a && o.completed).length}/${SCENARIOS.length}`;
  const lines = [
    '# The same research task, three ways',
    '',
    generatedNote(r.command, new Date(r.startedAt)),
    '',
    `Question: "${r.question}". All three run against the same offline model server (${r.latencyMs} ms latency per call, a ` +
      'deterministic stand-in for a model) and the same corpus, one scenario at a time, each with a fresh request log:',
    '',
    '- **none** — no fault (the baseline);',
    `- **crash** — the process (plain script or durable worker) is SIGKILLed the moment its Nth model call completes, N = ${Math.round(r.faultFractions.crash * 100)}% ` +
      'of its baseline calls (at least 1). The plain approaches run under a supervisor that restarts them from scratch (their recovery); ' +
      'the durable run gets a new worker;',
    `- **outage** — after the Nth completed model call (N = ${Math.round(r.faultFractions.outage * 100)}% of the baseline calls, rounded down; 0 = down from the first call), ` +
      `the model endpoint answers every request with a connection reset for ${r.outageMs / 1000} s, counted from the first request that finds it down;`,
    `- **tool-bug** — the corpus tools (searchCorpus, readDocument) throw on ${Math.round(r.toolFaultRate * 100)}% of calls ` +
      '((a) has no tools; its one retrieval is not faulted).',
    '',
    `Faults are placed by progress (completed model calls, which the model server reports as they end), not by the clock, so ` +
      `process start-up time does not move them; the fractions are drawn from seed ${r.seed}, one per fault, shared by the three approaches. ` +
      `(a) makes one model call, so its crash lands right after that call and its outage is already on when the call is made.`,
    '',
    'The plain scripts are honest code: the OpenAI client has its own retries off in all three (as the durable worker has), ' +
      'and the supervisor retries a failed plain run up to 3 times. Tool errors in (b) go back to the model as the Agents SDK does by default.',
    '',
    '## Completion',
    '',
    mdTable(
      ['approach', 'completed', 'orchestration code (lines)'],
      APPROACHES.map((a) => [NAMES[a], rate(a), r.loc[a]]),
      ['l', 'r', 'r']
    ),
    '',
    `![wall time](${rel(wallChart)})`,
    '',
    `![model calls](${rel(callsChart)})`,
    '',
    `![tokens wasted](${rel(tokensChart)})`,
    '',
    '## Baselines',
    '',
    `Each approach ran fault-free ${r.baselineRepeats} times; *time lost* below is measured against the median.`,
    '',
    mdTable(
      ['approach', 'wall of each repeat (s)', 'median (s)', 'spread (s)', 'model calls'],
      baselineRows,
      ['l', 'l', 'r', 'r', 'r']
    ),
    '',
    '## Per scenario',
    '',
    mdTable(
      [
        'approach',
        'scenario',
        'completed',
        'wall (s)',
        'time lost to the fault (s)',
        'fault after call',
        'attempts',
        'model calls completed',
        'extra calls vs baseline',
        'identical calls repeated',
        'tokens billed',
        'tokens wasted',
        'tokens vs baseline',
        'report writes',
        'review items',
      ],
      rows,
      ['l', 'l', 'c', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']
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
    '- *time lost to the fault*: wall − the median baseline wall, floored at 0. A run that was hardly touched by its fault can ' +
      'finish a little faster than the median (the baseline spread above is that noise); it shows as 0.0, not as a gain.',
    '- *durable recovery* is set by configuration, not by a restart from scratch: after a crash Temporal retries the model call the ' +
      `dead worker held once its heartbeat timeout (${String(MODEL_ACTIVITY.heartbeatTimeout)}) and the first retry interval pass, on the new worker, ` +
      `the run's next workflow task leaves the dead worker's sticky queue after ${String(WORKER_DISPATCH.stickyQueueScheduleToStartTimeout)}, and a workflow task the ` +
      `dead worker had already taken is given to another after the workflow task timeout (${String(workflowTaskTimeout())}; the server default is 10 s); after an outage ` +
      `each model call retries with backoff (first interval ${String(MODEL_ACTIVITY.retry?.initialInterval)}, ×${MODEL_ACTIVITY.retry?.backoffCoefficient}), ` +
      'so it resumes at the first retry after the endpoint is back. The plain scripts recover by starting over, which is quick ' +
      'while a whole run takes seconds and pays again for every call it had made (*tokens wasted*).',
    '- *tokens billed*: input + output tokens the model server reported for every completed call (from its request log), for all three ' +
      'approaches alike. *tokens wasted*: billed tokens that are not part of the delivered result — a completed call whose identical ' +
      'body had completed before, and, for the plain approaches, every call completed by an attempt the crash or an error discarded. ' +
      "*tokens vs baseline* is billed − the baseline's billed (it can differ from *wasted* when a fault changes the path the agents " +
      'take, e.g. a tool error changes what the model is asked next).',
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
