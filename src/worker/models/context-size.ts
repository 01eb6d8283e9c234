import type { ModelCallSettings, ModelContext, ModelEndpoint } from '../../common/model-endpoint.js';

const PROBE_TIMEOUT_MS = 5_000;

async function getJson(url: string, apiKey: string | undefined): Promise<unknown> {
  try {
    const res = await fetch(url, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}

function positive(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

interface ListedModel {
  id?: string;
  max_model_len?: unknown;
  context_length?: unknown;
  loaded_context_length?: unknown;
  meta?: { n_ctx?: unknown };
}

/**
 * How many tokens one request may hold, and where the number comes from:
 * STEADFAST_MODEL_CONTEXT_TOKENS, else what the endpoint tells — llama-server's `/props` (n_ctx of
 * one slot, the limit a request meets), or the model list (`max_model_len` of vLLM, `meta.n_ctx`
 * of llama-server, `context_length` of LM Studio). OpenAI and the offline server are not asked.
 * Ollama does not tell the context it runs a model with: set the variable for it.
 */
export async function probeContext(
  endpoint: ModelEndpoint,
  settings: Pick<ModelCallSettings, 'contextTokens'>,
  env = process.env
): Promise<ModelContext | undefined> {
  if (settings.contextTokens) {
    return { tokens: settings.contextTokens, source: 'STEADFAST_MODEL_CONTEXT_TOKENS' };
  }
  if (endpoint.kind !== 'compatible' || !endpoint.baseURL) return undefined;
  const base = endpoint.baseURL.replace(/\/+$/, '');
  const root = base.replace(/\/v1$/, '');
  const key = env.OPENAI_API_KEY;

  const props = (await getJson(`${root}/props`, key)) as
    { default_generation_settings?: { n_ctx?: unknown }; n_ctx?: unknown } | undefined;
  const slot = positive(props?.default_generation_settings?.n_ctx) ?? positive(props?.n_ctx);
  if (slot) return { tokens: slot, source: `${root}/props n_ctx (llama-server, per slot)` };

  const list = (await getJson(`${base}/models`, key)) as { data?: ListedModel[] } | undefined;
  const models = Array.isArray(list?.data) ? list.data : [];
  const model = models.find((m) => m.id === endpoint.model) ?? (models.length === 1 ? models[0] : undefined);
  if (!model) return undefined;
  for (const [field, value] of [
    ['max_model_len', model.max_model_len],
    ['meta.n_ctx', model.meta?.n_ctx],
    ['loaded_context_length', model.loaded_context_length],
    ['context_length', model.context_length],
  ] as const) {
    const tokens = positive(value);
    if (tokens) return { tokens, source: `${base}/models ${field}` };
  }
  return undefined;
}
