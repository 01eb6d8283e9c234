import { InvalidArgumentError, type Command } from 'commander';
import path from 'node:path';
import { packageRoot } from '../../common/paths.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be an integer >= 1.`);
  return n;
};

export function registerBenchCommand(program: Command): void {
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
      const { runBench, writeBenchJson } = await import('../../../bench/bench/run.js');
      const { writeBenchDocs } = await import('../../../bench/bench/report.js');
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
}
