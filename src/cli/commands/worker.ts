import { Option, type Command } from 'commander';
import { describeKeyRing, keyRingFromEnv } from '../../common/payload-codec/keys.js';
import { resolveTemporalSettings } from '../../common/temporal-settings.js';
import { workflowThreads } from '../../worker/workflow-threads.js';
import { describeEncoder } from '../../common/encoder/sentence-encoder.js';
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
    .option('--task-queue <name>', 'workflow task queue (env STEADFAST_TASK_QUEUE)')
    .addOption(
      new Option(
        '--role <role>',
        'which queues to poll when model calls and tools have their own (STEADFAST_MODEL_TASK_QUEUE, STEADFAST_TOOL_TASK_QUEUE)'
      )
        .choices(['all', 'workflows', 'models', 'tools'])
        .default('all')
    )
    .option('--max-activities <n>', 'concurrent activity executions per queue', (v) => Number.parseInt(v, 10))
    .action(
      async (opts: {
        address?: string;
        namespace?: string;
        taskQueue?: string;
        role: 'all' | 'workflows' | 'models' | 'tools';
        maxActivities?: number;
      }) => {
        const log = (line: string) => process.stderr.write(`${line}\n`);
        const settings = resolveTemporalSettings(opts);
        // Before anything starts: a malformed key stops the worker here, with the variable and the fix.
        log(describeKeyRing(keyRingFromEnv()));
        await ensureEmbeddedServer(settings, log);
        const workers = await startLocalWorker(settings, {
          log,
          role: opts.role,
          maxConcurrentActivityTaskExecutions: opts.maxActivities,
        });
        log(
          `steadfast worker ${process.pid}: polling task queue ${workers.queues.map((q) => `"${q}"`).join(', ')} on ${settings.address} (namespace ${settings.namespace}` +
            (opts.role === 'all' || opts.role === 'workflows'
              ? `; workflow threads ${workflowThreads()})`
              : ')') +
            (settings.uiUrl ? `; Temporal UI ${settings.uiUrl}` : '')
        );
        log(describeEncoder());
        // The SDK runtime turns SIGINT/SIGTERM into a graceful shutdown: running activities get the grace time.
        await workers.run();
        log(`steadfast worker ${process.pid}: stopped`);
      }
    );
}
