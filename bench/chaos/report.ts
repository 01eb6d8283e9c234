import type { CallAccounting } from './accounting.js';
import type { RunCheck } from './checks.js';
import { generatedNote, mdTable, textTable } from '../lib/markdown.js';
import { fmt } from '../lib/stats.js';

export interface ChaosSettings {
  runs: number;
  workers: number;
  seed: number;
  killEveryMs: number;
  maxKills?: number;
  modelFaultRate: number;
  toolFaultRate: number;
  latencyMs: number;
  /** Delay between starting one research run and the next. */
  staggerMs: number;
  restartServer: boolean;
}

export interface KillRecord {
  /** ms since the chaos run started. */
  atMs: number;
  worker: string;
  pid: number;
  /** Open model requests of that worker at the kill (read from its model server right before). */
  openModelCalls: number;
  /** Completed at the server but never recorded by Temporal (known after the run). */
  unacknowledgedModelCalls: number;
  restartedInMs?: number;
}

export interface RunRecord {
  workflowId: string;
  format: 'report' | 'checklist';
  clarification: string;
  answered: boolean;
  durationMs: number;
  modelCalls: number;
  activityRetries: number;
  check: RunCheck;
  /** Why the run did not complete (the failure chain Temporal recorded). */
  failure?: string;
}

export interface ChaosResult {
  command: string;
  startedAt: string;
  wallMs: number;
  settings: ChaosSettings;
  serverRestart?: { atMs: number; downMs: number };
  kills: KillRecord[];
  runs: RunRecord[];
  calls: CallAccounting;
  faults: { model: Record<string, number>; toolFaultRate: number };
  verdict: {
    ok: boolean;
    completed: number;
    runs: number;
    duplicateArtifacts: number;
    badReports: number;
    repeatedCalls: number;
    inFlightAtKills: number;
    kills: number;
    line: string;
  };
}

/** The verdict over the whole chaos run; its `line` is the command's last output line. */
export function verdictOf(runs: RunRecord[], calls: CallAccounting, kills: number): ChaosResult['verdict'] {
  const completed = runs.filter((r) => r.check.completed).length;
  const duplicateArtifacts = runs.reduce(
    (s, r) => s + r.check.extraFiles + (r.check.renderedOnce || !r.check.completed ? 0 : 1),
    0
  );
  const badReports = runs.filter(
    (r) =>
      r.check.completed &&
      (!r.check.pdfWellFormed ||
        !r.check.mdHasSources ||
        !r.check.onePdf ||
        !r.check.oneMd ||
        !r.check.matchesRecorded)
  ).length;
  const ok = runs.every((r) => r.check.failures.length === 0) && calls.ok && runs.length > 0;
  const bound =
    calls.lostElsewhere > 0
      ? `${calls.inFlightAtKills} in flight at ${kills} kills + ${calls.lostElsewhere} lost at the server restart`
      : `${calls.inFlightAtKills} in flight at ${kills} kills`;
  const line =
    `chaos verdict: ${ok ? 'PASS' : 'FAIL'} — ${completed}/${runs.length} runs completed, ` +
    `${duplicateArtifacts} duplicate artifacts, ${badReports} bad reports, ` +
    `${calls.repeated} repeated model calls (≤ ${bound}: ${calls.ok ? 'yes' : 'NO'})`;
  return {
    ok,
    completed,
    runs: runs.length,
    duplicateArtifacts,
    badReports,
    repeatedCalls: calls.repeated,
    inFlightAtKills: calls.inFlightAtKills,
    kills,
    line,
  };
}

const runRow = (r: RunRecord) => [
  r.workflowId,
  r.format,
  r.clarification,
  fmt(r.durationMs / 1000, 1),
  r.modelCalls,
  r.activityRetries,
  r.check.completed ? 'yes' : 'NO',
  r.check.files.join(' '),
  r.check.failures.length === 0 ? 'ok' : [...r.check.failures, ...(r.failure ? [r.failure] : [])].join('; '),
];
const RUN_HEADER = [
  'run',
  'format',
  'clarification',
  'time (s)',
  'model calls',
  'activity retries',
  'completed',
  'artifacts',
  'checks',
];

export function terminalTable(result: ChaosResult): string {
  return textTable(RUN_HEADER, result.runs.map(runRow));
}

export function chaosMarkdown(result: ChaosResult): string {
  const s = result.settings;
  const c = result.calls;
  const lines = [
    '# Chaos run',
    '',
    generatedNote(result.command, new Date(result.startedAt)),
    '',
    `**${result.verdict.line}**`,
    '',
    `Wall time ${fmt(result.wallMs / 1000, 1)} s. Settings: ${s.runs} research runs, ${s.workers} worker processes, seed ${s.seed}, ` +
      `runs started ${s.staggerMs} ms apart, a SIGKILL about every ${s.killEveryMs} ms${s.maxKills !== undefined ? ` (at most ${s.maxKills})` : ''}, model latency ${s.latencyMs} ms, ` +
      `model fault rate ${s.modelFaultRate} (split over 429 / 500 / connection reset), tool fault rate ${s.toolFaultRate}` +
      `${s.restartServer ? ', Temporal dev server restarted once mid-run (same SQLite db)' : ''}.`,
    '',
    '## Checks per run',
    '',
    'Each run must complete with exactly `report.md` and `report.pdf` in its artifact folder (no leftovers), a PDF with a ' +
      'valid header and trailer, Markdown with a Sources section, files identical to the ones the workflow recorded, and ' +
      'exactly one completed render in its history.',
    '',
    mdTable(RUN_HEADER, result.runs.map(runRow), ['l', 'l', 'l', 'r', 'r', 'r', 'c', 'l', 'l']),
    '',
    '## Kills',
    '',
    result.kills.length === 0
      ? 'No kills.'
      : mdTable(
          ['at (s)', 'worker', 'pid', 'open model calls', 'completed, unacknowledged', 'restarted in (ms)'],
          result.kills.map((k) => [
            fmt(k.atMs / 1000, 1),
            k.worker,
            k.pid,
            k.openModelCalls,
            k.unacknowledgedModelCalls,
            k.restartedInMs ?? '',
          ]),
          ['r', 'l', 'r', 'r', 'r', 'r']
        ),
    '',
    ...(result.serverRestart
      ? [
          `Temporal dev server restarted at ${fmt(result.serverRestart.atMs / 1000, 1)} s; it was down for ${result.serverRestart.downMs} ms.`,
          '',
        ]
      : []),
    '## Model calls',
    '',
    'Every worker process talks to its own offline model server, so each request is attributed to one process. A call is ' +
      '*in flight at a kill* when the killed worker had sent it and Temporal never recorded its result: open at the server ' +
      'at the kill, or completed by the server but never reported (server completions − model activities Temporal recorded ' +
      "as completed by that worker's identity). A *repeated* call is an identical request body completed more than once.",
    '',
    mdTable(
      [
        'model requests',
        'completed',
        'injected faults',
        'repeated completions',
        'in flight at kills',
        'lost elsewhere',
        'repeats explained by kills',
      ],
      [
        [
          c.totalRequests,
          c.completedCalls,
          Object.entries(result.faults.model)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', '),
          c.repeated,
          c.inFlightAtKills,
          c.lostElsewhere,
          c.repeatedExplainedByKills,
        ],
      ],
      ['r', 'r', 'l', 'r', 'r', 'r', 'r']
    ),
    '',
    'Per worker process:',
    '',
    mdTable(
      [
        'process',
        'killed',
        'requests',
        'completed at server',
        'recorded by Temporal',
        'unacknowledged',
        'open at kill',
      ],
      c.incarnations.map((i) => [
        i.name,
        i.killed ? 'yes' : 'no',
        i.requests,
        i.completedAtServer,
        i.acknowledged,
        i.unacknowledged,
        i.open,
      ]),
      ['l', 'c', 'r', 'r', 'r', 'r', 'r']
    ),
    '',
  ];
  return lines.join('\n');
}
