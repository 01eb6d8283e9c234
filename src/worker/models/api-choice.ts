import type { ModelApi, ModelCallSettings, ModelEndpoint } from '../../common/model-endpoint.js';
import { jsonCandidates, stripReasoning } from './reasoning.js';

/** The API for an endpoint and why; no `api` means it could not be decided (the endpoint did not answer). */
export interface ApiChoice {
  api?: ModelApi;
  reason?: string;
}

// A prompt that a model left to itself answers in prose: only a server that enforces
// `text.format` turns the answer into this object.
const PROBE_INPUT = 'Say hello to the reader and count to three.';
const PROBE_SCHEMA = {
  type: 'object',
  properties: { greeting: { type: 'string' }, count: { type: 'integer' } },
  required: ['greeting', 'count'],
  additionalProperties: false,
};

/**
 * STEADFAST_MODEL_API, or for `auto`: OpenAI and the offline model server speak the Responses
 * API; any other endpoint is probed once.
 */
export async function chooseModelApi(
  endpoint: ModelEndpoint,
  settings: Pick<ModelCallSettings, 'api' | 'timeoutMs'>,
  env = process.env
): Promise<ApiChoice> {
  if (settings.api !== 'auto') return { api: settings.api, reason: `STEADFAST_MODEL_API=${settings.api}` };
  if (endpoint.kind !== 'compatible' || !endpoint.baseURL) return { api: 'responses' };
  if (await isOfflineModelServer(endpoint.baseURL, settings.timeoutMs)) {
    return { api: 'responses', reason: 'the steadfast offline model server' };
  }
  return probeResponsesApi(endpoint.baseURL, endpoint.model, env.OPENAI_API_KEY, settings.timeoutMs);
}

/**
 * Whether the endpoint is steadfast's own offline model server (it lists its models as owned by
 * steadfast): it speaks both APIs, and a probe would be a model request like any other (counted,
 * logged, and repeated by every worker that starts).
 */
async function isOfflineModelServer(baseURL: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(`${baseURL.replace(/\/+$/, '')}/models`, {
      signal: AbortSignal.timeout(Math.min(timeoutMs, 5000)),
    });
    const body = (await res.json()) as { data?: { owned_by?: unknown }[] };
    return res.ok && Array.isArray(body.data) && body.data.some((m) => m.owned_by === 'steadfast');
  } catch {
    return false;
  }
}

function replyText(body: unknown): string {
  const b = body as { output_text?: unknown; output?: { type?: string; content?: { text?: unknown }[] }[] };
  if (typeof b?.output_text === 'string') return b.output_text;
  return (b?.output ?? [])
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content ?? [])
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .join('');
}

function followsSchema(text: string): boolean {
  return jsonCandidates(stripReasoning(text)).some((candidate) => {
    try {
      const v = JSON.parse(candidate) as Record<string, unknown>;
      return typeof v?.greeting === 'string' && Number.isInteger(v.count);
    } catch {
      return false;
    }
  });
}

/**
 * Does the endpoint serve /v1/responses properly, i.e. honour a `text.format` JSON schema? Servers
 * that take the route but ignore the schema (llama-server) answer in prose; the agents' structured
 * outputs need the schema enforced, which such servers do for Chat Completions' `response_format`.
 */
export async function probeResponsesApi(
  baseURL: string,
  model: string,
  apiKey: string | undefined,
  timeoutMs: number
): Promise<ApiChoice> {
  const url = `${baseURL.replace(/\/+$/, '')}/responses`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      },
      body: JSON.stringify({
        model,
        input: PROBE_INPUT,
        max_output_tokens: 48,
        text: { format: { type: 'json_schema', name: 'probe', strict: true, schema: PROBE_SCHEMA } },
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { reason: `no answer from ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}` };
  }
  const text = await res.text().catch(() => '');
  if (res.status === 404 || res.status === 405 || res.status === 501) {
    return { api: 'chat', reason: `${url} answered ${res.status} (no Responses API)` };
  }
  if (!res.ok) {
    // 400 is the server rejecting the request shape; others (401, 429, 5xx) say nothing about the API.
    if (res.status === 400 || res.status === 422) {
      return { api: 'chat', reason: `${url} rejected a text.format request (${res.status})` };
    }
    return { reason: `${url} answered ${res.status}: ${text.slice(0, 200)}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { api: 'chat', reason: `${url} did not answer with a Responses object` };
  }
  return followsSchema(replyText(body))
    ? { api: 'responses', reason: `${url} honours text.format` }
    : { api: 'chat', reason: `${url} ignores text.format JSON schemas (probe)` };
}
