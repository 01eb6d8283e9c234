import type { Agent, RunResult } from '@openai/agents-core';
import { TemporalOpenAIRunner } from '@temporalio/openai-agents/workflow';
import { ApplicationFailure } from '@temporalio/workflow';
import type { Usage } from '../../common/research-types.js';
import { MODEL_ACTIVITY } from '../model-params.js';
import type { ResearchParams } from '../input.js';
import type { ToolApprovals } from './approvals.js';
import { addUsage } from './status.js';

/** The agent with the tools the run names in `approveTools` marked needsApproval (the agent itself when none). */
function withApprovalsAsked<A extends Agent<any, any>>(agent: A, marked: ReadonlySet<string>): A {
  if (!agent.tools.some((t) => marked.has(t.name))) return agent;
  return agent.clone({
    tools: agent.tools.map((t) =>
      t.type === 'function' && marked.has(t.name) ? { ...t, needsApproval: async () => true } : t
    ),
  }) as A;
}

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
 * retries, the run's model name, and every call's tokens added to `usage`. A tool marked
 * `needsApproval` interrupts the agent's run: each pending call goes to `approvals`, and the run
 * resumes from its RunState with the decisions (the plugin's RunState support).
 */
export function agentRunner(
  input: ResearchParams,
  workflowId: string,
  usage: Usage,
  approvals: ToolApprovals
): RunAgent {
  const runner = new TemporalOpenAIRunner({
    defaultModelParams: input.taskQueues?.models
      ? { ...MODEL_ACTIVITY, taskQueue: input.taskQueues.models }
      : MODEL_ACTIVITY,
  });
  const marked = new Set(input.approveTools);
  return async <A extends Agent<any, any>>(given: A, prompt: string, maxTurns = 6): Promise<OutputOf<A>> => {
    const agent = withApprovalsAsked(given, marked);
    const options = {
      maxTurns,
      runConfig: { ...(input.model ? { model: input.model } : {}), workflowName: `research ${workflowId}` },
    };
    let result = await runner.run(agent, prompt, options);
    let counted = { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    const countUsage = () => {
      // A resumed RunState carries the usage so far: add only what is new.
      const total = result.state.usage;
      addUsage(usage, {
        requests: total.requests - counted.requests,
        inputTokens: total.inputTokens - counted.inputTokens,
        outputTokens: total.outputTokens - counted.outputTokens,
        totalTokens: total.totalTokens - counted.totalTokens,
      });
      counted = { ...total };
    };
    countUsage();
    while (result.interruptions.length > 0) {
      for (const item of result.interruptions) {
        const answer = await approvals.decide(item, agent.name);
        if (answer.approved) result.state.approve(item);
        else result.state.reject(item, { message: answer.message });
      }
      result = await runner.run(agent, result.state, options);
      countUsage();
    }
    if (result.finalOutput === undefined || result.finalOutput === null) {
      throw ApplicationFailure.nonRetryable(
        `the ${agent.name} agent ended without an output`,
        'NoAgentOutput'
      );
    }
    return result.finalOutput as OutputOf<A>;
  };
}
