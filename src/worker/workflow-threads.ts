/**
 * How many threads run this worker's workflow tasks (the SDK's workflowThreadPoolSize).
 *
 * A workflow task runs on a workflow thread: the sandboxed orchestration code, the Agents SDK
 * runner, a run's local activities waiting on the main thread. With one thread (the SDK's default
 * when V8 contexts are reused) concurrent runs take their workflow tasks one after another; a
 * second thread lets two run at once, for about 140 MB more memory (a second V8 isolate holding
 * the workflow bundle). On two cores the main thread (activities, the connection) needs one of them,
 * so the default is one thread there and two from four cores on. STEADFAST_WORKFLOW_THREADS overrides.
 */
import os from 'node:os';
import { UserError } from '../common/errors.js';

export const WORKFLOW_THREADS_VAR = 'STEADFAST_WORKFLOW_THREADS';
const MAX_THREADS = 16;

export function defaultWorkflowThreads(cores = os.availableParallelism()): number {
  return cores >= 4 ? 2 : 1;
}

export function workflowThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[WORKFLOW_THREADS_VAR]?.trim();
  if (!raw) return defaultWorkflowThreads();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS)
    throw new UserError(
      `${WORKFLOW_THREADS_VAR}=${JSON.stringify(raw)} is not a number of workflow threads between 1 and ${MAX_THREADS}`,
      `set it to a whole number such as 2 (each thread costs about 140 MB), or unset it for the default (${defaultWorkflowThreads()} on this machine)`
    );
  return n;
}
