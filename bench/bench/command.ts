/** `steadfast bench`: its options here; the harness itself loads only when the command runs. */
import path from 'node:path';
import { packageRoot } from '../../src/common/paths.js';
import type { HarnessCommand } from '../commands.js';
import { integerOption } from '../lib/options.js';

const int = (name: string) => integerOption(name, 1);

export const register: HarnessCommand['register'] = (program) => {
  program
    .command('bench')
    .description(
      'Benchmarks: durable ÷ plain agent, cost per model call, fan-out, throughput, memory, and the Python anchor; writes docs/benchmarks.md.'
    )
    .option('--repeats <n>', 'repeats per figure (medians)', int('--repeats'))
    .option('--research-runs <n>', 'research runs for the throughput figure', int('--research-runs'))
    .option('--no-python', 'skip the Python anchor')
    .option(
      '--docs <dir>',
      'where benchmarks.md, benchmarks.json and figures/ go',
      path.join(packageRoot, 'docs')
    )
    .action(async (opts: { repeats?: number; researchRuns?: number; python: boolean; docs: string }) => {
      // Timing figures, comparable across rounds: corpus search by words only unless told otherwise
      // (the sentence encoder's work per search is the run's own work, not orchestration).
      process.env.STEADFAST_ENCODER ??= 'off';
      const { runBench, writeBenchJson } = await import('./run.js');
      const { writeBenchDocs } = await import('./report.js');
      const result = await runBench({
        repeats: opts.repeats,
        researchRuns: opts.researchRuns,
        python: opts.python,
        command: `npx steadfast ${process.argv.slice(2).join(' ')}`,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const docs = path.resolve(opts.docs);
      const file = await writeBenchDocs(result, docs);
      await writeBenchJson(result, docs);
      process.stdout.write(`wrote ${file} (${(result.wallMs / 1000).toFixed(1)} s)\n`);
    });
};
