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
  heartbeatTimeout: '5 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
  },
  summary: {
    provide: (agent) => `model call: ${agent?.name ?? 'agent'}`,
  },
};
