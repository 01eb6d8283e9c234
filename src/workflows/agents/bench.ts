import { Agent, type Tool } from '@openai/agents-core';

/** The five tools of the bench agent: no parameters, so the agent calls each once → 6 model turns. */
export const BENCH_TOOLS = [1, 2, 3, 4, 5].map((n) => ({
  name: `benchStep${n}`,
  description: `Step ${n} of 5 of the checklist. Call it once.`,
  parameters: {
    type: 'object' as const,
    properties: {},
    required: [] as string[],
    additionalProperties: false as const,
  },
}));

export const BENCH_TURNS = BENCH_TOOLS.length + 1;

/** A 6-turn agent: five tool calls (one per model turn), then a one-sentence answer. */
export function benchAgent(tools: Tool[]): Agent {
  return new Agent({
    name: 'Bench',
    instructions:
      'Call each of the five step tools once, in order, then answer in one sentence with what they returned.',
    tools,
  });
}
