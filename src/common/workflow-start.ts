// Options every steadfast workflow is started with (clients, CLI, API, benchmarks).

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
