import { patched, proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { corpusActivities } from '../../activities/corpus.js';
import type { renderActivities } from '../../activities/render.js';
import type { fileActivities } from '../../activities/files.js';
import { FILE_NON_RETRYABLE } from '../../activities/file-errors.js';
import type { WebActivities } from '../../activities/web/index.js';
import { WEB_NON_RETRYABLE } from '../../activities/web/types.js';

/** Failures that retrying cannot fix: bad input, a missing corpus or source, an invalid report. */
const NON_RETRYABLE_INPUT = [
  'CorpusNotFound',
  'CorpusEmpty',
  'InvalidQuery',
  'SourceNotFound',
  'InvalidReport',
];

/**
 * The file activities (the approved write, and the rollback workflow's undoing of it): short,
 * retried (they are idempotent by run), and their heartbeat lets a dead worker's attempt be retried
 * within seconds.
 */
export const FILE_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...FILE_NON_RETRYABLE],
  },
} satisfies ActivityOptions;

/**
 * The activities of one research run, each with its own timeout and retry policy. `toolQueue` is
 * the task queue of the corpus and render activities (the workflow's own queue unless the run
 * names another).
 */
export function researchActivities(toolQueue: string | undefined) {
  const queue = toolQueue ? { taskQueue: toolQueue } : {};
  const { prepareCorpus } = proxyActivities<typeof corpusActivities>({
    ...queue,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE_INPUT },
    summary: 'index the corpus',
  });
  const corpus = proxyActivities<typeof corpusActivities>({
    ...queue,
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '500 ms', maximumAttempts: 4, nonRetryableErrorTypes: NON_RETRYABLE_INPUT },
  });
  if (!toolQueue) onTheWorkflowQueue.add(corpus);
  const { renderReport } = proxyActivities<typeof renderActivities>({
    ...queue,
    // A render takes about a second and sends no heartbeat: when its worker dies, this is what the
    // run waits before the next attempt (2 minutes made a kill during a render cost 2 minutes).
    startToCloseTimeout: '30 seconds',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_INPUT },
    summary: 'render report.md and report.pdf',
  });
  const web = proxyActivities<WebActivities>({
    ...queue,
    startToCloseTimeout: '60 seconds',
    // A 429's Retry-After becomes the next attempt's delay (capped by the activity).
    retry: {
      initialInterval: '1 second',
      maximumAttempts: 3,
      nonRetryableErrorTypes: [...WEB_NON_RETRYABLE],
    },
  });
  const files = proxyActivities<typeof fileActivities>({ ...queue, ...FILE_ACTIVITY_OPTIONS });
  return { prepareCorpus, corpus, web, renderReport, files };
}

/** Corpus search and read, as the searcher's tools call them. */
export type CorpusActivities = ReturnType<typeof researchActivities>['corpus'];
/** The diff, the approved write and (from the rollback workflow) its undoing. */
export type FileActivities = ReturnType<typeof researchActivities>['files'];
/** Web search, page fetching and the worker's web configuration. */
export type WebToolActivities = ReturnType<typeof researchActivities>['web'];

/** The patch under which a run's corpus reads are local activities (runs recorded before keep theirs). */
export const LOCAL_READS_PATCH = 'corpus-reads-are-local-activities';

/** Corpus proxies whose activities run on the workflow's own queue, hence on this very worker. */
const onTheWorkflowQueue = new WeakSet<object>();

/**
 * The corpus reads of a search. searchCorpus and readDocument only read the worker's corpus index —
 * pure and idempotent — so they run as local activities: inside the workflow task that asks for
 * them, with no schedule/start/complete round trip through the server, their results recorded as
 * markers for replay. Only when the run's tools are on the workflow's queue (a worker of that queue
 * has them registered) and the run is not a replay of one recorded before (patched); otherwise the
 * regular activities of `corpus`.
 */
export function corpusReads(corpus: CorpusActivities): CorpusActivities {
  if (!onTheWorkflowQueue.has(corpus) || !patched(LOCAL_READS_PATCH)) return corpus;
  return proxyLocalActivities<typeof corpusActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '500 ms', maximumAttempts: 4, nonRetryableErrorTypes: NON_RETRYABLE_INPUT },
  });
}
