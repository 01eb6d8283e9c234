/**
 * `steadfast chaos`: research runs under worker SIGKILLs, model faults, tool faults and
 * (optionally) a Temporal server restart; then every run and every model call is checked.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { ResearchClient } from '../../src/client/research.js';
import type { ResearchResult } from '../../src/common/research-types.js';
import { safeWorkflowFolder } from '../../src/common/run-folders.js';
import { readRequestLog } from '../../src/model-server/request-log.js';
import { activitiesOf } from '../../src/testing/history.js';
import { withHarness, type Harness, type SlotId, type WorkerSlot } from '../lib/harness.js';
import { accountCalls, type Incarnation } from './accounting.js';
import { checkRun } from './checks.js';
import { driveRuns, type ChaosRun } from './drive.js';
import {
  chaosMarkdown,
  terminalTable,
  verdictOf,
  type ChaosResult,
  type ChaosSettings,
  type KillRecord,
  type RunRecord,
} from './report.js';
import { KillScheduler } from './schedule.js';

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

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type LoggedIncarnation = Incarnation & { logFile: string };

export async function runChaos(options: ChaosOptions = {}): Promise<ChaosResult> {
  const settings: ChaosSettings = { ...CHAOS_DEFAULTS, ...stripUndefined(options) };
  const log = options.log ?? (() => {});
  const split = settings.modelFaultRate / 3;
  const faults = { rate429: split, rate500: split, rateReset: split, retryAfterSeconds: 1 };
  // One seed per worker process, for its model faults and its tool faults alike.
  const seedOf = (slot: SlotId) => settings.seed * 1000 + slot.index * 100 + slot.generation;
  const incarnations: LoggedIncarnation[] = [];
  const incarnationOf = (slot: WorkerSlot) => incarnations.find((i) => i.name === slot.name)!;

  const observed = await withHarness(
    {
      name: 'chaos',
      dataDir: options.dataDir,
      workers: settings.workers,
      requestLogs: true,
      model: (slot) => ({ latencyMs: settings.latencyMs, faults: { ...faults, seed: seedOf(slot) } }),
      worker: (slot) => ({ toolFaultRate: settings.toolFaultRate, toolFaultSeed: seedOf(slot) }),
      onSpawn: (slot) =>
        incarnations.push({
          name: slot.name,
          identity: slot.worker.identity,
          entries: [],
          logFile: slot.logFile!,
        }),
      log,
    },
    async (h) => {
      const deadline = h.startedAt + (options.timeoutMs ?? 270_000);
      const research = new ResearchClient({ client: h.client, taskQueue: h.taskQueue });
      const driving = driveRuns({
        research,
        settings,
        deadline,
        requestIdPrefix: `chaos-${h.startedAt}`,
        log,
      });
      const [runs, chaos] = await Promise.all([
        driving.done,
        chaosLoop(h, settings, { deadline, allDone: driving.allDone, incarnationOf, log }),
      ]);
      log(`chaos: all runs closed (${Date.now() - h.startedAt} ms); checking`);
      // Stop the workers (gracefully) and their model servers: the request logs are then complete.
      await h.stopWorkers();
      for (const inc of incarnations) inc.entries = await readRequestLog(inc.logFile);
      const acknowledged = new Map<string, number>();
      const records: RunRecord[] = [];
      for (const run of runs) records.push(await recordRun(h, research, run, acknowledged));
      return { ...chaos, records, acknowledged, startedAt: h.startedAt };
    }
  );

  const { kills, serverRestart, records, acknowledged, startedAt } = observed;
  const calls = accountCalls(incarnations, acknowledged);
  for (const k of kills)
    k.unacknowledgedModelCalls = calls.incarnations.find((i) => i.name === k.worker)?.unacknowledged ?? 0;
  const modelFaults: Record<string, number> = {};
  for (const inc of incarnations)
    for (const e of inc.entries) if (e.fault) modelFaults[e.fault] = (modelFaults[e.fault] ?? 0) + 1;
  const result: ChaosResult = {
    command: options.command ?? 'npx steadfast chaos',
    startedAt: new Date(startedAt).toISOString(),
    wallMs: Date.now() - startedAt,
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

/**
 * Kills workers on a seeded schedule until the runs are done (and, with `restartServer`, restarts
 * the dev server once, between kills); each killed worker is replaced by a fresh process.
 */
async function chaosLoop(
  h: Harness,
  settings: ChaosSettings,
  ctx: {
    deadline: number;
    allDone: () => boolean;
    incarnationOf: (slot: WorkerSlot) => Incarnation;
    log: (line: string) => void;
  }
): Promise<{ kills: KillRecord[]; serverRestart?: ChaosResult['serverRestart'] }> {
  const { deadline, allDone, incarnationOf, log } = ctx;
  const since = () => Date.now() - h.startedAt;
  const kills: KillRecord[] = [];
  let serverRestart: ChaosResult['serverRestart'];
  const scheduler = new KillScheduler({
    seed: settings.seed,
    everyMs: settings.killEveryMs,
    workers: settings.workers,
    maxKills: settings.maxKills,
  });
  let restarted = !settings.restartServer;
  for (;;) {
    const next = scheduler.next();
    if (!next) break;
    const wakeAt = Date.now() + next.delayMs;
    while (Date.now() < wakeAt && !allDone() && Date.now() < deadline)
      await sleep(Math.min(200, wakeAt - Date.now()));
    if (allDone() || Date.now() >= deadline) break;
    if (!restarted && kills.length >= 1) {
      restarted = true;
      const at = since();
      log(`chaos: restarting the Temporal dev server (same db) at ${(at / 1000).toFixed(1)} s`);
      const downMs = await h.server.restart();
      serverRestart = { atMs: at, downMs };
      for (const s of h.slots) incarnationOf(s).spannedServerRestart = true;
      log(`chaos: dev server back after ${downMs} ms`);
      continue;
    }
    const slot = h.slots[next.slot]!;
    await slot.worker.ready.catch(() => undefined);
    const victim = slot.worker;
    const incarnation = incarnationOf(slot);
    // Read the open-request count and kill in the same tick: no request can slip in between.
    const open = slot.model.stats().inFlight;
    const atMs = since();
    const gone = victim.kill('SIGKILL');
    incarnation.killedAt = atMs;
    incarnation.openAtKill = open;
    const record: KillRecord = {
      atMs,
      worker: slot.name,
      pid: victim.pid,
      openModelCalls: open,
      unacknowledgedModelCalls: 0,
    };
    kills.push(record);
    log(
      `chaos: SIGKILL ${record.worker} (pid ${victim.pid}) at ${(atMs / 1000).toFixed(1)} s with ${open} model call(s) open`
    );
    await gone;
    record.restartedInMs = await slot.replace();
  }
  return { kills, serverRestart };
}

/** Checks one closed run (artifacts, history) and counts its model completions per worker identity. */
async function recordRun(
  h: Harness,
  research: ResearchClient,
  run: ChaosRun,
  acknowledged: Map<string, number>
): Promise<RunRecord> {
  const handle = research.handle(run.workflowId);
  const description = await handle.describe();
  const execution = description.status.name;
  const events: Event[] = (await handle.fetchHistory()).events ?? [];
  countModelCompletions(events, acknowledged);
  const acts = activitiesOf(events);
  let result: ResearchResult | undefined;
  let failure: string | undefined;
  if (execution === 'COMPLETED') result = await research.result(run.workflowId);
  else
    failure = await handle.result().then(
      () => undefined,
      (err: unknown) => causeChain(err)
    );
  const check = await checkRun({
    workflowId: run.workflowId,
    execution,
    folder: path.join(h.dataDir, 'artifacts', safeWorkflowFolder(run.workflowId)),
    recorded: result
      ? { 'report.md': result.artifacts.markdown.sha256, 'report.pdf': result.artifacts.pdf.sha256 }
      : undefined,
    renders: acts.filter((a) => a.activityType === 'renderReport' && a.outcome === 'completed').length,
  });
  return {
    workflowId: run.workflowId,
    format: run.format,
    clarification: result?.clarification ?? '—',
    answered: run.answered,
    durationMs: (description.closeTime ?? new Date()).getTime() - description.startTime.getTime(),
    modelCalls: result?.usage.requests ?? acts.filter((a) => a.activityType === MODEL_ACTIVITY_TYPE).length,
    activityRetries: acts.reduce((s, a) => s + (a.attempt - 1), 0),
    check,
    failure,
  };
}

/** Model activities completed per worker identity (ActivityTaskCompleted carries the identity). */
export function countModelCompletions(events: Event[], into: Map<string, number>): void {
  const types = new Map<number, string>();
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes)
      types.set(Number(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
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
