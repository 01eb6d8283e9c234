import type { ModelActivityOptions } from '@temporalio/openai-agents';

/**
 * How every model call is scheduled as an activity. Rate limits (429, with the server's
 * Retry-After honoured by the plugin) and 5xx are retried with backoff; 4xx other than 408/409/429
 * are non-retryable (classified by the plugin). Clients may override these per run through the
 * plugin's modelParams header.
 */
export const MODEL_ACTIVITY: ModelActivityOptions = {
  // Covers the worker's default call deadline (110 s) twice over, plus a repair turn; clients that
  // configure STEADFAST_MODEL_TIMEOUT set it per run through the plugin's modelParams header.
  startToCloseTimeout: '250 seconds',
  // The plugin heartbeats a running call every half of this (the SDK sends at most one per 0.8 of
  // it): a worker that dies mid-call is noticed within 1.5 s, and the retry starts 0.5 s later on
  // another worker — 2 s at worst. A call shorter than 1.2 s sends one heartbeat, as with any timeout.
  heartbeatTimeout: '1500 ms',
  retry: {
    initialInterval: '500 ms',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
  },
  summary: {
    provide: (agent) => `model call: ${agent?.name ?? 'agent'}`,
  },
};
