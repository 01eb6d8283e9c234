/**
 * One research run of each approach under a fault: the plain scripts (a) and (b) under a
 * supervisor that restarts them from scratch, and (c) the durable workflow on worker processes.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/common/paths.js';
import type { ModelServerHandle } from '../../src/model-server/server.js';
import { activitiesOf } from '../../src/testing/history.js';
import { research } from '../../src/workflows/research.js';
import type { Harness } from '../lib/harness.js';
import type { WorkerProcess } from '../lib/worker-process.js';
import { afterCompletedCalls } from './progress.js';
import { workflowTaskTimeout } from '../../src/common/workflow-start.js';

export const SCRIPTS: Record<'prompt' | 'agents', string> = {
  prompt: path.join(packageRoot, 'bench', 'compare', 'plain-prompt.ts'),
  agents: path.join(packageRoot, 'bench', 'compare', 'plain-agents.ts'),
};

/** What one run reports besides what the request log tells. */
export interface RunResult {
  completed: boolean;
  attempts: number;
  sideEffects: number;
  reviewItems: number;
  /** First request seq of the attempt that delivered the result (see accountTokens). */
  finalAttemptFromSeq: number;
  crashedAt?: number;
  workflowUsageTokens?: number;
}

export interface FaultArgs {
  model: ModelServerHandle;
  /** Crash or outage after this many completed model calls. */
  faultAfterCall?: number;
  crash: boolean;
  toolFaultRate: number;
}

export interface RunArgs extends FaultArgs {
  id: string;
  question: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A plain script under a supervisor: on a crash or an error it is restarted from scratch (at most 3 attempts). */
export async function runPlain(
  h: Harness,
  a: RunArgs & { approach: 'prompt' | 'agents' }
): Promise<RunResult> {
  const journal = path.join(h.dataDir, 'logs', `${a.id}.journal.jsonl`);
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
        STEADFAST_DATA_DIR: h.dataDir,
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

/** The durable workflow: on a crash the worker is SIGKILLed and a new one started; Temporal resumes the run. */
export async function runDurable(h: Harness, a: RunArgs): Promise<RunResult> {
  const taskQueue = `compare-${a.id}`;
  const start = (): WorkerProcess =>
    h.spawnWorker({
      taskQueue,
      modelBaseURL: a.model.baseURL,
      toolFaultRate: a.toolFaultRate,
      toolFaultSeed: 5,
    });
  let worker = start();
  let attempts = 1;
  let crashedAt: number | undefined;
  let replaced: Promise<void> = Promise.resolve();
  if (a.crash && a.faultAfterCall !== undefined) {
    const first = worker;
    afterCompletedCalls(a.model, a.faultAfterCall, () => {
      crashedAt = Date.now();
      const gone = first.kill('SIGKILL');
      attempts++;
      replaced = (async () => {
        await gone;
        worker = start();
        await worker.ready;
      })();
    });
  }
  await worker.ready;
  const handle = await h.client.workflow.start(research, {
    taskQueue,
    workflowId: a.id,
    args: [{ question: a.question, requestId: a.id, clarify: false, format: 'report' }],
    workflowTaskTimeout: workflowTaskTimeout(),
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
  await worker.stop();
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
