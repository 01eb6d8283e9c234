import { Agent, type Tool } from '@openai/agents-core';

const INSTRUCTIONS =
  'You answer follow-up questions about a research report, for an engineer, in a conversation. The ' +
  'report and the passages it cites are below; the earlier questions and answers come before the ' +
  'question. Answer from the report, its passages and what searchCorpus and readDocument find in the ' +
  'same document corpus, and only from those: search when the report does not cover the question. ' +
  'Open with the direct answer, in plain sentences, then add the details that matter. End every ' +
  'claim with the [sourceId] of the passage that supports it, exactly as written. If the sources do ' +
  'not answer the question, say so and say what they do cover.';

/**
 * The conversation's answering agent: text out, the corpus tools in, the report (and what is
 * known of the conversation) in its instructions.
 */
export function conversationAgent(context: string, tools: Tool[]): Agent {
  return new Agent({ name: 'Conversation', instructions: `${INSTRUCTIONS}\n\n${context}`, tools });
}
