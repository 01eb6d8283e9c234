import type { Model, ModelProvider } from '@openai/agents-core';
import type { Client } from '@temporalio/client';
import type { ChatEvent } from '../../src/common/conversation-types.js';
import { createModelProvider, offlineEndpoint } from '../../src/worker/model-provider.js';
import { ConversationClient, type ConversationClientOptions } from '../../src/client/conversation.js';
import type { ResearchClient } from '../../src/client/research.js';

/** Memoizes `make`: the first call runs it (inside a test, once the fixture is up), later ones share it. */
export function lazily<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/** A completed research run to talk about (clarification off, two searches: a few seconds offline). */
export async function completedResearch(research: ResearchClient, requestId: string): Promise<string> {
  const { workflowId } = await research.start({
    question: 'How do I add human approval to a durable agent?',
    requestId,
    clarify: false,
    maxSearches: 2,
  });
  await research.result(workflowId);
  return workflowId;
}

export function conversationClient(
  fx: { client: Client; settings: { taskQueue: string }; research: ResearchClient },
  settings?: ConversationClientOptions['settings'],
  taskQueue = fx.settings.taskQueue
): ConversationClient {
  return new ConversationClient({
    client: fx.client,
    taskQueue,
    research: fx.research,
    ...(settings ? { settings } : {}),
  });
}

/** The real model provider on the offline server, recording the instructions and input of every model call. */
export function recordingProvider(
  baseURL: string,
  inputs: { instructions?: string; input: unknown }[]
): ModelProvider {
  const inner = createModelProvider(offlineEndpoint(baseURL));
  return {
    async getModel(name?: string): Promise<Model> {
      const model = await inner.getModel(name);
      return {
        getResponse: (request) => {
          inputs.push({ instructions: request.systemInstructions, input: request.input });
          return model.getResponse(request);
        },
        getStreamedResponse: (request) => {
          inputs.push({ instructions: request.systemInstructions, input: request.input });
          return model.getStreamedResponse(request);
        },
      };
    },
  };
}

/** The answer a client shows at the end of a turn: the text since the turn's last reset. */
export function shownText(events: ChatEvent[]): string {
  let text = '';
  for (const e of events) {
    if (e.type === 'reset') text = '';
    if (e.type === 'text') text += e.text;
  }
  return text;
}

/** The runs of a workflow, first to latest, walked back through continue-as-new. */
export async function runsOf(client: Client, workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    runs.unshift(runId);
    const { events } = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runId = events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}
