import type { ModelProvider } from '@openai/agents-core';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { activities as defaultActivities } from '../activities/index.js';
import { toolFaultsFromEnv, withToolFaults } from '../activities/faults.js';
import { installTracing, traceContextPlugin } from './tracing/install.js';
import { workflowBundle } from './bundle.js';
import { deferFirstHeartbeat } from './heartbeats.js';
import { workflowThreads } from './workflow-threads.js';
import type { TemporalSettings } from '../common/temporal-settings.js';
import { steadfastDataConverter } from '../common/data-converter.js';
import { describePayloadStore, payloadStoreConfig } from '../common/payload-storage/config.js';

export interface StartWorkerOptions {
  settings: TemporalSettings;
  modelProvider: ModelProvider;
  /** Activities to register; defaults to all of steadfast's. Tests wrap them to inject faults. */
  activities?: Record<string, (...args: any[]) => Promise<unknown>>;
  connection?: NativeConnection;
  identity?: string;
  maxConcurrentActivityTaskExecutions?: number;
  /** The queue to poll; defaults to the workflow queue. */
  taskQueue?: string;
  log?: (line: string) => void;
  /** Overrides of the dispatch settings below (benchmarks measure each one against its default). */
  dispatch?: Partial<WorkerDispatch>;
}

/** The worker settings that decide how fast tasks reach this worker and come back (docs/operations.md). */
export type WorkerDispatch = Required<
  Pick<
    WorkerOptions,
    | 'stickyQueueScheduleToStartTimeout'
    | 'maxEagerActivityReservationsPerWorkflowTask'
    | 'workflowThreadPoolSize'
  >
> & {
  /** Hold back a model call's heartbeats of the first quarter of its timeout (heartbeats.ts). */
  deferFirstHeartbeat: boolean;
};

export const WORKER_DISPATCH: Omit<WorkerDispatch, 'workflowThreadPoolSize'> = {
  // A workflow's next task goes to the sticky queue of the worker that ran its last one. When that
  // worker is dead, the task waits this long before any worker may take it (the SDK default is 10 s,
  // which a crash then adds to the run); a live worker takes its sticky tasks in milliseconds.
  stickyQueueScheduleToStartTimeout: '1 second',
  // Activities a workflow task schedules on this worker's own queue come back in the reply to that
  // task (eager dispatch) instead of through matching: up to this many per task (SDK default 3), so
  // the searches of a plan fan out without a round trip each.
  maxEagerActivityReservationsPerWorkflowTask: 20,
  deferFirstHeartbeat: true,
};

/**
 * Which queues a worker process polls. `all` (the default) polls every queue; with split queues
 * (STEADFAST_MODEL_TASK_QUEUE, STEADFAST_TOOL_TASK_QUEUE) a process can serve one role, so model
 * calls and tools scale, and are rate-limited, apart from the workflows.
 */
export type WorkerRole = 'all' | 'workflows' | 'models' | 'tools';

export function queuesFor(settings: TemporalSettings, role: WorkerRole): string[] {
  const byRole = {
    workflows: settings.taskQueue,
    models: settings.modelTaskQueue,
    tools: settings.toolTaskQueue,
  };
  return role === 'all' ? [...new Set(Object.values(byRole))] : [byRole[role]];
}

let runtimeInstalled = false;
let storeLogged = false;

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
 * A worker for one task queue, on the OpenAIAgentsPlugin. It registers what is scheduled on that
 * queue: the workflows on the workflow queue, model calls on the model queue, tools on the tool
 * queue (all three when the queues are one, the default). The workflow bundle is built once per
 * content and cached.
 */
export async function createWorker(
  options: StartWorkerOptions
): Promise<{ worker: Worker; connection: NativeConnection; ownsConnection: boolean }> {
  installQuietRuntime();
  const { settings } = options;
  // Read first: a bad STEADFAST_PAYLOAD_* setting stops the worker before it connects.
  const dataConverter = steadfastDataConverter();
  if (!storeLogged) {
    storeLogged = true;
    options.log?.(describePayloadStore(payloadStoreConfig()));
  }
  // Our trace store (and OTel export when configured) must be in place before the plugin is built.
  const tracing = await installTracing(options.log);
  const plugin = new OpenAIAgentsPlugin({
    modelProvider: options.modelProvider,
    ...(tracing.useOtelInstrumentation ? { interceptorOptions: { useOtelInstrumentation: true } } : {}),
  });
  // Read first too: a bad STEADFAST_WORKFLOW_THREADS stops the worker before it connects.
  const dispatch: WorkerDispatch = {
    ...WORKER_DISPATCH,
    workflowThreadPoolSize: workflowThreads(),
    ...options.dispatch,
  };
  const ownsConnection = !options.connection;
  const connection = options.connection ?? (await NativeConnection.connect(settings.connectionOptions));
  const taskQueue = options.taskQueue ?? settings.taskQueue;
  const workflows = taskQueue === settings.taskQueue;
  const tools = taskQueue === settings.toolTaskQueue;
  const workerOptions: WorkerOptions = {
    connection,
    namespace: settings.namespace,
    taskQueue,
    ...(workflows
      ? { workflowBundle: { codePath: (await workflowBundle(undefined, options.log)).codePath } }
      : {}),
    // The plugin registers the model activity; on a tools-only queue it is never scheduled.
    activities: tools ? (options.activities ?? withEnvFaults(defaultActivities, options.log)) : {},
    plugins: [plugin, traceContextPlugin()],
    // Large payloads (model requests and responses) go to the payload store; history keeps references.
    dataConverter,
    identity: options.identity ?? `steadfast-worker@${process.pid}`,
    shutdownGraceTime: '10 seconds',
    stickyQueueScheduleToStartTimeout: dispatch.stickyQueueScheduleToStartTimeout,
    maxEagerActivityReservationsPerWorkflowTask: dispatch.maxEagerActivityReservationsPerWorkflowTask,
    workflowThreadPoolSize: dispatch.workflowThreadPoolSize,
    ...(dispatch.deferFirstHeartbeat ? { interceptors: { activity: [deferFirstHeartbeat()] } } : {}),
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
