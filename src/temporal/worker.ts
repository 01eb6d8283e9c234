import type { ModelProvider } from '@openai/agents-core';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { activities as defaultActivities } from '../activities/index.js';
import { toolFaultsFromEnv, withToolFaults } from '../activities/faults.js';
import { installTracing, traceContextPlugin } from '../tracing/install.js';
import { workflowBundle } from './bundle.js';
import type { TemporalSettings } from './settings.js';

export interface StartWorkerOptions {
  settings: TemporalSettings;
  modelProvider: ModelProvider;
  /** Activities to register; defaults to all of steadfast's. Tests wrap them to inject faults. */
  activities?: Record<string, (...args: any[]) => Promise<unknown>>;
  connection?: NativeConnection;
  identity?: string;
  maxConcurrentActivityTaskExecutions?: number;
  log?: (line: string) => void;
}

let runtimeInstalled = false;

/** Keep the SDK's own logs at warnings so a worker's console stays readable. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      logger: new DefaultLogger((process.env.STEADFAST_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN'),
    });
  } catch {
    // A runtime is already installed (e.g. by the test environment); keep it.
  }
}

/**
 * A worker for steadfast's workflows and activities on the OpenAIAgentsPlugin. The workflow
 * bundle is built once per content (cached under the data dir).
 */
export async function createWorker(
  options: StartWorkerOptions
): Promise<{ worker: Worker; connection: NativeConnection; ownsConnection: boolean }> {
  installQuietRuntime();
  const { settings } = options;
  // Our trace store (and OTel export when configured) must be in place before the plugin is built.
  const tracing = await installTracing(options.log);
  const plugin = new OpenAIAgentsPlugin({
    modelProvider: options.modelProvider,
    ...(tracing.useOtelInstrumentation ? { interceptorOptions: { useOtelInstrumentation: true } } : {}),
  });
  const ownsConnection = !options.connection;
  const connection = options.connection ?? (await NativeConnection.connect(settings.connectionOptions));
  const bundle = await workflowBundle(undefined, options.log);
  const workerOptions: WorkerOptions = {
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    workflowBundle: { codePath: bundle.codePath },
    activities: options.activities ?? withEnvFaults(defaultActivities, options.log),
    plugins: [plugin, traceContextPlugin()],
    identity: options.identity ?? `steadfast-worker@${process.pid}`,
    shutdownGraceTime: '10 seconds',
    ...(options.maxConcurrentActivityTaskExecutions
      ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions }
      : {}),
  };
  const worker = await Worker.create(workerOptions);
  return { worker, connection, ownsConnection };
}

function withEnvFaults<T extends Record<string, (...args: any[]) => Promise<any>>>(
  activities: T,
  log?: (line: string) => void
): T {
  const faults = toolFaultsFromEnv();
  if (!faults) return activities;
  log?.(
    `tool fault injection ON: ${faults.names.join(', ')} fail at rate ${faults.rate} (STEADFAST_TOOL_FAULT_RATE)`
  );
  return withToolFaults(activities, faults);
}
