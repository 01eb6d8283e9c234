import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import {
  configuredEndpoint,
  describeEndpoint,
  modelActivityParams,
  modelCallSettings,
  offlineEndpoint,
  type ModelEndpoint,
} from '../common/model-endpoint.js';
import { noModels } from '../common/no-models.js';
import { dataDir } from '../common/paths.js';
import { steadfastDataConverter } from '../common/data-converter.js';
import { ensureDevServer } from '../dev-server/dev-server.js';
import {
  resolveTemporalSettings,
  splitHostPort,
  type TemporalFlags,
  type TemporalSettings,
} from '../common/temporal-settings.js';
import { UserError } from '../common/errors.js';

export interface EnvironmentOptions extends TemporalFlags {
  /**
   * Run a worker inside this process: true, false, or 'auto' = only on the embedded default
   * (with a configured cluster, workers are their own processes).
   */
  worker?: boolean | 'auto';
  /**
   * Attach the OpenAIAgentsPlugin to the client (propagates trace context and model settings
   * into new workflows); only commands that start runs need it. Implied by an in-process worker.
   */
  clientPlugin?: boolean;
  log?: (line: string) => void;
}

/** Everything a command needs: a Temporal client, and — when asked — a model endpoint and an in-process worker. */
export interface Environment {
  settings: TemporalSettings;
  client: Client;
  endpoint?: ModelEndpoint;
  /** The workers running in this process, if any. */
  workers?: LocalWorkers;
  close(): Promise<void>;
}

/**
 * Connects to the configured Temporal service, or starts/reuses the embedded dev server (detached,
 * so runs keep their server after this process exits). With `worker: true` it also resolves the
 * model endpoint (starting the offline model server in-process when none is configured) and runs a
 * worker in this process until close().
 */
export async function openEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const settings = resolveTemporalSettings(options);
  const closers: (() => Promise<void>)[] = [];
  await ensureEmbeddedServer(settings, log);
  const connection = await connectClient(settings);
  closers.push(() => connection.close());

  let endpoint: ModelEndpoint | undefined = configuredEndpoint();
  let workers: LocalWorkers | undefined;
  if (options.worker === true || (options.worker === 'auto' && settings.embedded)) {
    const local = await startLocalWorker(settings, { log });
    workers = local;
    endpoint = local.endpoint;
    const done = local.run();
    closers.unshift(async () => {
      local.shutdown();
      await done;
    });
  }

  const plugins = [];
  if (options.clientPlugin || workers) {
    plugins.push(await modelClientPlugin());
    // Runs get the context size to fit their prompts into; a worker elsewhere is not asked.
    if (endpoint && !workers) {
      const { endpointContext } = await import('../worker/models/endpoint-profile.js');
      endpoint = await endpointContext(endpoint);
    }
  }
  const client = new Client({
    connection,
    namespace: settings.namespace,
    plugins,
    dataConverter: steadfastDataConverter(),
  });
  return {
    settings,
    client,
    endpoint,
    workers,
    async close() {
      for (const close of closers) await close().catch(() => {});
    },
  };
}

/**
 * The client side of the OpenAIAgentsPlugin: it puts trace context and `modelParams` on every run
 * it starts (a workflow header that wins, field by field, over the workflow's own defaults), so
 * the model activity's start-to-close timeout follows STEADFAST_MODEL_TIMEOUT.
 */
export async function modelClientPlugin(env = process.env) {
  const { OpenAIAgentsPlugin } = await import('@temporalio/openai-agents');
  return new OpenAIAgentsPlugin({
    modelProvider: noModels,
    modelParams: modelActivityParams(modelCallSettings(env)),
  });
}

export async function connectClient(settings: TemporalSettings): Promise<Connection> {
  try {
    return await Connection.connect({
      ...(settings.connectionOptions as object),
      address: settings.address,
      connectTimeout: '10s',
    });
  } catch (err) {
    throw new UserError(
      `cannot reach Temporal at ${settings.address} (namespace ${settings.namespace}): ${(err as Error).message}`,
      settings.embedded
        ? 'run `npx steadfast dev-server` and try again, or set TEMPORAL_ADDRESS to a running cluster'
        : 'check TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY, or unset TEMPORAL_ADDRESS to use the embedded dev server'
    );
  }
}

/** On the embedded default, starts (detached) or reuses the local dev server and records its UI URL. */
export async function ensureEmbeddedServer(
  settings: TemporalSettings,
  log: (line: string) => void
): Promise<void> {
  if (!settings.embedded) return;
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
  if (!server.reused) {
    log(
      `temporal: started a local dev server at ${server.address} (data: ${path.join(dataDir(), 'temporal.db')})`
    );
  }
}

/** The workers of this process (one per task queue it polls), run and stopped together. */
export interface LocalWorkers {
  endpoint: ModelEndpoint;
  queues: string[];
  /** Runs until shutdown(); then releases the connection and the model server. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * Workers for this process: resolves the model endpoint (the offline model server, in-process,
 * when none is configured), says which model is in use, and creates one worker per task queue of
 * the role (`all` by default: every queue).
 */
export async function startLocalWorker(
  settings: TemporalSettings,
  options: {
    log: (line: string) => void;
    maxConcurrentActivityTaskExecutions?: number;
    role?: import('../worker/worker.js').WorkerRole;
  }
): Promise<LocalWorkers> {
  // Heavy modules (the Agents SDK, the worker) load only when this process runs a worker.
  const [
    { startModelServer },
    { createModelProvider, profileEndpoint },
    { createWorker, installQuietRuntime, queuesFor },
    { NativeConnection },
  ] = await Promise.all([
    import('../model-server/server.js'),
    import('../worker/model-provider.js'),
    import('../worker/worker.js'),
    import('@temporalio/worker'),
  ]);
  let endpoint = configuredEndpoint();
  let closeModelServer = async () => {};
  if (!endpoint) {
    const modelServer = await startModelServer({ port: 0 });
    closeModelServer = () => modelServer.close();
    endpoint = offlineEndpoint(modelServer.baseURL);
  }
  endpoint = await profileEndpoint(endpoint);
  options.log(describeEndpoint(endpoint));
  installQuietRuntime(); // before the first native connection, which would install the default (chatty) runtime
  const connection = await NativeConnection.connect(settings.connectionOptions);
  const modelProvider = createModelProvider(endpoint, process.env, { log: options.log });
  const queues = queuesFor(settings, options.role ?? 'all');
  const workers: Worker[] = [];
  for (const taskQueue of queues) {
    const created = await createWorker({
      settings,
      taskQueue,
      connection,
      modelProvider,
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
      log: options.log,
    });
    workers.push(created.worker);
  }
  return {
    endpoint,
    queues,
    async run() {
      try {
        await Promise.all(workers.map((w) => w.run()));
      } finally {
        await connection.close();
        await closeModelServer();
      }
    },
    shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}
