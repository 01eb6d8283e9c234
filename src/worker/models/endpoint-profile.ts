import { modelCallSettings, type ModelEndpoint } from '../../common/model-endpoint.js';
import { chooseModelApi } from './api-choice.js';
import { probeContext } from './context-size.js';

/**
 * What a worker (or a client about to start runs) learns about its endpoint once, at start: the
 * API to speak (configured, or probed) and the context size (configured, or told by the server).
 * An API the probe could not decide (the endpoint did not answer) is probed again at the first call.
 */
export async function profileEndpoint(endpoint: ModelEndpoint, env = process.env): Promise<ModelEndpoint> {
  const settings = modelCallSettings(env);
  const [choice, context] = await Promise.all([
    endpoint.api
      ? { api: endpoint.api, reason: endpoint.apiReason }
      : chooseModelApi(endpoint, settings, env),
    endpoint.context ?? probeContext(endpoint, settings, env),
  ]);
  return {
    ...endpoint,
    ...(choice.api ? { api: choice.api } : {}),
    ...(choice.reason ? { apiReason: choice.reason } : {}),
    ...(context ? { context } : {}),
  };
}

/** Only the context size: for clients that start runs but do not call the model themselves. */
export async function endpointContext(endpoint: ModelEndpoint, env = process.env): Promise<ModelEndpoint> {
  const context = endpoint.context ?? (await probeContext(endpoint, modelCallSettings(env), env));
  return context ? { ...endpoint, context } : endpoint;
}
