// Which model endpoint to use and how to call it: pure configuration, cheap to import (no SDK).
import { durationMs } from './duration.js';
import { UserError } from './errors.js';

export const OFFLINE_MODEL = 'steadfast-offline';
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

/** The two OpenAI wire APIs the worker can speak. */
export type ModelApi = 'responses' | 'chat';

/** Which model endpoint the worker talks to. Never carries the API key itself into logs. */
export interface ModelEndpoint {
  kind: 'openai' | 'compatible' | 'offline';
  /** Base URL including /v1; undefined means the OpenAI default. */
  baseURL?: string;
  /** Default model name that clients put into workflow input. */
  model: string;
  /** The API the worker speaks to it, once decided (configured, or probed at worker start). */
  api?: ModelApi;
  /** Why that API, or why it is not decided yet (e.g. the endpoint did not answer the probe). */
  apiReason?: string;
  /** Tokens one request may hold (prompt + output), when known, and where the number comes from. */
  context?: ModelContext;
}

export interface ModelContext {
  tokens: number;
  /** e.g. "STEADFAST_MODEL_CONTEXT_TOKENS", "llama-server /props (n_ctx per slot)". */
  source: string;
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

/** How every model call is made, read from the environment (see docs/real-models.md). */
export interface ModelCallSettings {
  /** STEADFAST_MODEL_API: auto = Responses for OpenAI and the offline server, probed for others. */
  api: ModelApi | 'auto';
  /** STEADFAST_MODEL_TIMEOUT: the client's limit on one HTTP call to the model. */
  timeoutMs: number;
  /** STEADFAST_MAX_OUTPUT_TOKENS: the output cap of a call whose agent sets none. */
  maxOutputTokens: number;
  /** STEADFAST_MODEL_CONTEXT_TOKENS: the context size, when the endpoint does not tell it. */
  contextTokens?: number;
}

/** What runs need to know to fit their prompts: the context size and every call's output cap. */
export interface ModelLimits {
  contextTokens?: number;
  maxOutputTokens?: number;
}

/** The limits of an endpoint, as this process knows them (the worker reads the same settings). */
export function modelLimits(endpoint: ModelEndpoint | undefined, env = process.env): ModelLimits {
  const settings = modelCallSettings(env);
  const contextTokens = endpoint?.context?.tokens ?? settings.contextTokens;
  return { ...(contextTokens ? { contextTokens } : {}), maxOutputTokens: settings.maxOutputTokens };
}

export const DEFAULT_MODEL_TIMEOUT_MS = 110_000;
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/** Reads the model call settings; a bad value is a UserError naming the variable and the fix. */
export function modelCallSettings(env = process.env): ModelCallSettings {
  const api = (env.STEADFAST_MODEL_API ?? 'auto').trim().toLowerCase();
  if (api !== 'auto' && api !== 'responses' && api !== 'chat') {
    throw new UserError(
      `STEADFAST_MODEL_API=${env.STEADFAST_MODEL_API} is not an API`,
      'use responses (OpenAI Responses API), chat (Chat Completions) or auto (probe the endpoint)'
    );
  }
  const context = positiveInt(env, 'STEADFAST_MODEL_CONTEXT_TOKENS');
  return {
    api,
    timeoutMs: timeoutFrom(env),
    maxOutputTokens: positiveInt(env, 'STEADFAST_MAX_OUTPUT_TOKENS') ?? DEFAULT_MAX_OUTPUT_TOKENS,
    ...(context ? { contextTokens: context } : {}),
  };
}

/** A plain number is seconds ("300"); otherwise a duration such as "300s" or "5 minutes". */
function timeoutFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.STEADFAST_MODEL_TIMEOUT?.trim();
  if (!raw) return DEFAULT_MODEL_TIMEOUT_MS;
  let millis: number | undefined;
  try {
    millis = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : durationMs(raw);
  } catch {
    millis = undefined;
  }
  if (millis === undefined || !(millis >= 1000)) {
    throw new UserError(
      `STEADFAST_MODEL_TIMEOUT=${raw} is not a timeout of at least one second`,
      'give seconds ("300") or a duration ("300s", "5 minutes")'
    );
  }
  return millis;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new UserError(`${name}=${raw} is not a positive whole number of tokens`, `e.g. ${name}=4096`);
  }
  return n;
}

/**
 * The start-to-close timeout a model call activity needs: one attempt holds the call and, when
 * its output is unusable, one repair call (each bounded by the client timeout), plus a margin.
 */
export function modelActivityTimeoutMs(settings: Pick<ModelCallSettings, 'timeoutMs'>): number {
  return 2 * settings.timeoutMs + 30_000;
}

/**
 * The model activity options a client puts on every run it starts (the plugin's `modelParams`,
 * sent as a workflow header, which wins field by field over the workflow's own defaults): the
 * start-to-close timeout follows STEADFAST_MODEL_TIMEOUT.
 */
export function modelActivityParams(settings: Pick<ModelCallSettings, 'timeoutMs'>): {
  startToCloseTimeout: string;
} {
  return { startToCloseTimeout: `${Math.ceil(modelActivityTimeoutMs(settings) / 1000)}s` };
}

const API_NAMES: Record<ModelApi, string> = { responses: 'Responses API', chat: 'Chat Completions' };

/** The one line about the model: which endpoint, which API and why, and the context size if known. */
export function describeEndpoint(endpoint: ModelEndpoint): string {
  const api = endpoint.api
    ? `${API_NAMES[endpoint.api]}${endpoint.apiReason ? `: ${endpoint.apiReason}` : ''}`
    : `API decided at the first call${endpoint.apiReason ? `: ${endpoint.apiReason}` : ''}`;
  const context = endpoint.context
    ? `; context ${endpoint.context.tokens} tokens (${endpoint.context.source})`
    : '';
  switch (endpoint.kind) {
    case 'offline':
      return `model: steadfast offline model server at ${endpoint.baseURL}, ${api} (a deterministic, extractive stand-in, not a real LLM; set OPENAI_API_KEY or OPENAI_BASE_URL for a real model)`;
    case 'compatible':
      return `model: ${endpoint.model} at ${endpoint.baseURL} (${api}${context})`;
    case 'openai':
      return `model: ${endpoint.model} (OpenAI, ${api}${context})`;
  }
}
