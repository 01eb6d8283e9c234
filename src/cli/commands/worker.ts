import type { Command } from 'commander';
import { resolveTemporalSettings } from '../../temporal/settings.js';
import { ensureEmbeddedServer, startLocalWorker } from '../environment.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Run a worker: steadfast workflows and activities (model calls, search, render). Start several to share the work.'
    )
    .option(
      '--address <host:port>',
      'Temporal address (env TEMPORAL_ADDRESS; default: the embedded dev server)'
    )
    .option('--namespace <ns>', 'Temporal namespace (env TEMPORAL_NAMESPACE)')
    .option('--task-queue <name>', 'task queue (env STEADFAST_TASK_QUEUE)')
    .option('--max-activities <n>', 'concurrent activity executions', (v) => Number.parseInt(v, 10))
    .action(
      async (opts: { address?: string; namespace?: string; taskQueue?: string; maxActivities?: number }) => {
        const log = (line: string) => process.stderr.write(`${line}\n`);
        const settings = resolveTemporalSettings(opts);
        await ensureEmbeddedServer(settings, log);
        const { worker, close } = await startLocalWorker(settings, {
          log,
          maxConcurrentActivityTaskExecutions: opts.maxActivities,
        });
        log(
          `steadfast worker ${process.pid}: polling task queue "${settings.taskQueue}" on ${settings.address} (namespace ${settings.namespace})` +
            (settings.uiUrl ? `; Temporal UI ${settings.uiUrl}` : '')
        );
        // The SDK runtime turns SIGINT/SIGTERM into a graceful shutdown: running activities get the grace time.
        await worker.run();
        await close();
        log(`steadfast worker ${process.pid}: stopped`);
      }
    );
}
