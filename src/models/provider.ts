import { OpenAIProvider } from '@openai/agents-openai';
import { createRequire } from 'node:module';

// The CommonJS build of openai: the plugin's model activity (CommonJS) classifies failures with
// `instanceof APIError` from that build, so the client must throw its errors (429 → RateLimit).
const { OpenAI } = createRequire(import.meta.url)('openai') as typeof import('openai');

export const OFFLINE_MODEL = 'steadfast-offline';
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

/** Which model endpoint the worker talks to. Never carries the API key itself into logs. */
export interface ModelEndpoint {
  kind: 'openai' | 'compatible' | 'offline';
  /** Base URL including /v1; undefined means the OpenAI default. */
  baseURL?: string;
  /** Default model name that clients put into workflow input. */
  model: string;
}

/**
 * Resolution order: OPENAI_BASE_URL (any OpenAI-compatible endpoint, key optional) →
 * OPENAI_API_KEY (real OpenAI) → the offline model server (started by the caller).
 */
export function configuredEndpoint(env = process.env): ModelEndpoint | undefined {
  if (env.OPENAI_BASE_URL) {
    return {
      kind: 'compatible',
      baseURL: env.OPENAI_BASE_URL,
      model: env.STEADFAST_MODEL ?? DEFAULT_OPENAI_MODEL,
    };
  }
  if (env.OPENAI_API_KEY) return { kind: 'openai', model: env.STEADFAST_MODEL ?? DEFAULT_OPENAI_MODEL };
  return undefined;
}

export function offlineEndpoint(baseURL: string, env = process.env): ModelEndpoint {
  return { kind: 'offline', baseURL, model: env.STEADFAST_MODEL ?? OFFLINE_MODEL };
}

/**
 * The stock Agents SDK provider (Responses API) pointed at the endpoint. The key is read from the
 * environment here, in the worker process only; it never enters workflow input or history.
 */
export function createModelProvider(endpoint: ModelEndpoint, env = process.env): OpenAIProvider {
  // Retries belong to Temporal (visible in history, durable across worker crashes), so the
  // client's own retry loop is off; the activity's startToClose bounds each attempt.
  const openAIClient = new OpenAI({
    apiKey: env.OPENAI_API_KEY ?? 'offline-no-key',
    ...(endpoint.baseURL ? { baseURL: endpoint.baseURL } : {}),
    maxRetries: 0,
    timeout: 110_000,
  });
  return new OpenAIProvider({ openAIClient: openAIClient as never, useResponses: true });
}

export function describeEndpoint(endpoint: ModelEndpoint): string {
  switch (endpoint.kind) {
    case 'offline':
      return `model: steadfast offline model server at ${endpoint.baseURL} (a deterministic, extractive stand-in, not a real LLM; set OPENAI_API_KEY or OPENAI_BASE_URL for a real model)`;
    case 'compatible':
      return `model: ${endpoint.model} at ${endpoint.baseURL}`;
    case 'openai':
      return `model: ${endpoint.model} (OpenAI)`;
  }
}
