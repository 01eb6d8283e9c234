// The real Agents SDK runner (the worker's CommonJS instance) over a provider under test.
import type { ModelProvider } from '@openai/agents-core';
import { agentsCore } from '../../src/worker/sdk.js';

// These runs are outside any worker: no trace exporter, no console noise.
agentsCore.setTracingDisabled(true);

/** A structured output like the agents' own: an object with a list of strings. */
export const PLAN_OUTPUT = {
  type: 'json_schema' as const,
  name: 'plan',
  strict: true,
  schema: {
    type: 'object' as const,
    properties: { queries: { type: 'array', items: { type: 'string' } } },
    required: ['queries'],
    additionalProperties: false as const,
  },
};

export const VALID_PLAN = '{"queries":["activity retries","retry policy"]}';

/** Runs one agent to its final output, outside any workflow (no tracing exporter). */
export async function runAgent(
  provider: ModelProvider,
  options: { structured?: boolean; maxTokens?: number } = {},
  input = 'How do activity retries work?'
) {
  const agent = new agentsCore.Agent({
    name: 'Planner',
    instructions: 'You plan searches: a few key terms per query.',
    ...(options.structured ? { outputType: PLAN_OUTPUT as never } : {}),
    ...(options.maxTokens ? { modelSettings: { maxTokens: options.maxTokens } } : {}),
  });
  const runner = new agentsCore.Runner({ modelProvider: provider, tracingDisabled: true });
  return runner.run(agent, input, { maxTurns: 3 });
}
