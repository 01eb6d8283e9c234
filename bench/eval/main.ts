/**
 * Runs the evaluation from a shell until the CLI's `eval` command calls runEval itself:
 *   node --import tsx bench/eval/main.ts [--set FILE]... [--ci] [--concurrency N] [--json]
 */
import { parseArgs } from 'node:util';
import { UserError } from '../../src/common/errors.js';
import { formatEvalResult } from './format.js';
import { runEval } from './run.js';

const USAGE =
  'usage: node --import tsx bench/eval/main.ts [--set FILE]... [--ci] [--concurrency N] [--json]\n' +
  '  --set FILE        a question set (repeatable; default: every set in bench/eval/sets/)\n' +
  '  --ci              only the questions marked "ci": true\n' +
  '  --concurrency N   research runs at once (default 1)\n' +
  '  --json            print one JSON object instead of the table';

const HELP = '`node --import tsx bench/eval/main.ts --help` lists the options';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        set: { type: 'string', multiple: true },
        ci: { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UserError((err as Error).message, HELP);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UserError(`--concurrency must be an integer >= 1, not "${values.concurrency}"`, HELP);
  }
  const result = await runEval({
    sets: values.set,
    subset: values.ci ? 'ci' : 'all',
    concurrency,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${values.json ? JSON.stringify(result) : formatEvalResult(result)}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof UserError) {
    process.stderr.write(`eval: ${err.message}\n${err.hint ? `  fix: ${err.hint}\n` : ''}`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
