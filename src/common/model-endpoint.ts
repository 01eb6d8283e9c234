// Which model endpoint to use: pure configuration, cheap to import (no SDK).

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
