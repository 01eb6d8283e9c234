import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AskResult, ConversationView } from '../../common/conversation-types.js';

export interface AskRequest {
  question: string;
}

/**
 * A question about the report. The validator rejects an empty or oversized question, and any
 * question while the conversation is closed or handing over to its next run; the result is the
 * answer (the Update lasts as long as the answer takes). Clients set the Update id: it finds the
 * answer again after a lost connection.
 */
export const askUpdate = defineUpdate<AskResult, [AskRequest]>('ask');
/** Close the conversation now (questions in flight are answered first). Returns the final view. */
export const closeUpdate = defineUpdate<ConversationView, []>('close');
export const conversationQuery = defineQuery<ConversationView>('conversation');

/** The stream topic of the model's events (the plugin's streamingTopic). */
export const TOKENS_TOPIC = 'tokens';
/** The stream topic of the workflow's own events (ConversationStreamEvent). */
export const EVENTS_TOPIC = 'conversation';

/** Failure types of the validator that a client handles itself. */
export const HANDING_OVER = 'ConversationHandingOver';
export const CLOSED = 'ConversationClosed';
