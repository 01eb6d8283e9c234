import type { Command } from 'commander';
import { ResearchClient } from '../../client/research.js';
import { UserError } from '../../common/errors.js';
import { attach, readAnswersFile } from '../attach.js';
import type { Environment } from '../environment.js';
import { withWorkerOnDemand } from '../worker-on-demand.js';
import { onRun } from './on-run.js';
import { describeStatus, report } from './research.js';
import { registerReviewCommands } from './review.js';

type RunContext = { env: Environment; research: ResearchClient };

/** Runs a command on an existing run, with a worker when it `needsWorker` (withWorkerOnDemand). */
async function withRun(needsWorker: boolean, fn: (ctx: RunContext) => Promise<void>): Promise<void> {
  await withWorkerOnDemand(needsWorker, {}, (env) => fn(contextOf(env)));
}

function contextOf(env: Environment): RunContext {
  return { env, research: new ResearchClient({ client: env.client, taskQueue: env.settings.taskQueue }) };
}

export function registerRunCommands(program: Command): void {
  onRun(
    program,
    'status',
    'Show where a research run is: phase, questions, searches, retries, usage, artifacts.'
  )
    .option('--json', 'print the status as JSON')
    .action(async (workflowId: string, opts: { json?: boolean }) => {
      await withRun(true, async ({ research }) => {
        const status = await research.status(workflowId);
        process.stdout.write(opts.json ? `${JSON.stringify(status)}\n` : `${describeStatus(status)}\n`);
      });
    });

  onRun(
    program,
    'answer',
    'Answer the clarifying questions of a waiting run (one answer per question, in order).'
  )
    .argument('[answers...]', 'the answers, one argument per question')
    .option('--file <file>', 'read the answers from a file (JSON list or one per line)')
    .option('--skip', 'proceed without answers ("no preference")')
    .action(async (workflowId: string, answers: string[], opts: { file?: string; skip?: boolean }) => {
      const list = opts.file ? await readAnswersFile(opts.file) : answers;
      if (!opts.skip && list.length === 0) {
        throw new UserError(
          'no answers given',
          `npx steadfast answer ${workflowId} "first answer" "second answer" … (or --file FILE, or --skip)`
        );
      }
      await withRun(true, async ({ research }) => {
        const status = opts.skip ? await research.skip(workflowId) : await research.answer(workflowId, list);
        process.stdout.write(
          `${workflowId}: ${status.clarification}; the research goes on (phase ${status.phase})\n`
        );
      });
    });

  onRun(
    program,
    'result',
    'Re-attach to a run: follow its progress until it ends and print the report (Ctrl-C detaches again).'
  )
    .option('--json', 'print exactly one JSON object at the end')
    .option('--out <dir>', 'copy report.md and report.pdf into this folder')
    .action(async (workflowId: string, opts: { json?: boolean; out?: string }) => {
      await withRun(true, async ({ env, research }) => {
        const outcome = await attach(research, workflowId, {
          interactive: !opts.json && process.stdin.isTTY === true,
          showProgress: !opts.json || process.stderr.isTTY === true,
        });
        await report(outcome, workflowId, env.settings, opts);
      });
    });

  onRun(program, 'cancel', 'Cancel a research run: work in flight stops and the run ends as cancelled.')
    .option('--reason <text>', 'why (kept in the run status)')
    .action(async (workflowId: string, opts: { reason?: string }) => {
      await withRun(true, async ({ research }) => {
        await research.cancel(workflowId, opts.reason);
        process.stdout.write(`${workflowId}: cancel requested\n`);
      });
    });

  program
    .command('list')
    .description('List recent research runs (Temporal visibility).')
    .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
    .action(async (opts: { limit: number }) => {
      await withRun(false, async ({ research }) => {
        const runs = await research.list(opts.limit);
        if (runs.length === 0) process.stdout.write('no research runs yet\n');
        for (const r of runs)
          process.stdout.write(`${r.startTime}  ${r.status.padEnd(10)}  ${r.workflowId}\n`);
      });
    });

  registerReviewCommands(program, withRun);
}
