import { proxyActivities } from '@temporalio/workflow';
import type { corpusActivities } from '../../activities/corpus.js';
import type { renderActivities } from '../../activities/render.js';
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
  const { renderReport } = proxyActivities<typeof renderActivities>({
    ...queue,
    startToCloseTimeout: '2 minutes',
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
  return { prepareCorpus, corpus, web, renderReport };
}

/** Corpus search and read, as the searcher's tools call them. */
export type CorpusActivities = ReturnType<typeof researchActivities>['corpus'];
/** Web search, page fetching and the worker's web configuration. */
export type WebToolActivities = ReturnType<typeof researchActivities>['web'];
