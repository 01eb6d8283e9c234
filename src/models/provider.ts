import { OpenAIProvider } from '@openai/agents-openai';
import type { ModelProvider } from '@openai/agents-core';
import type { ModelEndpoint } from './endpoint.js';
import { retryNetworkFailures } from './transient.js';

export * from './endpoint.js';
import { createRequire } from 'node:module';

// The CommonJS build of openai: the plugin's model activity (CommonJS) classifies failures with
// `instanceof APIError` from that build, so the client must throw its errors (429 → RateLimit).
const { OpenAI } = createRequire(import.meta.url)('openai') as typeof import('openai');

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
