import type { ModelProvider } from '@openai/agents-core';

/**
 * The model provider for places that need an OpenAIAgentsPlugin but never call a model: clients
 * (the plugin only injects headers there), workflow bundling and history replay.
 */
export const noModels: ModelProvider = {
  getModel: () => {
    throw new Error('no model here: model calls run on workers');
  },
};
