import type { ModelProvider } from '@openai/agents-core';
import type { ModelEndpoint } from '../common/model-endpoint.js';
import { retryNetworkFailures } from './model-network-errors.js';

export * from '../common/model-endpoint.js';
import { agentsOpenAI, openai } from './sdk.js';

const { OpenAIProvider } = agentsOpenAI;
const { OpenAI } = openai;

/**
 * The stock Agents SDK provider (Responses API) pointed at the endpoint. The key is read from the
 * environment here, in the worker process only; it never enters workflow input or history.
 */
export function createModelProvider(endpoint: ModelEndpoint, env = process.env): ModelProvider {
  // Retries belong to Temporal (visible in history, durable across worker crashes), so the
  // client's own retry loop is off; the activity's startToClose bounds each attempt.
  const openAIClient = new OpenAI({
    apiKey: env.OPENAI_API_KEY ?? 'offline-no-key',
    ...(endpoint.baseURL ? { baseURL: endpoint.baseURL } : {}),
    maxRetries: 0,
    timeout: 110_000,
  });
  return retryNetworkFailures(
    new OpenAIProvider({ openAIClient: openAIClient as never, useResponses: true })
  );
}
