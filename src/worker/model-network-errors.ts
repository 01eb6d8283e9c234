import type { Model, ModelProvider, ModelRequest, StreamEvent } from '@openai/agents-core';
import { openai } from './sdk.js';

// The CommonJS build, the same one the provider's client throws from (see src/sdk.ts).
const { APIConnectionError } = openai;

/**
 * A network failure talking to the model endpoint (connection refused or reset, timeout). The
 * OpenAI client reports these as an APIError without an HTTP status, which the model activity
 * would classify as non-retryable; as a plain Error it is retried by the activity's policy.
 */
export class ModelEndpointUnreachable extends Error {
  override name = 'ModelEndpointUnreachable';
}

function translate(err: unknown): unknown {
  if (err instanceof APIConnectionError) {
    const cause = (err as { cause?: { message?: string; code?: string } }).cause;
    const detail = cause?.code ?? cause?.message;
    return new ModelEndpointUnreachable(`${err.message}${detail ? ` (${detail})` : ''}`, { cause: err });
  }
  return err;
}

class TransientAwareModel implements Model {
  constructor(private readonly inner: Model) {}

  async getResponse(request: ModelRequest) {
    try {
      return await this.inner.getResponse(request);
    } catch (err) {
      throw translate(err);
    }
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    try {
      yield* this.inner.getStreamedResponse(request);
    } catch (err) {
      throw translate(err);
    }
  }
}

/** Wraps a provider so that connection-level failures are retryable model errors. */
export function retryNetworkFailures(provider: ModelProvider): ModelProvider {
  return {
    async getModel(name?: string) {
      return new TransientAwareModel(await provider.getModel(name));
    },
  };
}
