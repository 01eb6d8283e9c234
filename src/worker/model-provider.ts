import type { ModelProvider } from '@openai/agents-core';
import {
  modelCallSettings,
  type ModelApi,
  type ModelCallSettings,
  type ModelEndpoint,
} from '../common/model-endpoint.js';
import { ModelEndpointUnreachable, retryNetworkFailures } from './model-network-errors.js';
import { chooseModelApi } from './models/api-choice.js';
import { BoundedJson, fittingRequest } from './models/bounded-json.js';
import { CallLimits } from './models/call-limits.js';
import { RepairingModel } from './models/repair.js';

export * from '../common/model-endpoint.js';
export { profileEndpoint } from './models/endpoint-profile.js';
import { agentsOpenAI, openai } from './sdk.js';

const { OpenAIProvider } = agentsOpenAI;
const { OpenAI } = openai;

export interface ModelProviderOptions {
  /** Receives one line per repair turn (and per failed repair). */
  log?: (line: string) => void;
}

/**
 * The Agents SDK's own models pointed at the endpoint: the Responses API or Chat Completions
 * (STEADFAST_MODEL_API; `auto` uses `endpoint.api` when the worker probed it at start, else probes
 * at the first call). Every call is capped and bounded (CallLimits), an unusable answer gets one
 * repair turn (RepairingModel). JSON schemas sent to local servers bound their strings (BoundedJson),
 * and a reply the cap cut off is repaired under a schema whose answers fit. The key is read from the environment here, in the worker
 * process only; it never enters workflow input or history.
 */
export function createModelProvider(
  endpoint: ModelEndpoint,
  env = process.env,
  options: ModelProviderOptions = {}
): ModelProvider {
  const settings = modelCallSettings(env);
  // Retries belong to Temporal (visible in history, durable across worker crashes), so the
  // client's own retry loop is off. Its timeout is a backstop: CallLimits aborts each call first,
  // with a message that says which limit it met.
  const openAIClient = new OpenAI({
    apiKey: env.OPENAI_API_KEY ?? 'offline-no-key',
    ...(endpoint.baseURL ? { baseURL: endpoint.baseURL } : {}),
    maxRetries: 0,
    timeout: settings.timeoutMs + 5_000,
  });
  const providers: Record<ModelApi, ModelProvider> = {
    responses: new OpenAIProvider({ openAIClient: openAIClient as never, useResponses: true }),
    chat: new OpenAIProvider({ openAIClient: openAIClient as never, useResponses: false }),
  };
  const api = apiOf(endpoint, settings, env);
  return retryNetworkFailures({
    async getModel(name?: string) {
      const chosen = await api();
      let model = await providers[chosen].getModel(name);
      // Local servers reached through Chat Completions enforce the schema with a grammar: bounded
      // strings keep a small model's JSON whole (OpenAI-like strict modes reject the keywords).
      const local = endpoint.kind === 'compatible' && chosen === 'chat';
      if (local) model = new BoundedJson(model);
      return new RepairingModel(new CallLimits(model, settings), settings, {
        log: options.log,
        ...(local ? { fitTruncated: (r) => fittingRequest(r, settings.maxOutputTokens) } : {}),
      });
    },
  });
}

/** The API to speak: known now, or probed at the first call (and again while the endpoint does not answer). */
function apiOf(endpoint: ModelEndpoint, settings: ModelCallSettings, env: NodeJS.ProcessEnv) {
  let known: ModelApi | undefined = endpoint.api;
  let probing: Promise<ModelApi> | undefined;
  return async (): Promise<ModelApi> => {
    if (known) return known;
    probing ??= chooseModelApi(endpoint, settings, env)
      .then((choice) => {
        if (!choice.api) throw new ModelEndpointUnreachable(`cannot choose the model API: ${choice.reason}`);
        return (known = choice.api);
      })
      .finally(() => (probing = undefined));
    return probing;
  };
}
