// Options every steadfast workflow is started with (clients, CLI, API, benchmarks).
import { settingMs } from './duration.js';
import { UserError } from './errors.js';

/**
 * How long a worker may hold a workflow task before Temporal gives it to another worker.
 *
 * The server's default is 10 s, and it is what a crash costs: a worker killed while it holds a
 * workflow task (it takes one after every completed step, so a crash right after a model call lands
 * there) leaves the run waiting out that timeout before any worker may replay it. A workflow task of
 * ours takes milliseconds, and a full replay of a run's history on a fresh worker about 0.2 s on two
 * loaded cores, so 2 s leaves a margin of ten; a task that runs longer local activities is kept alive
 * by the SDK (it heartbeats the task at 80% of this timeout), and one that times out is replayed, not
 * lost. Set at start: a run keeps the timeout it was started with (continue-as-new inherits it).
 */
export const WORKFLOW_TASK_TIMEOUT = '2 seconds';

export const WORKFLOW_TASK_TIMEOUT_VAR = 'STEADFAST_WORKFLOW_TASK_TIMEOUT';

/**
 * The workflow task timeout runs are started with: STEADFAST_WORKFLOW_TASK_TIMEOUT (for very slow
 * machines or very long histories), else WORKFLOW_TASK_TIMEOUT. Between 1 s and 60 s.
 */
export function workflowTaskTimeout(env: NodeJS.ProcessEnv = process.env): string | number {
  const raw = env[WORKFLOW_TASK_TIMEOUT_VAR]?.trim();
  if (!raw) return WORKFLOW_TASK_TIMEOUT;
  const millis = settingMs(raw);
  if (millis === undefined || millis < 1000 || millis > 60_000)
    throw new UserError(
      `${WORKFLOW_TASK_TIMEOUT_VAR}=${JSON.stringify(raw)} is not a workflow task timeout between 1 s and 60 s`,
      `set it to a duration such as "2 seconds" (the default), "5s" or 5000; a longer one makes a crashed worker cost that long`
    );
  return /^\d+$/.test(raw) ? millis : raw;
}
