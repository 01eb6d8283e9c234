import { Agent, type AgentOptions } from '@openai/agents-core';
import type { z } from 'zod';

/**
 * A research agent: a name, its instructions and the zod schema of its structured answer, plus
 * tools or guardrails where it has them. The output type stays visible in the agent's type, so the
 * workflow's runner returns it typed.
 */
export function structuredAgent<S extends z.ZodObject>(
  name: string,
  outputType: S,
  instructions: string,
  more: Omit<AgentOptions<unknown, S>, 'name' | 'instructions' | 'outputType'> = {}
): Agent<unknown, S> {
  return new Agent({ ...more, name, instructions, outputType });
}
