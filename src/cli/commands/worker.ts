import type { Command } from 'commander';
import { configuredEndpoint, describeEndpoint, offlineEndpoint } from '../../models/endpoint.js';
import { dataDir } from '../../paths.js';
import { ensureDevServer } from '../../temporal/dev-server.js';
import { resolveTemporalSettings, splitHostPort } from '../../temporal/settings.js';

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
        const [{ startModelServer }, { createModelProvider }, { createWorker }] = await Promise.all([
          import('../../models/server.js'),
          import('../../models/provider.js'),
          import('../../temporal/worker.js'),
        ]);
        const settings = resolveTemporalSettings(opts);
        if (settings.embedded) {
          const [host, port] = splitHostPort(settings.address);
          const server = await ensureDevServer({
            dataDir: dataDir(),
            host,
            port,
            namespace: settings.namespace,
            detached: true,
            log,
          });
          settings.uiUrl = server.uiUrl;
        }
        let endpoint = configuredEndpoint();
        let closeModelServer: (() => Promise<void>) | undefined;
        if (!endpoint) {
          const modelServer = await startModelServer({ port: 0 });
          closeModelServer = () => modelServer.close();
          endpoint = offlineEndpoint(modelServer.baseURL);
        }
        log(describeEndpoint(endpoint));
        const { worker, connection } = await createWorker({
          settings,
          modelProvider: createModelProvider(endpoint),
          maxConcurrentActivityTaskExecutions: opts.maxActivities,
          log,
        });
        log(
          `steadfast worker ${process.pid}: polling task queue "${settings.taskQueue}" on ${settings.address} (namespace ${settings.namespace})` +
            (settings.uiUrl ? `; Temporal UI ${settings.uiUrl}` : '')
        );
        // The SDK runtime turns SIGINT/SIGTERM into a graceful shutdown: running activities get the grace time.
        await worker.run();
        await connection.close();
        await closeModelServer?.();
        log(`steadfast worker ${process.pid}: stopped`);
      }
    );
}
