/** `steadfast bench-conversation`: its options here; the harness itself loads only when the command runs. */
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { packageRoot } from '../../src/common/paths.js';
import type { HarnessCommand } from '../commands.js';
import { integerOption as int } from '../lib/options.js';

interface ConversationBenchFlags {
  turns?: number;
  kills?: number;
  workers?: number;
  seed?: number;
  latencyMs?: number;
  follow?: boolean;
  handoverBytes?: number;
  handoverEvents?: number;
  question?: string;
  dataDir?: string;
  out: string;
}

export const register: HarnessCommand['register'] = (program) => {
  program
    .command('bench-conversation')
    .description(
      'Bounded conversation history: one research run, then N follow-up questions under worker SIGKILLs; ' +
        'counts lost turns, continue-as-new and history bytes per turn.'
    )
    .option('--turns <n>', 'questions to ask (default 200)', int('--turns', 1))
    .option('--kills <n>', 'worker SIGKILLs, each during a seeded turn (default 3)', int('--kills'))
    .option('--workers <n>', 'worker processes (default 2)', int('--workers', 1))
    .option('--seed <n>', 'seed of the questions and the kill turns (default 7)', int('--seed'))
    .option('--latency-ms <ms>', 'offline model latency per request (default 50)', int('--latency-ms'))
    .option('--follow', 'follow each answer on its stream, as `steadfast ask` does in a terminal')
    .option(
      '--handover-bytes <n>',
      'continue as new past this many bytes of history (default: the workflow’s 4,000,000)',
      int('--handover-bytes', 10_000)
    )
    .option(
      '--handover-events <n>',
      'continue as new past this many events (default: the workflow’s 4,000)',
      int('--handover-events', 20)
    )
    .option('--question <text>', 'the research question', nonEmpty)
    .option(
      '--data-dir <dir>',
      'data dir for the dev server db, payloads and artifacts (default: a temp dir)'
    )
    .option(
      '--out <dir>',
      'where conversation-bench.md and .json go',
      path.join(packageRoot, '.bench', 'conversation')
    )
    .action(async (opts: ConversationBenchFlags) => {
      const { runConversationBench, CONVERSATION_BENCH_DEFAULTS } = await import('./run.js');
      const { terminalTable } = await import('./report.js');
      const handover =
        opts.handoverBytes !== undefined || opts.handoverEvents !== undefined
          ? { historyBytes: opts.handoverBytes ?? 4_000_000, historyEvents: opts.handoverEvents ?? 4000 }
          : undefined;
      const result = await runConversationBench({
        turns: opts.turns,
        kills: opts.kills,
        workers: opts.workers,
        seed: opts.seed,
        latencyMs: opts.latencyMs,
        follow: opts.follow === true ? true : undefined,
        handover,
        research: opts.question ? { question: opts.question } : CONVERSATION_BENCH_DEFAULTS.research,
        dataDir: opts.dataDir,
        outDir: path.resolve(opts.out),
        command: `npx steadfast ${process.argv.slice(2).join(' ')}`,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`\n${terminalTable(result)}\n\n`);
      process.stdout.write(
        `wrote ${path.join(opts.out, 'conversation-bench.md')} and conversation-bench.json\n`
      );
      process.stdout.write(`${result.verdict.line}\n`);
      if (!result.verdict.ok) process.exitCode = 1;
    });
};

function nonEmpty(v: string): string {
  if (v.trim() === '') throw new InvalidArgumentError('--question must not be empty.');
  return v;
}
