/** `steadfast compare`: its options here; the harness itself loads only when the command runs. */
import path from 'node:path';
import { packageRoot } from '../../src/common/paths.js';
import type { HarnessCommand } from '../commands.js';
import { rateOption } from '../lib/options.js';

export const register: HarnessCommand['register'] = (program) => {
  program
    .command('compare')
    .description(
      'The research task three ways (pure prompting, plain Agents SDK, durable workflow) under crash, outage and tool-bug faults; writes docs/comparison.md.'
    )
    .option('--seed <n>', 'seed of the fault points', (v) => Number.parseInt(v, 10))
    .option('--latency-ms <ms>', 'offline model latency', (v) => Number.parseInt(v, 10))
    .option(
      '--crash-at <fraction>',
      'share of the baseline model calls after which the crash lands (default: seeded, 0.75-0.9)',
      rateOption('--crash-at')
    )
    .option('--docs <dir>', 'where comparison.md and figures/ go', path.join(packageRoot, 'docs'))
    .action(async (opts: { seed?: number; latencyMs?: number; crashAt?: number; docs: string }) => {
      // Timing figures, comparable across rounds: corpus search by words only unless told otherwise
      // (the sentence encoder's work per search is the run's own work, not orchestration).
      process.env.STEADFAST_ENCODER ??= 'off';
      const { runCompare } = await import('./run.js');
      const { writeCompareDocs } = await import('./report.js');
      const result = await runCompare({
        seed: opts.seed,
        latencyMs: opts.latencyMs,
        crashAt: opts.crashAt,
        command: `npx steadfast ${process.argv.slice(2).join(' ')}`,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const file = await writeCompareDocs(result, path.resolve(opts.docs));
      process.stdout.write(`wrote ${file} (${(result.wallMs / 1000).toFixed(1)} s)\n`);
    });
};
