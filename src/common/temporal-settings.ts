import type { NativeConnectionOptions } from '@temporalio/worker';
import { loadClientConnectConfig } from '@temporalio/envconfig';

export const DEFAULT_TASK_QUEUE = 'steadfast';
export const EMBEDDED_ADDRESS = '127.0.0.1:7233';

/** Where the Temporal service is and how to reach it. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  /** The queue of workflow tasks (and of every activity, unless the two below split them off). */
  taskQueue: string;
  /** Queue of model-call activities when model workers run apart (STEADFAST_MODEL_TASK_QUEUE). */
  modelTaskQueue: string;
  /** Queue of tool activities — corpus, render — when tool workers run apart (STEADFAST_TOOL_TASK_QUEUE). */
  toolTaskQueue: string;
  /** True when no cluster is configured: steadfast starts (or reuses) its own local dev server. */
  embedded: boolean;
  connectionOptions: NativeConnectionOptions;
  /** Temporal Web UI base URL, when known. */
  uiUrl?: string;
}

export interface TemporalFlags {
  address?: string;
  namespace?: string;
  taskQueue?: string;
}

/**
 * Resolves the Temporal target from flags, then the standard Temporal environment variables and
 * config file (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*,
 * TEMPORAL_PROFILE) through @temporalio/envconfig. With nothing configured the target is the
 * embedded dev server on 127.0.0.1.
 */
export function resolveTemporalSettings(flags: TemporalFlags = {}, env = process.env): TemporalSettings {
  const loaded = loadClientConnectConfig();
  const configuredAddress = flags.address ?? env.TEMPORAL_ADDRESS ?? loaded.connectionOptions.address;
  const embedded = configuredAddress === undefined;
  const address = configuredAddress ?? EMBEDDED_ADDRESS;
  const namespace = flags.namespace ?? env.TEMPORAL_NAMESPACE ?? loaded.namespace ?? 'default';
  const taskQueue = flags.taskQueue ?? env.STEADFAST_TASK_QUEUE ?? DEFAULT_TASK_QUEUE;
  const modelTaskQueue = env.STEADFAST_MODEL_TASK_QUEUE || taskQueue;
  const toolTaskQueue = env.STEADFAST_TOOL_TASK_QUEUE || taskQueue;
  const uiUrl = env.TEMPORAL_UI_URL ?? (embedded ? embeddedUiUrl(address) : cloudUiUrl(address));
  return {
    address,
    namespace,
    taskQueue,
    modelTaskQueue,
    toolTaskQueue,
    embedded,
    connectionOptions: { ...loaded.connectionOptions, address },
    uiUrl,
  };
}

export function embeddedUiUrl(address: string): string {
  const [host, port] = splitHostPort(address);
  return `http://${host}:${port + 1000}`;
}

function cloudUiUrl(address: string): string | undefined {
  return address.includes('.tmprl.cloud') ? 'https://cloud.temporal.io' : undefined;
}

export function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

/** Link to one workflow run in the Temporal Web UI. */
export function workflowUiLink(
  settings: Pick<TemporalSettings, 'uiUrl' | 'namespace'>,
  workflowId: string
): string | undefined {
  if (!settings.uiUrl) return undefined;
  return `${settings.uiUrl}/namespaces/${encodeURIComponent(settings.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The `taskQueues` a workflow input carries: only the queues that differ from the workflow's own. */
export function splitQueues(
  settings: Pick<TemporalSettings, 'taskQueue'> &
    Partial<Pick<TemporalSettings, 'modelTaskQueue' | 'toolTaskQueue'>>
): { models?: string; tools?: string } | undefined {
  const models =
    settings.modelTaskQueue && settings.modelTaskQueue !== settings.taskQueue
      ? settings.modelTaskQueue
      : undefined;
  const tools =
    settings.toolTaskQueue && settings.toolTaskQueue !== settings.taskQueue
      ? settings.toolTaskQueue
      : undefined;
  return models || tools ? { ...(models ? { models } : {}), ...(tools ? { tools } : {}) } : undefined;
}
