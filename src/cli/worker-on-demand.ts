import { hasRecentPollers } from '../client/pollers.js';
import { NoWorkerError } from '../common/errors.js';
import { openEnvironment, type Environment, type EnvironmentOptions } from './environment.js';

/**
 * Runs `fn` with a worker available, when it `needsWorker` (Queries and Updates do): on the embedded
 * default, when none polls (or none answers, e.g. the last one just died), this process runs one
 * and tries again. With a configured cluster, workers are the operator's; the error says so.
 */
export async function withWorkerOnDemand(
  needsWorker: boolean,
  options: Omit<EnvironmentOptions, 'worker'>,
  fn: (env: Environment) => Promise<void>
): Promise<void> {
  let env = await openEnvironment({ ...options, worker: false });
  try {
    if (needsWorker && env.settings.embedded && !(await somePolling(env)))
      env = await withLocalWorker(env, options);
    try {
      await fn(env);
    } catch (err) {
      if (!(err instanceof NoWorkerError) || !needsWorker || !env.settings.embedded || env.workers) throw err;
      env = await withLocalWorker(env, options);
      await fn(env);
    }
  } finally {
    await env.close();
  }
}

/** Whether a worker polled the task queue lately; when that cannot be told, the call itself will. */
function somePolling(env: Environment): Promise<boolean> {
  const { namespace, taskQueue } = env.settings;
  return hasRecentPollers(env.client, namespace, taskQueue).catch(() => true);
}

async function withLocalWorker(
  env: Environment,
  options: Omit<EnvironmentOptions, 'worker'>
): Promise<Environment> {
  process.stderr.write('no worker is answering: running one in this process\n');
  await env.close();
  return openEnvironment({ ...options, worker: true });
}
