/**
 * `steadfast compare`: the research task three ways — (a) pure prompting, (b) Agents SDK in one
 * plain process, (c) the durable workflow — under the same faults, on the same model server.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareCorpus } from '../../src/activities/corpus.js';
import { countRepeatedCompletedCalls, readRequestLog } from '../../src/models/request-log.js';
import { startModelServer, type ModelServerHandle } from '../../src/models/server.js';
import { packageRoot } from '../../src/paths.js';
import { activitiesOf } from '../../src/testing/history.js';
import { connectClient, killWorker, prebuildBundle, spawnWorker, startDevServer, type WorkerProcess } from '../lib/cluster.js';
import { seededRandom } from '../lib/prng.js';
import { linesOfCode } from './loc.js';

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
  tokens: number;
  sideEffects: number;
  reviewItems: number;
  faultAtMs?: number;
  note?: string;
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
  outcomes: Outcome[];
  loc: Record<Approach, number>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const SCRIPTS: Record<'prompt' | 'agents', string> = {
  prompt: path.join(packageRoot, 'bench', 'compare', 'plain-prompt.ts'),
  agents: path.join(packageRoot, 'bench', 'compare', 'plain-agents.ts'),
};

export async function runCompare(opts: { seed?: number; latencyMs?: number; outageMs?: number; toolFaultRate?: number; command?: string; log?: (l: string) => void } = {}): Promise<CompareResult> {
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 3;
  const latencyMs = opts.latencyMs ?? 100;
  const outageMs = opts.outageMs ?? 4000;
  const toolFaultRate = opts.toolFaultRate ?? 0.3;
  const random = seededRandom(seed);
  const t0 = Date.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steadfast-compare-'));
  process.env.STEADFAST_DATA_DIR = dataDir;
  const server = await startDevServer(dataDir);
  await prebuildBundle(dataDir);
  await prepareCorpus({});
  const { client, connection } = await connectClient(server.address);
  const question = 'How should activity retries and timeouts be configured for reliable workflows?';
  const outcomes: Outcome[] = [];
  const baseline = new Map<Approach, number>();

  for (const scenario of SCENARIOS) {
    for (const approach of APPROACHES) {
      const logFile = path.join(dataDir, 'logs', `${approach}-${scenario}.jsonl`);
      const model = await startModelServer({ port: 0, latencyMs, logFile });
      const id = `compare-${approach}-${scenario}-${t0}`;
      // The fault lands at a seeded random point in the middle of the approach's fault-free run.
      const base = baseline.get(approach) ?? 3000;
      const faultAt = scenario === 'none' || scenario === 'tool-bug' ? undefined : Math.round(base * (0.3 + 0.4 * random.next()));
      const outage = (at: number) => scheduleOutage(model, at, outageMs);
      const started = Date.now();
      let outcome: Outcome;
      if (approach === 'durable') outcome = await runDurable({ client, server: server.address, dataDir, model, id, question, scenario, faultAt, outage, toolFaultRate });
      else outcome = await runPlain({ approach, model, id, question, scenario, faultAt, outage, toolFaultRate, dataDir });
      outcome.wallMs = Date.now() - started;
      outcome.faultAtMs = faultAt;
      await model.close();
      const entries = await readRequestLog(logFile);
      outcome.modelRequests = entries.length;
      outcome.modelCompleted = entries.filter((e) => e.outcome === 'completed').length;
      outcome.repeatedCalls = countRepeatedCompletedCalls(entries);
      if (scenario === 'none') baseline.set(approach, outcome.wallMs);
      outcomes.push(outcome);
      log(`compare: ${approach} / ${scenario}: ${outcome.completed ? 'completed' : 'FAILED'} in ${(outcome.wallMs / 1000).toFixed(1)} s, ${outcome.attempts} attempt(s), ${outcome.modelCompleted} model calls (${outcome.repeatedCalls} repeated), ${outcome.sideEffects} report writes`);
    }
  }
  await connection.close();
  await server.stop();
  const loc: Record<Approach, number> = {
    prompt: linesOfCode([SCRIPTS.prompt]),
    agents: linesOfCode([SCRIPTS.agents]),
    durable: linesOfCode([path.join(packageRoot, 'src', 'workflows', 'research.ts')]),
  };
  return { command: opts.command ?? 'npx steadfast compare', startedAt: new Date(t0).toISOString(), wallMs: Date.now() - t0, question, latencyMs, outageMs, toolFaultRate, seed, outcomes, loc };
}

/** Makes the model endpoint unreachable (every request gets a connection reset) for `ms`, starting `at` ms from now. */
function scheduleOutage(model: ModelServerHandle, at: number, ms: number): void {
  setTimeout(() => {
    model.configure({ rateReset: 1 });
    setTimeout(() => model.configure({ rateReset: 0 }), ms);
  }, at);
}

interface PlainArgs {
  approach: 'prompt' | 'agents';
  model: ModelServerHandle;
  id: string;
  question: string;
  scenario: Scenario;
  faultAt?: number;
  outage: (at: number) => void;
  toolFaultRate: number;
  dataDir: string;
}

/** A plain script under a supervisor: on a crash or an error it is restarted from scratch (at most 3 attempts). */
async function runPlain(a: PlainArgs): Promise<Outcome> {
  const journal = path.join(a.dataDir, 'logs', `${a.id}.journal.jsonl`);
  if (a.scenario === 'outage' && a.faultAt !== undefined) a.outage(a.faultAt);
  let attempts = 0;
  let completed = false;
  while (attempts < 3 && !completed) {
    attempts++;
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPTS[a.approach]], {
      cwd: packageRoot,
      env: {
        ...process.env,
        OPENAI_BASE_URL: a.model.baseURL,
        OPENAI_AGENTS_DISABLE_TRACING: '1',
        COMPARE_QUESTION: a.question,
        COMPARE_ID: a.id,
        COMPARE_JOURNAL: journal,
        COMPARE_TOOL_FAULT_RATE: a.scenario === 'tool-bug' ? String(a.toolFaultRate) : '0',
      },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    if (a.scenario === 'crash' && attempts === 1 && a.faultAt !== undefined) {
      const timer = setTimeout(() => child.kill('SIGKILL'), a.faultAt);
      void exited.then(() => clearTimeout(timer));
    }
    completed = (await exited) === 0;
    if (!completed) await sleep(1000);
  }
  const lines = existsSync(journal) ? readFileSync(journal, 'utf8').trim().split('\n').filter(Boolean) : [];
  return {
    approach: a.approach,
    scenario: a.scenario,
    completed,
    wallMs: 0,
    attempts,
    modelRequests: 0,
    modelCompleted: 0,
    repeatedCalls: 0,
    tokens: 0,
    sideEffects: lines.filter((l) => l.includes('side effect')).length,
    reviewItems: lines.length,
  };
}

interface DurableArgs {
  client: Awaited<ReturnType<typeof connectClient>>['client'];
  server: string;
  dataDir: string;
  model: ModelServerHandle;
  id: string;
  question: string;
  scenario: Scenario;
  faultAt?: number;
  outage: (at: number) => void;
  toolFaultRate: number;
}

/** The durable workflow: on a crash the worker is SIGKILLed and a new one started; Temporal resumes the run. */
async function runDurable(a: DurableArgs): Promise<Outcome> {
  const taskQueue = `compare-${a.id}`;
  const start = (): WorkerProcess =>
    spawnWorker({ address: a.server, taskQueue, dataDir: a.dataDir, modelBaseURL: a.model.baseURL, toolFaultRate: a.scenario === 'tool-bug' ? a.toolFaultRate : 0, toolFaultSeed: 5 });
  let worker = start();
  await worker.ready;
  const handle = await a.client.workflow.start('research', {
    taskQueue,
    workflowId: a.id,
    args: [{ question: a.question, requestId: a.id, clarify: false, format: 'report' }],
  });
  if (a.scenario === 'outage' && a.faultAt !== undefined) a.outage(a.faultAt);
  let attempts = 1;
  if (a.scenario === 'crash' && a.faultAt !== undefined) {
    await sleep(a.faultAt);
    await killWorker(worker);
    attempts++;
    worker = start();
    await worker.ready;
  }
  let completed: boolean;
  let tokens = 0;
  try {
    const result = (await handle.result()) as { usage: { totalTokens: number } };
    completed = true;
    tokens = result.usage.totalTokens;
  } catch {
    completed = false;
  }
  const events = (await handle.fetchHistory()).events ?? [];
  const renders = activitiesOf(events).filter((x) => x.activityType === 'renderReport');
  await killWorker(worker, 'SIGTERM');
  return {
    approach: 'durable',
    scenario: a.scenario,
    completed,
    wallMs: 0,
    attempts,
    modelRequests: 0,
    modelCompleted: 0,
    repeatedCalls: 0,
    tokens,
    // Render attempts that started (each may have written the files); the artifact store keeps one file per key.
    sideEffects: renders.reduce((s, r) => s + r.attempt, 0),
    reviewItems: events.length,
  };
}
