/**
 * `steadfast compare`: the research task three ways — (a) pure prompting, (b) Agents SDK in one
 * plain process, (c) the durable workflow — under the same faults, on the same model server.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareCorpus } from '../../src/activities/corpus.js';
import { countRepeatedCompletedCalls, readRequestLog } from '../../src/model-server/request-log.js';
import { startModelServer, type ModelServerHandle } from '../../src/model-server/server.js';
import { packageRoot } from '../../src/common/paths.js';
import { activitiesOf } from '../../src/testing/history.js';
import { research } from '../../src/workflows/research.js';
import { connectClient, killWorker, prebuildBundle, spawnWorker, startDevServer, type WorkerProcess } from '../lib/cluster.js';
import { seededRandom } from '../lib/prng.js';
import { median } from '../lib/stats.js';
import { linesOfCode } from './loc.js';
import { afterCompletedCalls, faultCall, outageAfter, type OutageWindow } from './progress.js';
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

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const SCRIPTS: Record<'prompt' | 'agents', string> = {
  prompt: path.join(packageRoot, 'bench', 'compare', 'plain-prompt.ts'),
  agents: path.join(packageRoot, 'bench', 'compare', 'plain-agents.ts'),
};

export async function runCompare(
  opts: { seed?: number; latencyMs?: number; outageMs?: number; toolFaultRate?: number; baselineRepeats?: number; command?: string; log?: (l: string) => void } = {}
): Promise<CompareResult> {
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 3;
  const latencyMs = opts.latencyMs ?? 100;
  const outageMs = opts.outageMs ?? 4000;
  const toolFaultRate = opts.toolFaultRate ?? 0.3;
  const baselineRepeats = Math.max(1, opts.baselineRepeats ?? 3);
  const random = seededRandom(seed);
  // One point of progress per fault, shared by the three approaches: a fraction (30–70%) of each one's baseline model calls.
  const faultFractions = { crash: 0.3 + 0.4 * random.next(), outage: 0.3 + 0.4 * random.next() };
  const t0 = Date.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steadfast-compare-'));
  process.env.STEADFAST_DATA_DIR = dataDir;
  const server = await startDevServer(dataDir);
  await prebuildBundle(dataDir);
  await prepareCorpus({});
  const { client, connection } = await connectClient(server.address);
  const question = 'How should activity retries and timeouts be configured for reliable workflows?';
  const outcomes: Outcome[] = [];
  const baselineRuns = new Map<Approach, Outcome[]>();

  const runOne = async (approach: Approach, scenario: Scenario, tag: string, baseline?: Baseline): Promise<Outcome> => {
    const logFile = path.join(dataDir, 'logs', `${approach}-${tag}.jsonl`);
    const model = await startModelServer({ port: 0, latencyMs, logFile });
    const id = `compare-${approach}-${tag}-${t0}`;
    const faultAfterCall =
      (scenario === 'crash' || scenario === 'outage') && baseline ? faultCall(scenario, faultFractions[scenario], baseline.calls) : undefined;
    const started = Date.now();
    const outage = scenario === 'outage' && faultAfterCall !== undefined ? outageAfter(model, faultAfterCall, outageMs) : undefined;
    const fault = { model, faultAfterCall, toolFaultRate: scenario === 'tool-bug' ? toolFaultRate : 0, crash: scenario === 'crash' };
    let run: RunResult;
    if (approach === 'durable') run = await runDurable({ client, server: server.address, dataDir, id, question, ...fault });
    else run = await runPlain({ approach, id, question, dataDir, ...fault });
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
      faultAtMs: run.crashedAt !== undefined ? run.crashedAt - started : outage?.window.startedAt !== undefined ? outage.window.startedAt - started : undefined,
      outage: outage?.window,
    };
    log(
      `compare: ${approach} / ${tag}: ${outcome.completed ? 'completed' : 'FAILED'} in ${(wallMs / 1000).toFixed(1)} s, ${outcome.attempts} attempt(s), ` +
        `${outcome.modelCompleted} model calls (${outcome.repeatedCalls} repeated), ${outcome.tokens.billed} tokens (${outcome.tokens.wasted} wasted), ` +
        `${outcome.sideEffects} report writes${faultAfterCall !== undefined ? `, fault after call ${faultAfterCall}` : ''}`
    );
    return outcome;
  };

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
    const medianMs = median(runs.map((o) => o.wallMs));
    // The row shown for 'none' is the repeat whose wall time is the median (the lower middle for an even count).
    const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
    outcomes.push(byWall[(byWall.length - 1) >> 1]!);
    baselines[approach] = { wallsMs: runs.map((o) => o.wallMs), medianMs, calls: median(runs.map((o) => o.modelCompleted)) };
  }
  for (const scenario of SCENARIOS.filter((x) => x !== 'none')) {
    for (const approach of APPROACHES) outcomes.push(await runOne(approach, scenario, scenario, baselines[approach]));
  }
  await connection.close();
  await server.stop();
  const loc: Record<Approach, number> = {
    prompt: linesOfCode([SCRIPTS.prompt]),
    agents: linesOfCode([SCRIPTS.agents]),
    durable: linesOfCode([path.join(packageRoot, 'src', 'workflows', 'research.ts')]),
  };
  return {
    command: opts.command ?? 'npx steadfast compare',
    startedAt: new Date(t0).toISOString(),
    wallMs: Date.now() - t0,
    question,
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

/** What one run reports besides what the request log tells. */
interface RunResult {
  completed: boolean;
  attempts: number;
  sideEffects: number;
  reviewItems: number;
  /** First request seq of the attempt that delivered the result (see accountTokens). */
  finalAttemptFromSeq: number;
  crashedAt?: number;
  workflowUsageTokens?: number;
}

interface FaultArgs {
  model: ModelServerHandle;
  /** Crash or outage after this many completed model calls. */
  faultAfterCall?: number;
  crash: boolean;
  toolFaultRate: number;
}

interface PlainArgs extends FaultArgs {
  approach: 'prompt' | 'agents';
  id: string;
  question: string;
  dataDir: string;
}

/** A plain script under a supervisor: on a crash or an error it is restarted from scratch (at most 3 attempts). */
async function runPlain(a: PlainArgs): Promise<RunResult> {
  const journal = path.join(a.dataDir, 'logs', `${a.id}.journal.jsonl`);
  let attempts = 0;
  let completed = false;
  let finalAttemptFromSeq = 0;
  let crashedAt: number | undefined;
  while (attempts < 3 && !completed) {
    attempts++;
    finalAttemptFromSeq = a.model.stats().requests + 1;
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPTS[a.approach]], {
      cwd: packageRoot,
      env: {
        ...process.env,
        OPENAI_BASE_URL: a.model.baseURL,
        OPENAI_AGENTS_DISABLE_TRACING: '1',
        COMPARE_QUESTION: a.question,
        COMPARE_ID: a.id,
        COMPARE_JOURNAL: journal,
        COMPARE_TOOL_FAULT_RATE: String(a.toolFaultRate),
      },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    if (a.crash && attempts === 1 && a.faultAfterCall !== undefined) {
      // SIGKILL in the same tick the Nth model response ends: the script has paid for N calls and keeps none.
      const off = afterCompletedCalls(a.model, a.faultAfterCall, () => {
        crashedAt = Date.now();
        child.kill('SIGKILL');
      });
      void exited.then(off);
    }
    completed = (await exited) === 0;
    if (!completed) await sleep(1000);
  }
  const lines = existsSync(journal) ? readFileSync(journal, 'utf8').trim().split('\n').filter(Boolean) : [];
  return {
    completed,
    attempts,
    sideEffects: lines.filter((l) => l.includes('side effect')).length,
    reviewItems: lines.length,
    finalAttemptFromSeq,
    crashedAt,
  };
}

interface DurableArgs extends FaultArgs {
  client: Awaited<ReturnType<typeof connectClient>>['client'];
  server: string;
  dataDir: string;
  id: string;
  question: string;
}

/** The durable workflow: on a crash the worker is SIGKILLed and a new one started; Temporal resumes the run. */
async function runDurable(a: DurableArgs): Promise<RunResult> {
  const taskQueue = `compare-${a.id}`;
  const start = (): WorkerProcess =>
    spawnWorker({ address: a.server, taskQueue, dataDir: a.dataDir, modelBaseURL: a.model.baseURL, toolFaultRate: a.toolFaultRate, toolFaultSeed: 5 });
  let worker = start();
  let attempts = 1;
  let crashedAt: number | undefined;
  let replaced: Promise<void> = Promise.resolve();
  if (a.crash && a.faultAfterCall !== undefined) {
    const first = worker;
    afterCompletedCalls(a.model, a.faultAfterCall, () => {
      crashedAt = Date.now();
      first.child.kill('SIGKILL');
      attempts++;
      replaced = (async () => {
        await first.exited;
        worker = start();
        await worker.ready;
      })();
    });
  }
  await worker.ready;
  const handle = await a.client.workflow.start(research, {
    taskQueue,
    workflowId: a.id,
    args: [{ question: a.question, requestId: a.id, clarify: false, format: 'report' }],
  });
  let completed: boolean;
  let workflowUsageTokens: number | undefined;
  try {
    const result = await handle.result();
    completed = true;
    workflowUsageTokens = result.usage.totalTokens;
  } catch {
    completed = false;
  }
  await replaced;
  const events = (await handle.fetchHistory()).events ?? [];
  const renders = activitiesOf(events).filter((x) => x.activityType === 'renderReport');
  await killWorker(worker, 'SIGTERM');
  return {
    completed,
    attempts,
    // Render attempts that started (each may have written the files); the artifact store keeps one file per key.
    sideEffects: renders.reduce((s, r) => s + r.attempt, 0),
    reviewItems: events.length,
    // The workflow resumes from its history: one logical attempt, nothing it completed is discarded.
    finalAttemptFromSeq: 0,
    crashedAt,
    workflowUsageTokens,
  };
}
