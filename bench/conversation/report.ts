/** The conversation bench's result: its figures, its verdict, and their Markdown and terminal forms. */
import type { MachineInfo } from '../lib/machine.js';
import { generatedNote, mdTable, textTable } from '../lib/markdown.js';
import { fmt } from '../lib/stats.js';
import type { RunFigures, Weights } from './history.js';

/** "At most 10 KB of history per turn", in bytes (KB = 1024 bytes, as the CLI prints it). */
export const MAX_BYTES_PER_TURN = 10 * 1024;
/** "A research run's history at most 64 KB". */
export const MAX_RESEARCH_BYTES = 64 * 1024;

export interface ConversationBenchSettings {
  turns: number;
  kills: number;
  workers: number;
  seed: number;
  /** Offline model latency per request. */
  latencyMs: number;
  /** Follow each answer's stream as `steadfast ask` does in a terminal (one subscriber, its polls in history). */
  follow: boolean;
  /** The conversation's hand-over bounds; undefined = the workflow's defaults. */
  handover?: { historyBytes: number; historyEvents: number };
  research: { question: string };
}

export interface TurnRecord {
  /** 1-based order in which it was asked. */
  asked: number;
  question: string;
  updateId: string;
  /** The turn number the conversation gave the answer; undefined when no answer came. */
  turn?: number;
  ms: number;
  /** The conversation's run and its history after the answer (DescribeWorkflowExecution). */
  runId?: string;
  historyBytes?: number;
  historyEvents?: number;
  /** Bytes the answer added to its run's history (from the reading before it in the same run). */
  addedBytes?: number;
  killed: boolean;
  error?: string;
}

export interface KillRecord {
  /** The question being answered when the worker was killed. */
  asked: number;
  /** ms since the bench started. */
  atMs: number;
  worker: string;
  pid: number;
  /** Model requests that worker had open at its model server at the kill. */
  openModelCalls: number;
  restartedInMs?: number;
}

export interface LostTurn {
  asked?: number;
  updateId: string;
  reason: string;
}

export interface ConversationBenchResult {
  command: string;
  startedAt: string;
  wallMs: number;
  machine: MachineInfo;
  settings: ConversationBenchSettings;
  research: {
    workflowId: string;
    durationMs: number;
    historyBytes: number;
    events: number;
    storedPayloads: number;
    storedBytes: number;
    citations: number;
  };
  conversation: {
    workflowId: string;
    asked: number;
    answered: number;
    lost: LostTurn[];
    continueAsNew: number;
    runs: RunFigures[];
    total: { historyBytes: number; events: number; storedPayloads: number; storedBytes: number };
    /** The chain's events and their encoded bytes by kind. */
    weights: Weights;
    bytesPerTurn: {
      /** Total history bytes of the chain ÷ turns answered. */
      chain: number;
      /** The largest of each run's history bytes ÷ the turns it answered. */
      maxRun: number;
      /** Bytes one answer added to its run's history: median, p95, max (killed turns included). */
      added: { p50: number; p95: number; max: number };
    };
    eventsPerTurn: number;
    turnMs: { p50: number; p95: number; max: number };
    finalState: { turns: number; recent: number; earlier: number; phase: string };
  };
  kills: KillRecord[];
  turns: TurnRecord[];
  verdict: { ok: boolean; failures: string[]; line: string };
}

export function verdictOf(r: Omit<ConversationBenchResult, 'verdict'>): ConversationBenchResult['verdict'] {
  const c = r.conversation;
  const failures: string[] = [];
  if (c.lost.length > 0) failures.push(`${c.lost.length} lost turn(s)`);
  if (c.answered !== r.settings.turns) failures.push(`${c.answered}/${r.settings.turns} turns answered`);
  if (!(c.bytesPerTurn.chain <= MAX_BYTES_PER_TURN))
    failures.push(`${kb(c.bytesPerTurn.chain)} of history per turn > ${kb(MAX_BYTES_PER_TURN)}`);
  if (c.continueAsNew < 1) failures.push('no continue-as-new');
  if (r.kills.length < r.settings.kills) failures.push(`${r.kills.length}/${r.settings.kills} kills done`);
  if (!(r.research.historyBytes <= MAX_RESEARCH_BYTES))
    failures.push(`research run history ${kb(r.research.historyBytes)} > ${kb(MAX_RESEARCH_BYTES)}`);
  const ok = failures.length === 0;
  const summary =
    `${c.answered}/${r.settings.turns} turns answered, ${c.lost.length} lost, ` +
    `${kb(c.bytesPerTurn.chain)} history per turn (max run ${kb(c.bytesPerTurn.maxRun)}), ` +
    `${c.continueAsNew} continue-as-new, ${r.kills.length} worker kill(s), research run ${kb(r.research.historyBytes)}`;
  return {
    ok,
    failures,
    line: `conversation bench: ${ok ? 'PASS' : 'FAIL'} — ${summary}${ok ? '' : ` (${failures.join('; ')})`}`,
  };
}

export function kb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : '—';
}

function runRows(r: ConversationBenchResult) {
  return r.conversation.runs.map((run, i) => [
    i + 1,
    run.execution,
    run.answered.length,
    run.historyBytes,
    run.events,
    run.answered.length ? fmt(run.historyBytes / run.answered.length / 1024) : '—',
    run.storedPayloads,
    run.storedBytes,
  ]);
}

const RUN_HEADER = [
  'run',
  'execution',
  'turns',
  'history bytes',
  'events',
  'KB / turn',
  'stored payloads',
  'stored bytes',
];

function weightsTable(r: ConversationBenchResult): string {
  const { weights, answered } = r.conversation;
  const rows = Object.entries(weights).sort(([, a], [, b]) => b.bytes - a.bytes);
  const total = rows.reduce((t, [, w]) => t + w.bytes, 0);
  return mdTable(
    ['event', 'events', 'bytes', 'bytes / turn', 'share', 'stored payloads'],
    [
      ...rows.map(([kind, w]) => [
        kind,
        w.events,
        w.bytes,
        answered ? Math.round(w.bytes / answered) : '—',
        `${((100 * w.bytes) / total).toFixed(1)}%`,
        w.storedPayloads,
      ]),
      [
        'total',
        rows.reduce((t, [, w]) => t + w.events, 0),
        total,
        answered ? Math.round(total / answered) : '—',
        '',
        rows.reduce((t, [, w]) => t + w.storedPayloads, 0),
      ],
    ],
    ['l', 'r', 'r', 'r', 'r', 'r']
  );
}

export function terminalTable(r: ConversationBenchResult): string {
  const c = r.conversation;
  const figures = textTable(
    ['figure', 'value'],
    [
      ['turns answered / asked', `${c.answered} / ${c.asked}`],
      ['lost turns', c.lost.length],
      ['continue-as-new', c.continueAsNew],
      ['history per turn (chain total ÷ turns)', kb(c.bytesPerTurn.chain)],
      ['history per turn (largest run ÷ its turns)', kb(c.bytesPerTurn.maxRun)],
      [
        'bytes one answer adds (p50 / p95 / max)',
        `${c.bytesPerTurn.added.p50} / ${c.bytesPerTurn.added.p95} / ${c.bytesPerTurn.added.max}`,
      ],
      ['chain history / events', `${c.total.historyBytes} B / ${c.total.events}`],
      ['stored payloads (chain)', `${c.total.storedPayloads}, ${c.total.storedBytes} B`],
      ['worker kills', r.kills.length],
      ['research run history', `${r.research.historyBytes} B (${r.research.events} events)`],
      ['wall time', `${(r.wallMs / 1000).toFixed(1)} s`],
    ]
  );
  return `${figures}\n\n${textTable(RUN_HEADER, runRows(r))}`;
}

export function benchMarkdown(r: ConversationBenchResult): string {
  const c = r.conversation;
  const s = r.settings;
  const lines = [
    generatedNote(r.command, new Date(r.startedAt)),
    '',
    '# Conversation bench: bounded history',
    '',
    `**${r.verdict.line}**`,
    '',
    `${s.turns} questions about one research report ("${s.research.question}", offline model, no clarification, ` +
      `default corpus), asked one after another through \`ConversationClient\` ` +
      `(${s.follow ? 'each answer followed on its stream, as `steadfast ask` does in a terminal' : 'answers awaited without following the stream, as `steadfast ask --json` does'}), ` +
      `${s.workers} \`steadfast worker\` process(es), ${s.kills} SIGKILL(s) at seeded turns (seed ${s.seed}), ` +
      `model latency ${s.latencyMs} ms, hand-over bounds ` +
      `${s.handover ? `${s.handover.historyBytes} bytes / ${s.handover.historyEvents} events` : 'the workflow defaults'}. ` +
      `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.os}, Node ${r.machine.node}.`,
    '',
    mdTable(
      ['figure', 'value'],
      [
        ['turns answered / asked', `${c.answered} / ${c.asked}`],
        ['lost turns', c.lost.length],
        ['continue-as-new', c.continueAsNew],
        [
          'history per turn: chain total ÷ turns',
          `${kb(c.bytesPerTurn.chain)} (limit ${kb(MAX_BYTES_PER_TURN)})`,
        ],
        ['history per turn: largest run ÷ its turns', kb(c.bytesPerTurn.maxRun)],
        [
          'bytes one answer adds to its run (p50 / p95 / max)',
          `${c.bytesPerTurn.added.p50} / ${c.bytesPerTurn.added.p95} / ${c.bytesPerTurn.added.max}`,
        ],
        ['events per turn (chain)', fmt(c.eventsPerTurn)],
        ['chain history', `${c.total.historyBytes} bytes, ${c.total.events} events`],
        ['stored payloads (chain)', `${c.total.storedPayloads} payloads, ${c.total.storedBytes} bytes`],
        ['turn time p50 / p95 / max', `${c.turnMs.p50} / ${c.turnMs.p95} / ${c.turnMs.max} ms`],
        [
          'final state',
          `${c.finalState.turns} turns (${c.finalState.recent} kept whole, ${c.finalState.earlier} summarised), ${c.finalState.phase}`,
        ],
        [
          'research run',
          `${r.research.historyBytes} bytes of history (limit ${kb(MAX_RESEARCH_BYTES)}), ${r.research.events} events, ` +
            `${r.research.storedPayloads} stored payloads (${r.research.storedBytes} bytes), ${r.research.citations} citations`,
        ],
        ['wall time', `${(r.wallMs / 1000).toFixed(1)} s`],
      ],
      ['l', 'r']
    ),
    '',
    '## Runs of the conversation',
    '',
    mdTable(RUN_HEADER, runRows(r), ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
    'Stored payloads are counted per run: one carried into the next run’s input is stored once and counted in both.',
    '',
    '## Where the history bytes are',
    '',
    'Each event of the chain, encoded, summed by kind (the sum is close to Temporal’s history size):',
    '',
    weightsTable(r),
    '',
    '## Worker kills',
    '',
    r.kills.length
      ? mdTable(
          ['question', 'at', 'worker', 'model calls open', 'worker back in', 'turn took'],
          r.kills.map((k) => [
            k.asked,
            `${(k.atMs / 1000).toFixed(1)} s`,
            `${k.worker} (pid ${k.pid})`,
            k.openModelCalls,
            k.restartedInMs === undefined ? '—' : `${k.restartedInMs} ms`,
            `${r.turns[k.asked - 1]?.ms ?? '—'} ms`,
          ]),
          ['r', 'r', 'l', 'r', 'r', 'r']
        )
      : 'None.',
    '',
  ];
  if (c.lost.length) {
    lines.push(
      '## Lost turns',
      '',
      mdTable(
        ['question', 'update id', 'why'],
        c.lost.map((l) => [l.asked ?? '—', l.updateId, l.reason])
      ),
      ''
    );
  }
  return `${lines.join('\n')}\n`;
}
