/**
 * The research runs of a chaos run: started staggered (so kills land in every phase: triage, the
 * clarification Update, searches, writing, render), each driven until it closes — its clarifying
 * questions answered when they are pending — through worker kills and server restarts.
 */
import type { ResearchClient } from '../../src/client/research.js';
import { statusQuery } from '../../src/workflows/messages.js';
import type { ChaosSettings } from './report.js';

export interface ChaosRun {
  workflowId: string;
  format: 'report' | 'checklist';
  answered: boolean;
  done: boolean;
}

const QUESTIONS = [
  'How do Temporal workflows stay deterministic during replay?',
  'How should activity retries and timeouts be configured?',
  'How do agents hand off work to other agents?',
  'How are tool calls defined and validated for an agent?',
  'What does a worker do when it polls a task queue?',
  'How do signals, queries and updates differ?',
];
const ANSWERS = [
  'TypeScript on Node 20',
  'a small team, production use',
  'reliability over speed',
  'no preference',
];
const BEFORE_CLARIFICATION = ['starting', 'preparing', 'triage', 'clarifying', 'awaiting_answers'];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Starts the runs; `done` resolves with them once all are closed (or the deadline passed). */
export function driveRuns(a: {
  research: ResearchClient;
  settings: Pick<ChaosSettings, 'runs' | 'staggerMs'>;
  deadline: number;
  requestIdPrefix: string;
  log: (line: string) => void;
}): { allDone: () => boolean; done: Promise<ChaosRun[]> } {
  const { research, deadline, log } = a;
  const runs: ChaosRun[] = [];
  let launched = false;

  const drive = async (run: ChaosRun) => {
    while (!run.done && Date.now() < deadline) {
      try {
        const description = await research.handle(run.workflowId).describe();
        if (description.status.name !== 'RUNNING') {
          run.done = true;
          break;
        }
        if (!run.answered) {
          const status = await research.handle(run.workflowId).query(statusQuery);
          if (status.clarification === 'pending') {
            await research.answer(
              run.workflowId,
              status.questions.map((_, i) => ANSWERS[i % ANSWERS.length]!)
            );
            run.answered = true;
            log(`chaos: answered ${status.questions.length} questions of ${run.workflowId}`);
          } else if (!BEFORE_CLARIFICATION.includes(status.phase)) {
            run.answered = true; // past the clarification (not needed): nothing to answer
          }
        }
      } catch {
        // A worker was killed or the server is restarting: try again shortly.
      }
      await sleep(run.answered ? 1000 : 500);
    }
  };

  const done = (async () => {
    const driving: Promise<void>[] = [];
    for (let k = 0; k < a.settings.runs; k++) {
      if (k > 0) await sleep(a.settings.staggerMs);
      const format = k % 2 === 0 ? 'report' : 'checklist';
      const question = `${QUESTIONS[k % QUESTIONS.length]} (chaos case ${k + 1})`;
      for (;;) {
        try {
          const { workflowId } = await research.start({
            question,
            format,
            requestId: `${a.requestIdPrefix}-${k + 1}`,
            clarify: true,
          });
          const run: ChaosRun = { workflowId, format, answered: false, done: false };
          runs.push(run);
          driving.push(drive(run));
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
    return runs;
  })();

  return { allDone: () => launched && runs.every((r) => r.done), done };
}
