import type { Command } from 'commander';
import { ResearchClient } from '../../client/research.js';
import { UserError } from '../../errors.js';
import { hasRecentPollers } from '../../temporal/pollers.js';
import { attach, readAnswersFile } from '../attach.js';
import { openEnvironment, type Environment } from '../environment.js';
import { describeStatus, report } from './research.js';

/**
 * Opens the environment for a command on an existing run. On the embedded default, when no worker
 * is polling, this process runs one so the run can move on (Updates and Queries need a worker).
 */
async function openForRun(needsWorker: boolean): Promise<{ env: Environment; research: ResearchClient }> {
  let env = await openEnvironment({ worker: false });
  if (needsWorker && env.settings.embedded) {
    const polling = await hasRecentPollers(env.client, env.settings.namespace, env.settings.taskQueue).catch(
      () => true
    );
    if (!polling) {
      process.stderr.write('no worker is polling: running one in this process\n');
      await env.close();
      env = await openEnvironment({ worker: true });
    }
  }
  return { env, research: new ResearchClient({ client: env.client, taskQueue: env.settings.taskQueue }) };
}

export function registerRunCommands(program: Command): void {
  program
    .command('status')
    .description('Show where a research run is: phase, questions, searches, retries, usage, artifacts.')
    .argument('<workflowId>')
    .option('--json', 'print the status as JSON')
    .action(async (workflowId: string, opts: { json?: boolean }) => {
      const { env, research } = await openForRun(true);
      try {
        const status = await research.status(workflowId);
        process.stdout.write(opts.json ? `${JSON.stringify(status)}\n` : `${describeStatus(status)}\n`);
      } finally {
        await env.close();
      }
    });

  program
    .command('answer')
    .description('Answer the clarifying questions of a waiting run (one answer per question, in order).')
    .argument('<workflowId>')
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
      const { env, research } = await openForRun(true);
      try {
        const status = opts.skip ? await research.skip(workflowId) : await research.answer(workflowId, list);
        process.stdout.write(
          `${workflowId}: ${status.clarification}; the research goes on (phase ${status.phase})\n`
        );
      } finally {
        await env.close();
      }
    });

  program
    .command('result')
    .description(
      'Re-attach to a run: follow its progress until it ends and print the report (Ctrl-C detaches again).'
    )
    .argument('<workflowId>')
    .option('--json', 'print exactly one JSON object at the end')
    .option('--out <dir>', 'copy report.md and report.pdf into this folder')
    .action(async (workflowId: string, opts: { json?: boolean; out?: string }) => {
      const { env, research } = await openForRun(true);
      try {
        const outcome = await attach(research, workflowId, {
          interactive: !opts.json && process.stdin.isTTY === true,
          showProgress: !opts.json || process.stderr.isTTY === true,
        });
        await report(outcome, workflowId, env.settings, opts);
      } finally {
        await env.close();
      }
    });

  program
    .command('cancel')
    .description('Cancel a research run: work in flight stops and the run ends as cancelled.')
    .argument('<workflowId>')
    .option('--reason <text>', 'why (kept in the run status)')
    .action(async (workflowId: string, opts: { reason?: string }) => {
      const { env, research } = await openForRun(true);
      try {
        await research.cancel(workflowId, opts.reason);
        process.stdout.write(`${workflowId}: cancel requested\n`);
      } finally {
        await env.close();
      }
    });

  program
    .command('list')
    .description('List recent research runs (Temporal visibility).')
    .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
    .action(async (opts: { limit: number }) => {
      const { env, research } = await openForRun(false);
      try {
        const runs = await research.list(opts.limit);
        if (runs.length === 0) process.stdout.write('no research runs yet\n');
        for (const r of runs)
          process.stdout.write(`${r.startTime}  ${r.status.padEnd(10)}  ${r.workflowId}\n`);
      } finally {
        await env.close();
      }
    });
}
