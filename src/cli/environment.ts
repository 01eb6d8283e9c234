import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import {
  configuredEndpoint,
  describeEndpoint,
  offlineEndpoint,
  type ModelEndpoint,
} from '../models/endpoint.js';
import { dataDir } from '../paths.js';
import { ensureDevServer } from '../temporal/dev-server.js';
import {
  resolveTemporalSettings,
  splitHostPort,
  type TemporalFlags,
  type TemporalSettings,
} from '../temporal/settings.js';
import { UserError } from '../errors.js';

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
  worker?: Worker;
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
    if (!server.reused)
      log(
        `temporal: started a local dev server at ${server.address} (data: ${path.join(dataDir(), 'temporal.db')})`
      );
  }
  const connection = await connectClient(settings);
  closers.push(() => connection.close());

  let endpoint: ModelEndpoint | undefined;
  let worker: Worker | undefined;
  if (options.worker === true || (options.worker === 'auto' && settings.embedded)) {
    // Heavy modules (the Agents SDK, the worker) load only when this process runs a worker.
    const [{ startModelServer }, { createModelProvider }, { createWorker }] = await Promise.all([
      import('../models/server.js'),
      import('../models/provider.js'),
      import('../temporal/worker.js'),
    ]);
    endpoint = configuredEndpoint();
    if (!endpoint) {
      const modelServer = await startModelServer({ port: 0 });
      closers.unshift(() => modelServer.close());
      endpoint = offlineEndpoint(modelServer.baseURL);
    }
    log(describeEndpoint(endpoint));
    const created = await createWorker({ settings, modelProvider: createModelProvider(endpoint), log });
    worker = created.worker;
    const running = worker.run();
    closers.unshift(async () => {
      if (worker!.getState() === 'RUNNING') worker!.shutdown();
      await running;
      await created.connection.close();
    });
  } else {
    endpoint = configuredEndpoint();
  }

  const plugins = [];
  if (options.clientPlugin || worker) {
    const { OpenAIAgentsPlugin } = await import('@temporalio/openai-agents');
    // The client never calls a model: the provider is only a required constructor argument.
    plugins.push(
      new OpenAIAgentsPlugin({ modelProvider: { getModel: () => Promise.reject(new Error('client-side')) } })
    );
  }
  const client = new Client({ connection, namespace: settings.namespace, plugins });
  return {
    settings,
    client,
    endpoint,
    worker,
    async close() {
      for (const close of closers) await close().catch(() => {});
    },
  };
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
