import type { Agent, RunResult } from '@openai/agents-core';
import { TemporalOpenAIRunner } from '@temporalio/openai-agents/workflow';
import { ApplicationFailure } from '@temporalio/workflow';
import type { Usage } from '../../common/research-types.js';
import { MODEL_ACTIVITY } from '../model-params.js';
import type { ResearchParams } from '../input.js';
import { addUsage } from './status.js';

/** What an agent's run returns: its `outputType` parsed (a string for text agents). */
export type OutputOf<A extends Agent<any, any>> = NonNullable<RunResult<unknown, A>['finalOutput']>;

/** Runs one agent to its final output; every model call is an activity (the plugin's). */
export type RunAgent = <A extends Agent<any, any>>(
  agent: A,
  prompt: string,
  maxTurns?: number
) => Promise<OutputOf<A>>;

/**
 * The run's agent runner: model calls on the run's model queue with MODEL_ACTIVITY's timeouts and
 * retries, the run's model name, and every call's tokens added to `usage`.
 */
export function agentRunner(input: ResearchParams, workflowId: string, usage: Usage): RunAgent {
  const runner = new TemporalOpenAIRunner({
    defaultModelParams: input.taskQueues?.models
      ? { ...MODEL_ACTIVITY, taskQueue: input.taskQueues.models }
      : MODEL_ACTIVITY,
  });
  return async <A extends Agent<any, any>>(agent: A, prompt: string, maxTurns = 6): Promise<OutputOf<A>> => {
    const result = await runner.run(agent, prompt, {
      maxTurns,
      runConfig: { ...(input.model ? { model: input.model } : {}), workflowName: `research ${workflowId}` },
    });
    addUsage(usage, result.state.usage);
    if (result.finalOutput === undefined || result.finalOutput === null) {
      throw ApplicationFailure.nonRetryable(
        `the ${agent.name} agent ended without an output`,
        'NoAgentOutput'
      );
    }
    return result.finalOutput as OutputOf<A>;
  };
}
