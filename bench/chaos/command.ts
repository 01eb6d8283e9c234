/** `steadfast chaos`: its options here; the harness itself loads only when the command runs. */
import path from 'node:path';
import { packageRoot } from '../../src/common/paths.js';
import type { HarnessCommand } from '../commands.js';
import { integerOption as int, rateOption as rate } from '../lib/options.js';

interface ChaosFlags {
  runs?: number;
  workers?: number;
  seed?: number;
  killEveryMs?: number;
  maxKills?: number;
  modelFaultRate?: number;
  toolFaultRate?: number;
  latencyMs?: number;
  staggerMs?: number;
  restartServer?: boolean;
  dataDir?: string;
  out: string;
}

export const register: HarnessCommand['register'] = (program) => {
  program
    .command('chaos')
    .description(
      'Fault injection: research runs under worker SIGKILLs, model and tool faults; checks every run and model call.'
    )
    .option('--runs <n>', 'research runs', int('--runs', 1))
    .option('--workers <n>', 'worker processes', int('--workers', 1))
    .option('--seed <n>', 'seed of the kill schedule and fault generators', int('--seed'))
    .option(
      '--kill-every-ms <ms>',
      'mean interval between SIGKILLs (jittered ±50%)',
      int('--kill-every-ms', 100)
    )
    .option('--max-kills <n>', 'stop killing after this many', int('--max-kills'))
    .option(
      '--model-fault-rate <r>',
      'share of model requests failing (429 / 500 / reset, equal parts)',
      rate('--model-fault-rate')
    )
    .option(
      '--tool-fault-rate <r>',
      'share of searchCorpus/readDocument calls throwing',
      rate('--tool-fault-rate')
    )
    .option('--latency-ms <ms>', 'offline model latency', int('--latency-ms'))
    .option('--stagger-ms <ms>', 'delay between starting runs', int('--stagger-ms'))
    .option('--restart-server', 'restart the Temporal dev server once mid-run (same db)')
    .option('--data-dir <dir>', 'data dir for the dev server db and artifacts (default: a temp dir)')
    .option('--out <dir>', 'where chaos.md and chaos.json go', path.join(packageRoot, 'docs', 'chaos'))
    .action(async (opts: ChaosFlags) => {
      const { runChaos, terminalTable } = await import('./run.js');
      const result = await runChaos({
        runs: opts.runs,
        workers: opts.workers,
        seed: opts.seed,
        killEveryMs: opts.killEveryMs,
        maxKills: opts.maxKills,
        modelFaultRate: opts.modelFaultRate,
        toolFaultRate: opts.toolFaultRate,
        latencyMs: opts.latencyMs,
        staggerMs: opts.staggerMs,
        restartServer: opts.restartServer === true ? true : undefined,
        dataDir: opts.dataDir,
        outDir: path.resolve(opts.out),
        command: `npx steadfast ${process.argv.slice(2).join(' ')}`,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`\n${terminalTable(result)}\n\n`);
      process.stdout.write(`wrote ${path.join(opts.out, 'chaos.md')} and chaos.json\n`);
      process.stdout.write(`${result.verdict.line}\n`);
      if (!result.verdict.ok) process.exitCode = 1;
    });
};
