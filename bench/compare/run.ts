/**
 * `steadfast compare`: the research task three ways — (a) pure prompting, (b) Agents SDK in one
 * plain process, (c) the durable workflow — under the same faults, on the same model server.
 */
import path from 'node:path';
import { packageRoot } from '../../src/common/paths.js';
import { countRepeatedCompletedCalls, readRequestLog } from '../../src/model-server/request-log.js';
import { withHarness, type Harness } from '../lib/harness.js';
import { seededRandom } from '../lib/prng.js';
import { median } from '../lib/stats.js';
import { runDurable, runPlain, SCRIPTS, type RunResult } from './approaches.js';
import { linesOfCode } from './loc.js';
import { faultCall, outageAfter, type OutageWindow } from './progress.js';
import { accountTokens, type TokenAccount } from './tokens.js';

export type Approach = 'prompt' | 'agents' | 'durable';
export type Scenario = 'none' | 'crash' | 'outage' | 'tool-bug';
export const APPROACHES: Approach[] = ['prompt', 'agents', 'durable'];
export const SCENARIOS: Scenario[] = ['none', 'crash', 'outage', 'tool-bug'];

export interface Outcome {
  approach: Approach;
  scenario: Scenario;
  completed: boolean;
  wallMs: number;
  attempts: number;
  modelRequests: number;
  modelCompleted: number;
  repeatedCalls: number;
  /** From the request log: billed, useful, wasted and repeated tokens. */
  tokens: TokenAccount;
  /** The durable run's own usage total (workflow result), a cross-check of `tokens.useful`. */
  workflowUsageTokens?: number;
  sideEffects: number;
  reviewItems: number;
  /** The fault landed after this many completed model calls. */
  faultAfterCall?: number;
  /** ms from the start of the run to the fault (crash: the SIGKILL; outage: the first reset). */
  faultAtMs?: number;
  outage?: OutageWindow;
}

export interface Baseline {
  /** Wall times of the fault-free repeats, in run order. */
  wallsMs: number[];
  medianMs: number;
  /** Completed model calls of the baseline (the same in every repeat: the model is deterministic). */
  calls: number;
}

export interface CompareResult {
  command: string;
  startedAt: string;
  wallMs: number;
  question: string;
  latencyMs: number;
  outageMs: number;
  toolFaultRate: number;
  seed: number;
  baselineRepeats: number;
  baselines: Record<Approach, Baseline>;
  /** Seeded fraction of the baseline's model calls after which each fault lands. */
  faultFractions: { crash: number; outage: number };
  outcomes: Outcome[];
  loc: Record<Approach, number>;
}

export interface CompareOptions {
  seed?: number;
  latencyMs?: number;
  /** Fraction (0..1) of each approach's baseline model calls after which the crash lands; default: seeded, late. */
  crashAt?: number;
  outageMs?: number;
  toolFaultRate?: number;
  baselineRepeats?: number;
  command?: string;
  log?: (l: string) => void;
}

const QUESTION = 'How should activity retries and timeouts be configured for reliable workflows?';

export async function runCompare(opts: CompareOptions = {}): Promise<CompareResult> {
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 3;
  const latencyMs = opts.latencyMs ?? 100;
  const outageMs = opts.outageMs ?? 4000;
  const toolFaultRate = opts.toolFaultRate ?? 0.3;
  const baselineRepeats = Math.max(1, opts.baselineRepeats ?? 3);
  const random = seededRandom(seed);
  // One point of progress per fault, shared by the three approaches: a fraction of each one's baseline
  // model calls. The crash lands late (75–90%), where a restart from scratch costs what it really costs;
  // the outage anywhere in the middle (30–70%).
  const crash = 0.75 + 0.15 * random.next();
  const faultFractions = { crash: opts.crashAt ?? crash, outage: 0.3 + 0.4 * random.next() };

  const { startedAt, baselines, outcomes } = await withHarness({ name: 'compare' }, async (h) => {
    const runOne = (approach: Approach, scenario: Scenario, tag: string, baseline?: Baseline) =>
      runScenario(h, {
        approach,
        scenario,
        tag,
        baseline,
        latencyMs,
        outageMs,
        toolFaultRate,
        faultFractions,
        log,
      });
    const outcomes: Outcome[] = [];
    const baselineRuns = new Map<Approach, Outcome[]>();
    // Baselines first, interleaved, a few times each: the median wall time is what faults are measured against.
    for (let r = 0; r < baselineRepeats; r++) {
      for (const approach of APPROACHES) {
        const o = await runOne(approach, 'none', `none-${r + 1}`);
        baselineRuns.set(approach, [...(baselineRuns.get(approach) ?? []), o]);
      }
    }
    const baselines = {} as Record<Approach, Baseline>;
    for (const approach of APPROACHES) {
      const runs = baselineRuns.get(approach)!;
      // The row shown for 'none' is the repeat whose wall time is the median (the lower middle for an even count).
      const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
      outcomes.push(byWall[(byWall.length - 1) >> 1]!);
      baselines[approach] = {
        wallsMs: runs.map((o) => o.wallMs),
        medianMs: median(runs.map((o) => o.wallMs)),
        calls: median(runs.map((o) => o.modelCompleted)),
      };
    }
    for (const scenario of SCENARIOS.filter((x) => x !== 'none')) {
      for (const approach of APPROACHES)
        outcomes.push(await runOne(approach, scenario, scenario, baselines[approach]));
    }
    return { startedAt: h.startedAt, baselines, outcomes };
  });

  const loc: Record<Approach, number> = {
    prompt: linesOfCode([SCRIPTS.prompt]),
    agents: linesOfCode([SCRIPTS.agents]),
    durable: linesOfCode([path.join(packageRoot, 'src', 'workflows', 'research.ts')]),
  };
  return {
    command: opts.command ?? 'npx steadfast compare',
    startedAt: new Date(startedAt).toISOString(),
    wallMs: Date.now() - startedAt,
    question: QUESTION,
    latencyMs,
    outageMs,
    toolFaultRate,
    seed,
    baselineRepeats,
    baselines,
    faultFractions,
    outcomes,
    loc,
  };
}

/** One approach under one scenario, on its own model server (and request log). */
async function runScenario(
  h: Harness,
  a: {
    approach: Approach;
    scenario: Scenario;
    tag: string;
    baseline?: Baseline;
    latencyMs: number;
    outageMs: number;
    toolFaultRate: number;
    faultFractions: CompareResult['faultFractions'];
    log: (line: string) => void;
  }
): Promise<Outcome> {
  const { approach, scenario, tag, baseline } = a;
  const logFile = path.join(h.dataDir, 'logs', `${approach}-${tag}.jsonl`);
  const model = await h.modelServer({ latencyMs: a.latencyMs, logFile });
  const id = `compare-${approach}-${tag}-${h.startedAt}`;
  const faultAfterCall =
    (scenario === 'crash' || scenario === 'outage') && baseline
      ? faultCall(scenario, a.faultFractions[scenario], baseline.calls)
      : undefined;
  const started = Date.now();
  const outage =
    scenario === 'outage' && faultAfterCall !== undefined
      ? outageAfter(model, faultAfterCall, a.outageMs)
      : undefined;
  const fault = {
    model,
    faultAfterCall,
    toolFaultRate: scenario === 'tool-bug' ? a.toolFaultRate : 0,
    crash: scenario === 'crash',
  };
  let run: RunResult;
  if (approach === 'durable') run = await runDurable(h, { id, question: QUESTION, ...fault });
  else run = await runPlain(h, { approach, id, question: QUESTION, ...fault });
  const wallMs = Date.now() - started;
  outage?.cancel();
  await model.close();
  const entries = await readRequestLog(logFile);
  const outcome: Outcome = {
    approach,
    scenario,
    completed: run.completed,
    wallMs,
    attempts: run.attempts,
    modelRequests: entries.length,
    modelCompleted: entries.filter((e) => e.outcome === 'completed').length,
    repeatedCalls: countRepeatedCompletedCalls(entries),
    tokens: accountTokens(entries, run.finalAttemptFromSeq),
    workflowUsageTokens: run.workflowUsageTokens,
    sideEffects: run.sideEffects,
    reviewItems: run.reviewItems,
    faultAfterCall,
    faultAtMs:
      run.crashedAt !== undefined
        ? run.crashedAt - started
        : outage?.window.startedAt !== undefined
          ? outage.window.startedAt - started
          : undefined,
    outage: outage?.window,
  };
  a.log(
    `compare: ${approach} / ${tag}: ${outcome.completed ? 'completed' : 'FAILED'} in ${(wallMs / 1000).toFixed(1)} s, ${outcome.attempts} attempt(s), ` +
      `${outcome.modelCompleted} model calls (${outcome.repeatedCalls} repeated), ${outcome.tokens.billed} tokens (${outcome.tokens.wasted} wasted), ` +
      `${outcome.sideEffects} report writes${faultAfterCall !== undefined ? `, fault after call ${faultAfterCall}` : ''}`
  );
  return outcome;
}
