import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AnswerClarifications } from './input.js';
import type { ApprovePlan, RejectPlan, ToolCallDecision } from './review-input.js';
import type { ResearchStatus } from '../common/research-types.js';

/** Answers to the pending clarifying questions. Validated before it enters history; returns at once. */
export const answerClarificationsUpdate = defineUpdate<ResearchStatus, [AnswerClarifications]>(
  'answerClarifications'
);
/** Proceed without answers ("no preference"). */
export const skipClarificationsUpdate = defineUpdate<ResearchStatus, []>('skipClarifications');
/** Go on with the proposed plan (or with the reviewer's plan instead). Returns at once. */
export const approvePlanUpdate = defineUpdate<ResearchStatus, [ApprovePlan]>('approvePlan');
/** End the run without searching: it completes as `rejected`. */
export const rejectPlanUpdate = defineUpdate<ResearchStatus, [RejectPlan]>('rejectPlan');
/** Run one pending tool call (the write of an approved diff, or any tool marked needsApproval). */
export const approveToolCallUpdate = defineUpdate<ResearchStatus, [ToolCallDecision]>('approveToolCall');
/** Refuse one pending tool call: the tool does not run and the agent is told so. */
export const rejectToolCallUpdate = defineUpdate<ResearchStatus, [ToolCallDecision]>('rejectToolCall');
/** Why the run is being cancelled; sent just before Temporal's cancellation request. */
export const cancelReasonSignal = defineSignal<[{ reason?: string }]>('cancel');
export const statusQuery = defineQuery<ResearchStatus>('status');
