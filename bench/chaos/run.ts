/**
 * `steadfast chaos`: research runs under worker SIGKILLs, model faults, tool faults and
 * (optionally) a Temporal server restart; then every run and every model call is checked.
 */
import { mkdtempSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { ResearchClient } from '../../src/client/research.js';
import { prepareCorpus } from '../../src/activities/corpus.js';
import { safeWorkflowFolder } from '../../src/common/run-folders.js';
import { readRequestLog } from '../../src/model-server/request-log.js';
import { startModelServer, type ModelServerHandle } from '../../src/model-server/server.js';
import { activitiesOf } from '../../src/testing/history.js';
import { statusQuery } from '../../src/workflows/messages.js';
import { connectClient, killWorker, prebuildBundle, spawnWorker, startDevServer, type WorkerProcess } from '../lib/cluster.js';
import { accountCalls, type Incarnation } from './accounting.js';
import { checkRun } from './checks.js';
import { chaosMarkdown, terminalTable, verdictOf, type ChaosResult, type ChaosSettings, type KillRecord, type RunRecord } from './report.js';
import { KillScheduler } from './schedule.js';
import type { ResearchResult } from '../../src/common/research-types.js';

type Event = temporal.api.history.v1.IHistoryEvent;

export const MODEL_ACTIVITY_TYPE = 'invokeModelActivity';

export const CHAOS_DEFAULTS: ChaosSettings = {
  runs: 16,
  workers: 2,
  seed: 7,
  killEveryMs: 2500,
  modelFaultRate: 0.06,
  toolFaultRate: 0.05,
  latencyMs: 100,
  staggerMs: 2000,
  restartServer: false,
};

export interface ChaosOptions extends Partial<ChaosSettings> {
  dataDir?: string;
  /** Where chaos.md / chaos.json go; undefined = do not write. */
  outDir?: string;
  /** Give up waiting for runs after this long (they then fail their checks). */
  timeoutMs?: number;
  command?: string;
  log?: (line: string) => void;
}

const QUESTIONS = [
  'How do Temporal workflows stay deterministic during replay?',
  'How should activity retries and timeouts be configured?',
  'How do agents hand off work to other agents?',
  'How are tool calls defined and validated for an agent?',
  'What does a worker do when it polls a task queue?',
  'How do signals, queries and updates differ?',
];
const ANSWERS = ['TypeScript on Node 20', 'a small team, production use', 'reliability over speed', 'no preference'];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Slot {
  index: number;
  generation: number;
  worker?: WorkerProcess;
  model?: ModelServerHandle;
  incarnation?: Incarnation & { logFile: string; startedAt: number };
}

export async function runChaos(options: ChaosOptions = {}): Promise<ChaosResult> {
  const settings: ChaosSettings = { ...CHAOS_DEFAULTS, ...stripUndefined(options) };
  const log = options.log ?? (() => {});
  const t0 = Date.now();
  const since = () => Date.now() - t0;
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : mkdtempSync(path.join(os.tmpdir(), 'steadfast-chaos-'));
  process.env.STEADFAST_DATA_DIR = dataDir;
  const logDir = path.join(dataDir, 'chaos-logs', String(t0));
  await mkdir(logDir, { recursive: true });
  const taskQueue = `chaos-${t0}`;

  log(`chaos: data dir ${dataDir}`);
  const server = await startDevServer(dataDir, (l) => log(`  ${l}`));
  log(`chaos: Temporal dev server ${server.address} (UI ${server.uiUrl})`);
  await prebuildBundle(dataDir);
  await prepareCorpus({});
  log(`chaos: workflow bundle and corpus index ready (${since()} ms)`);

  const split = settings.modelFaultRate / 3;
  const faults = { rate429: split, rate500: split, rateReset: split, retryAfterSeconds: 1 };
  const incarnations: (Incarnation & { logFile: string; startedAt: number })[] = [];
  const slots: Slot[] = Array.from({ length: settings.workers }, (_, index) => ({ index, generation: 0 }));

  const startSlot = async (slot: Slot): Promise<void> => {
    slot.generation++;
    const name = `w${slot.index + 1}#${slot.generation}`;
    const logFile = path.join(logDir, `${name.replace('#', '-')}.jsonl`);
    const seed = settings.seed * 1000 + slot.index * 100 + slot.generation;
    slot.model = await startModelServer({ port: 0, latencyMs: settings.latencyMs, faults: { ...faults, seed }, logFile });
    slot.worker = spawnWorker({
      address: server.address,
      taskQueue,
      dataDir,
      modelBaseURL: slot.model.baseURL,
      toolFaultRate: settings.toolFaultRate,
      toolFaultSeed: seed,
    });
    slot.incarnation = { name, identity: slot.worker.identity, entries: [], logFile, startedAt: since() };
    incarnations.push(slot.incarnation);
    await slot.worker.ready;
  };

  await Promise.all(slots.map(startSlot));
  log(`chaos: ${settings.workers} workers polling "${taskQueue}" (${since()} ms)`);

  const { client, connection } = await connectClient(server.address);
  const research = new ResearchClient({ client, taskQueue });
  const runs: { workflowId: string; format: 'report' | 'checklist'; answered: boolean; done: boolean; execution: string }[] = [];
  const deadline = t0 + (options.timeoutMs ?? 270_000);
  let launched = false;
  const allDone = () => launched && runs.every((r) => r.done);

  // Drivers: answer the clarification Update when it is pending; notice when a run closes.
  const drive = async (run: (typeof runs)[number]) => {
    while (!run.done && Date.now() < deadline) {
      try {
        const description = await research.handle(run.workflowId).describe();
        run.execution = description.status.name;
        if (run.execution !== 'RUNNING') {
          run.done = true;
          break;
        }
        if (!run.answered) {
          const status = await research.handle(run.workflowId).query(statusQuery);
          if (status.clarification === 'pending') {
            await research.answer(run.workflowId, status.questions.map((_, i) => ANSWERS[i % ANSWERS.length]!));
            run.answered = true;
            log(`chaos: answered ${status.questions.length} questions of ${run.workflowId}`);
          } else if (!['starting', 'preparing', 'triage', 'clarifying', 'awaiting_answers'].includes(status.phase)) {
            run.answered = true; // past the clarification (not needed): nothing to answer
          }
        }
      } catch {
        // A worker was killed or the server is restarting: try again shortly.
      }
      await sleep(run.answered ? 1000 : 500);
    }
  };
  // Runs start staggered, so kills land in every phase (triage, Update, searches, writing, render).
  const drivers = (async () => {
    const driving: Promise<void>[] = [];
    for (let k = 0; k < settings.runs; k++) {
      if (k > 0) await sleep(settings.staggerMs);
      const format = k % 2 === 0 ? 'report' : 'checklist';
      const question = `${QUESTIONS[k % QUESTIONS.length]} (chaos case ${k + 1})`;
      for (;;) {
        try {
          const { workflowId } = await research.start({ question, format, requestId: `chaos-${t0}-${k + 1}`, clarify: true });
          const run = { workflowId, format, answered: false, done: false, execution: 'RUNNING' } as const;
          runs.push({ ...run });
          driving.push(drive(runs.at(-1)!));
          log(`chaos: started ${workflowId} (${format})`);
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await sleep(500); // the server may be restarting; the start is idempotent by requestId
        }
      }
    }
    launched = true;
    await Promise.all(driving);
  })();

  // The kill loop (and the optional server restart, between kills).
  const kills: KillRecord[] = [];
  let serverRestart: ChaosResult['serverRestart'];
  const scheduler = new KillScheduler({ seed: settings.seed, everyMs: settings.killEveryMs, workers: settings.workers, maxKills: settings.maxKills });
  const chaosLoop = (async () => {
    let restarted = !settings.restartServer;
    for (;;) {
      const next = scheduler.next();
      if (!next) return;
      const wakeAt = Date.now() + next.delayMs;
      while (Date.now() < wakeAt && !allDone() && Date.now() < deadline) await sleep(Math.min(200, wakeAt - Date.now()));
      if (allDone() || Date.now() >= deadline) return;
      if (!restarted && kills.length >= 1) {
        restarted = true;
        const at = since();
        log(`chaos: restarting the Temporal dev server (same db) at ${(at / 1000).toFixed(1)} s`);
        const downMs = await server.restart();
        serverRestart = { atMs: at, downMs };
        for (const s of slots) if (s.incarnation) s.incarnation.spannedServerRestart = true;
        log(`chaos: dev server back after ${downMs} ms`);
        continue;
      }
      const slot = slots[next.slot]!;
      await slot.worker!.ready.catch(() => undefined);
      const victim = slot.worker!;
      const model = slot.model!;
      // Read the open-request count and kill in the same tick: no request can slip in between.
      const open = model.stats().inFlight;
      const atMs = since();
      victim.child.kill('SIGKILL');
      slot.incarnation!.killedAt = atMs;
      slot.incarnation!.openAtKill = open;
      const record: KillRecord = { atMs, worker: slot.incarnation!.name, pid: victim.pid, openModelCalls: open, unacknowledgedModelCalls: 0 };
      kills.push(record);
      log(`chaos: SIGKILL ${record.worker} (pid ${victim.pid}) at ${(atMs / 1000).toFixed(1)} s with ${open} model call(s) open`);
      await victim.exited;
      await model.close();
      const restartAt = Date.now();
      await startSlot(slot);
      record.restartedInMs = Date.now() - restartAt;
    }
  })();

  await drivers;
  await chaosLoop;
  log(`chaos: all runs closed (${since()} ms); checking`);

  // Stop the workers (gracefully), then read the logs.
  await Promise.all(slots.map(async (s) => {
    if (s.worker) await killWorker(s.worker, 'SIGTERM');
    await s.model?.close();
  }));
  for (const inc of incarnations) inc.entries = await readRequestLog(inc.logFile);

  const acknowledged = new Map<string, number>();
  const records: RunRecord[] = [];
  for (const run of runs) {
    const handle = research.handle(run.workflowId);
    const description = await handle.describe();
    run.execution = description.status.name;
    const events: Event[] = (await handle.fetchHistory()).events ?? [];
    countModelCompletions(events, acknowledged);
    const acts = activitiesOf(events);
    let result: ResearchResult | undefined;
    let failure: string | undefined;
    if (run.execution === 'COMPLETED') result = await handle.result();
    else failure = await handle.result().then(() => undefined, (err: unknown) => causeChain(err));
    const check = await checkRun({
      workflowId: run.workflowId,
      execution: run.execution,
      folder: path.join(dataDir, 'artifacts', safeWorkflowFolder(run.workflowId)),
      recorded: result ? { 'report.md': result.artifacts.markdown.sha256, 'report.pdf': result.artifacts.pdf.sha256 } : undefined,
      renders: acts.filter((a) => a.activityType === 'renderReport' && a.outcome === 'completed').length,
    });
    records.push({
      workflowId: run.workflowId,
      format: run.format,
      clarification: result?.clarification ?? '—',
      answered: run.answered,
      durationMs: (description.closeTime ?? new Date()).getTime() - description.startTime.getTime(),
      modelCalls: result?.usage.requests ?? acts.filter((a) => a.activityType === MODEL_ACTIVITY_TYPE).length,
      activityRetries: acts.reduce((s, a) => s + (a.attempt - 1), 0),
      check,
      failure,
    });
  }
  await connection.close();
  await server.stop();

  const calls = accountCalls(incarnations, acknowledged);
  for (const k of kills) k.unacknowledgedModelCalls = calls.incarnations.find((i) => i.name === k.worker)?.unacknowledged ?? 0;
  const modelFaults: Record<string, number> = {};
  for (const inc of incarnations) for (const e of inc.entries) if (e.fault) modelFaults[e.fault] = (modelFaults[e.fault] ?? 0) + 1;
  const result: ChaosResult = {
    command: options.command ?? 'npx steadfast chaos',
    startedAt: new Date(t0).toISOString(),
    wallMs: since(),
    settings,
    serverRestart,
    kills,
    runs: records,
    calls,
    faults: { model: modelFaults, toolFaultRate: settings.toolFaultRate },
    verdict: verdictOf(records, calls, kills.length),
  };
  if (options.outDir) await writeChaosOutputs(result, options.outDir);
  return result;
}

/** Model activities completed per worker identity (ActivityTaskCompleted carries the identity). */
export function countModelCompletions(events: Event[], into: Map<string, number>): void {
  const types = new Map<number, string>();
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes) types.set(Number(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
    const done = e.activityTaskCompletedEventAttributes;
    if (done && types.get(Number(done.scheduledEventId)) === MODEL_ACTIVITY_TYPE) {
      const id = done.identity ?? '';
      into.set(id, (into.get(id) ?? 0) + 1);
    }
  }
}

export async function writeChaosOutputs(result: ChaosResult, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'chaos.md'), chaosMarkdown(result));
  await writeFile(path.join(outDir, 'chaos.json'), `${JSON.stringify(result, null, 2)}\n`);
}

export { terminalTable };

function causeChain(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  while (e instanceof Error && parts.length < 6) {
    parts.push(e.message);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join(' ← ').slice(0, 600);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
