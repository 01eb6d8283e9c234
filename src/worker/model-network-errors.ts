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

/**
 * A model call that did not answer within its budget (STEADFAST_MODEL_TIMEOUT, or what was left of
 * the activity attempt). Retryable: a busy local server may answer the next attempt in time.
 */
export class ModelCallTimedOut extends Error {
  override name = 'ModelCallTimedOut';
  constructor(budgetMs: number, bound: string, options?: ErrorOptions) {
    super(
      budgetMs < 1000
        ? `no time was left for the model call (${bound})`
        : `the model did not answer within ${Math.round(budgetMs / 1000)} s (${bound}); for a slow server raise ` +
            'STEADFAST_MODEL_TIMEOUT, or lower STEADFAST_MAX_OUTPUT_TOKENS',
      options
    );
  }
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
