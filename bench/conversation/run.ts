/**
 * `steadfast bench-conversation`: one research run, then N follow-up questions about its report
 * through the conversation client, with worker SIGKILLs at seeded turns; then every run of the
 * conversation's continue-as-new chain is read back to count its turns and weigh its history.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConversationClient } from '../../src/client/conversation.js';
import { ResearchClient } from '../../src/client/research.js';
import { runHistorySize } from '../../src/client/timeline/history-size.js';
import type { AskResponse } from '../../src/common/conversation-types.js';
import { conversationWorkflowId } from '../../src/workflows/conversation/input.js';
import { withHarness, type Harness } from '../lib/harness.js';
import { describeMachine } from '../lib/machine.js';
import { percentile } from '../lib/stats.js';
import { chainFigures, type ChainFigures } from './history.js';
import { benchQuestions, killTurns } from './questions.js';
import {
  benchMarkdown,
  verdictOf,
  type ConversationBenchResult,
  type ConversationBenchSettings,
  type KillRecord,
  type LostTurn,
  type TurnRecord,
} from './report.js';

export const CONVERSATION_BENCH_DEFAULTS: ConversationBenchSettings = {
  turns: 200,
  kills: 3,
  workers: 2,
  seed: 7,
  latencyMs: 50,
  follow: false,
  research: { question: 'How do I add human approval to a durable agent?' },
};

export interface ConversationBenchOptions extends Partial<ConversationBenchSettings> {
  dataDir?: string;
  /** Where conversation-bench.md / .json go; undefined = do not write. */
  outDir?: string;
  /** A question without an answer after this long is a lost turn. Default 5 minutes. */
  turnTimeoutMs?: number;
  command?: string;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runConversationBench(
  options: ConversationBenchOptions = {}
): Promise<ConversationBenchResult> {
  const settings = settingsOf(options);
  const log = options.log ?? (() => {});
  const turnTimeoutMs = options.turnTimeoutMs ?? 5 * 60_000;
  const startedAt = Date.now();
  const measured = await withHarness(
    {
      name: 'conversation',
      dataDir: options.dataDir,
      workers: settings.workers,
      model: () => ({ latencyMs: settings.latencyMs }),
      log,
    },
    async (h) => {
      const research = new ResearchClient({ client: h.client, taskQueue: h.taskQueue });
      const t0 = Date.now();
      const { workflowId } = await research.start({
        question: settings.research.question,
        requestId: `conversation-bench-${h.startedAt}`,
        clarify: false,
      });
      const report = await research.result(workflowId);
      const researchMs = Date.now() - t0;
      const handle = h.client.workflow.getHandle(workflowId);
      const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
      const researchSize = runHistorySize(description, history.events ?? []);
      log(
        `conversation: research ${workflowId} done in ${researchMs} ms, ${researchSize.historyBytes} bytes of history, ${report.citations.length} citations`
      );

      const conversations = new ConversationClient({
        client: h.client,
        taskQueue: h.taskQueue,
        research,
        ...(settings.handover ? { settings: { handover: settings.handover } } : {}),
      });
      const questions = benchQuestions(
        { question: settings.research.question, citations: report.citations },
        settings.turns,
        settings.seed
      );
      const asked = await askAll(h, conversations, workflowId, questions, settings, turnTimeoutMs, log);
      const conversationId = conversationWorkflowId(workflowId);
      const chain = await chainFigures(h.client, conversationId);
      const { view } = await conversations.view(workflowId);
      return {
        research: {
          workflowId,
          durationMs: researchMs,
          historyBytes: researchSize.historyBytes,
          events: researchSize.events,
          storedPayloads: researchSize.storedPayloads,
          storedBytes: researchSize.storedBytes,
          citations: report.citations.length,
        },
        conversationId,
        chain,
        view,
        ...asked,
      };
    }
  );

  const { chain, view } = measured;
  const { turns } = measured;
  const answeredIds = new Set(chain.runs.flatMap((r) => r.answered));
  const lost = lostTurns(turns, chain, view);
  const answered = turns.filter((t) => t.turn !== undefined && answeredIds.has(t.updateId)).length;
  const perRun = chain.runs
    .filter((r) => r.answered.length > 0)
    .map((r) => r.historyBytes / r.answered.length);
  const added = turns.flatMap((t) => (t.addedBytes === undefined ? [] : [t.addedBytes]));
  const ms = turns.map((t) => t.ms);
  const partial: Omit<ConversationBenchResult, 'verdict'> = {
    command: options.command ?? 'npx steadfast bench-conversation',
    startedAt: new Date(startedAt).toISOString(),
    wallMs: Date.now() - startedAt,
    machine: describeMachine(),
    settings,
    research: measured.research,
    conversation: {
      workflowId: measured.conversationId,
      asked: turns.length,
      answered,
      lost,
      continueAsNew: chain.runs.filter((r) => r.execution === 'CONTINUED_AS_NEW').length,
      runs: chain.runs,
      total: chain.total,
      weights: chain.weights,
      bytesPerTurn: {
        chain: answered ? chain.total.historyBytes / answered : Number.NaN,
        maxRun: perRun.length ? Math.max(...perRun) : Number.NaN,
        added: { p50: percentile(added, 50), p95: percentile(added, 95), max: percentile(added, 100) },
      },
      eventsPerTurn: answered ? chain.total.events / answered : Number.NaN,
      turnMs: { p50: percentile(ms, 50), p95: percentile(ms, 95), max: percentile(ms, 100) },
      finalState: {
        turns: view?.turns ?? 0,
        recent: view?.recent.length ?? 0,
        earlier: view?.earlier.turns ?? 0,
        phase: view?.phase ?? 'none',
      },
    },
    kills: measured.kills,
    turns,
  };
  const result: ConversationBenchResult = { ...partial, verdict: verdictOf(partial) };
  if (options.outDir) await writeConversationBench(result, options.outDir);
  return result;
}

/** Asks the questions one after another; at the seeded turns, SIGKILLs the worker serving a model call. */
async function askAll(
  h: Harness,
  conversations: ConversationClient,
  researchId: string,
  questions: string[],
  settings: ConversationBenchSettings,
  turnTimeoutMs: number,
  log: (line: string) => void
): Promise<{ turns: TurnRecord[]; kills: KillRecord[] }> {
  const conversationId = conversationWorkflowId(researchId);
  const killAt = new Set(killTurns(questions.length, settings.kills, settings.seed));
  const turns: TurnRecord[] = [];
  const kills: KillRecord[] = [];
  // A kill that found no model call in flight (the answer came first) moves to the next question.
  let killsDue = 0;
  let before: { runId: string; bytes: number } | undefined;
  for (const [i, question] of questions.entries()) {
    const n = i + 1;
    if (killAt.has(n)) killsDue++;
    const updateId = `bench-${h.startedAt}-${n}`;
    const t0 = Date.now();
    let settled = false;
    const asking = conversations
      .ask(researchId, question, { updateId, ...(settings.follow ? { onEvent: () => {} } : {}) })
      .finally(() => (settled = true));
    const killing =
      killsDue > 0 && kills.length < settings.kills
        ? killDuringTurn(h, n, () => settled, log)
        : Promise.resolve(undefined);
    let answer: AskResponse | undefined;
    let error: string | undefined;
    try {
      answer = await within(asking, turnTimeoutMs, `no answer within ${turnTimeoutMs} ms`);
    } catch (err) {
      error = (err as Error).message;
    }
    const kill = await killing;
    if (kill) {
      kills.push(kill);
      killsDue--;
    }
    const d = await h.client.workflow.getHandle(conversationId).describe();
    const bytes = d.historySize ?? 0;
    const addedBytes = before?.runId === d.runId ? bytes - before.bytes : undefined;
    before = { runId: d.runId, bytes };
    turns.push({
      asked: n,
      question,
      updateId,
      ...(answer ? { turn: answer.turn } : {}),
      ms: Date.now() - t0,
      runId: d.runId,
      historyBytes: bytes,
      historyEvents: d.historyLength,
      ...(addedBytes !== undefined ? { addedBytes } : {}),
      killed: kill !== undefined,
      ...(error ? { error } : {}),
    });
    if (error) log(`conversation: question ${n} got no answer: ${error}`);
    if (n % 20 === 0 || n === questions.length)
      log(
        `conversation: ${n}/${questions.length} asked, run ${d.runId.slice(0, 8)} at ${bytes} bytes / ${d.historyLength} events (${((Date.now() - h.startedAt) / 1000).toFixed(0)} s)`
      );
  }
  return { turns, kills };
}

/**
 * Waits for a model call in flight (at some worker's own model server) while question `asked` is
 * answered, then SIGKILLs that worker and starts its replacement. Undefined when the answer came
 * before any model call was seen.
 */
async function killDuringTurn(
  h: Harness,
  asked: number,
  settled: () => boolean,
  log: (line: string) => void
): Promise<KillRecord | undefined> {
  for (;;) {
    if (settled()) return undefined;
    const slot = h.slots.find((s) => s.model.stats().inFlight > 0);
    if (slot) {
      // Read the open-request count and kill in the same tick.
      const open = slot.model.stats().inFlight;
      const victim = slot.worker;
      const atMs = Date.now() - h.startedAt;
      const gone = victim.kill('SIGKILL');
      const record: KillRecord = { asked, atMs, worker: slot.name, pid: victim.pid, openModelCalls: open };
      log(
        `conversation: SIGKILL ${slot.name} (pid ${victim.pid}) during question ${asked}, ${open} model call(s) open`
      );
      await gone;
      record.restartedInMs = await slot.replace();
      return record;
    }
    await sleep(5);
  }
}

/**
 * Turns without an answer: a question whose ask failed or whose Update no run recorded as answered,
 * an Update accepted by a run that ended without answering it, and answers the final state lacks.
 */
function lostTurns(
  turns: TurnRecord[],
  chain: ChainFigures,
  view: Awaited<ReturnType<ConversationClient['view']>>['view']
): LostTurn[] {
  const lost: LostTurn[] = [];
  const answeredIn = new Map<string, number>();
  for (const run of chain.runs)
    for (const id of run.answered) answeredIn.set(id, (answeredIn.get(id) ?? 0) + 1);
  for (const t of turns) {
    if (t.error || t.turn === undefined) {
      // Lost to its asker either way; whether the conversation answered it all the same is said.
      const inHistory = answeredIn.has(t.updateId)
        ? 'the conversation answered it all the same (its history records the answer)'
        : 'no run of the chain recorded an answer';
      lost.push({
        asked: t.asked,
        updateId: t.updateId,
        reason: `the client got no answer (${t.error ?? 'no turn number'}); ${inHistory}`,
      });
    } else if (!answeredIn.has(t.updateId))
      lost.push({
        asked: t.asked,
        updateId: t.updateId,
        reason: 'answered to the client, but no run of the chain recorded the answer',
      });
    else if (answeredIn.get(t.updateId)! > 1)
      lost.push({
        asked: t.asked,
        updateId: t.updateId,
        reason: `answered ${answeredIn.get(t.updateId)} times`,
      });
  }
  for (const run of chain.runs) {
    if (run.execution === 'RUNNING') continue;
    const done = new Set([...run.answered, ...run.failed.map((f) => f.updateId)]);
    for (const id of run.accepted)
      if (!done.has(id))
        lost.push({
          updateId: id,
          reason: `accepted by run ${run.runId} (${run.execution}), never completed there`,
        });
  }
  for (const run of chain.runs)
    for (const f of run.failed)
      lost.push({ updateId: f.updateId, reason: `the ask Update failed: ${f.message}` });
  // The final state: every answer counted, the latest kept whole in order, the rest in the summary.
  // Questions are asked one after another: the turns are the questions the histories answered, in order.
  const numbers = turns.flatMap((t) => (t.turn === undefined ? [] : [t.turn]));
  if (new Set(numbers).size !== numbers.length || numbers.some((turn, i) => i > 0 && turn <= numbers[i - 1]!))
    lost.push({ updateId: '—', reason: `turn numbers repeat or go back: ${numbers.join(', ')}` });
  const answeredTurns = turns.filter((t) => answeredIn.has(t.updateId));
  if (!view) lost.push({ updateId: '—', reason: 'the conversation has no final state' });
  else {
    if (view.turns !== answeredTurns.length)
      lost.push({
        updateId: '—',
        reason: `the final state counts ${view.turns} turns, the histories answered ${answeredTurns.length}`,
      });
    // `earlier` counts the turns older than the agent's memory: it overlaps the kept ones.
    const numbersKept = view.recent.map((t) => t.turn);
    if (numbersKept.some((turn, i) => turn !== view.turns - numbersKept.length + 1 + i))
      lost.push({
        updateId: '—',
        reason: `the final state keeps turns ${numbersKept.join(', ')} of ${view.turns}`,
      });
    const expected = answeredTurns.slice(-view.recent.length).map((t) => t.updateId);
    const kept = view.recent.map((t) => t.updateId);
    for (const id of expected)
      if (!kept.includes(id))
        lost.push({ updateId: id, reason: 'missing from the turns the final state keeps' });
  }
  return lost;
}

async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function writeConversationBench(result: ConversationBenchResult, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'conversation-bench.md'), benchMarkdown(result));
  await writeFile(path.join(outDir, 'conversation-bench.json'), `${JSON.stringify(result, null, 2)}\n`);
}

function settingsOf(o: ConversationBenchOptions): ConversationBenchSettings {
  const { turns, kills, workers, seed, latencyMs, follow, handover, research } = o;
  return {
    ...CONVERSATION_BENCH_DEFAULTS,
    ...defined({ turns, kills, workers, seed, latencyMs, follow, handover, research }),
  };
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
