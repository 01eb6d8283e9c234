import { Agent } from '@openai/agents-core';
import { activityAsTool, TemporalOpenAIRunner } from '@temporalio/openai-agents/workflow';
import { workflowInfo } from '@temporalio/workflow';
import type { calendarLookup } from '../activities/calendar.js';
import type { Usage } from '../common/research-types.js';
import { MODEL_ACTIVITY } from './model-params.js';

export interface HelloInput {
  text: string;
  model?: string;
  /** Task queues of model calls and tool activities when workers are split by role. */
  taskQueues?: { models?: string; tools?: string };
}

export interface HelloResult {
  answer: string;
  agent: string;
  usage: Usage;
}

/**
 * The smallest durable agent that exercises the whole path: a concierge agent with one
 * activity-backed tool (reads the real calendar) that hands off to a planner agent.
 */
export async function hello(input: HelloInput): Promise<HelloResult> {
  const planner = new Agent({
    name: 'Planner',
    handoffDescription: 'Writes the plan or answer for the request, using the facts gathered so far.',
    instructions:
      'You write a short, practical answer to the request. Use the dates and facts from the conversation.',
  });

  const concierge = new Agent({
    name: 'Concierge',
    instructions:
      'First look up the calendar with calendarLookup to learn today and the dates of the coming weekend. ' +
      'Then hand off to the Planner, who writes the answer.',
    tools: [
      activityAsTool<typeof calendarLookup>(
        {
          name: 'calendarLookup',
          description: "Today's date and the dates of the coming weekend, on the worker's clock.",
          parameters: {
            type: 'object',
            properties: { request: { type: 'string', description: 'What the dates are needed for.' } },
            required: ['request'],
            additionalProperties: false,
          },
        },
        {
          startToCloseTimeout: '10 seconds',
          retryPolicy: { maximumAttempts: 3 },
          ...(input.taskQueues?.tools ? { taskQueue: input.taskQueues.tools } : {}),
        }
      ),
    ],
    handoffs: [planner],
  });

  const models = input.taskQueues?.models;
  const runner = new TemporalOpenAIRunner({
    defaultModelParams: models ? { ...MODEL_ACTIVITY, taskQueue: models } : MODEL_ACTIVITY,
  });
  const result = await runner.run(concierge, input.text, {
    maxTurns: 8,
    runConfig: {
      ...(input.model ? { model: input.model } : {}),
      workflowName: `hello ${workflowInfo().workflowId}`,
    },
  });
  const u = result.state.usage;
  return {
    answer: String(result.finalOutput ?? ''),
    agent: result.lastAgent?.name ?? concierge.name,
    usage: {
      requests: u.requests,
      inputTokens: u.inputTokens,
      outputTokens: u.outputTokens,
      totalTokens: u.totalTokens,
    },
  };
}
