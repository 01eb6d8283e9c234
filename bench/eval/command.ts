/** `steadfast eval`: its options here; the harness itself loads only when the command runs. */
import { InvalidArgumentError } from 'commander';
import type { HarnessCommand } from '../commands.js';

const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be an integer >= 1.`);
  return n;
};

export const register: HarnessCommand['register'] = (program) => {
  program
    .command('eval')
    .description(
      'Research quality on question sets over third-party corpora: cited, answered in the summary, both, recall@5, wall time.'
    )
    .option(
      '--set <file>',
      'a question set (repeatable; default: every set in bench/eval/sets/)',
      (v: string, all: string[] = []) => [...all, v]
    )
    .option('--ci', 'only the questions marked "ci": true')
    .option('--concurrency <n>', 'research runs at once', positive('--concurrency'), 1)
    .option('--json', 'print one JSON object instead of the table')
    .action(async (opts: { set?: string[]; ci?: boolean; concurrency: number; json?: boolean }) => {
      const { runEval } = await import('./run.js');
      const { formatEvalResult } = await import('./format.js');
      const result = await runEval({
        sets: opts.set,
        subset: opts.ci ? 'ci' : 'all',
        concurrency: opts.concurrency,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${opts.json ? JSON.stringify(result) : formatEvalResult(result)}\n`);
    });
};
