import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AnswerClarifications } from './input.js';
import type { ResearchStatus } from '../common/research-types.js';

/** Answers to the pending clarifying questions. Validated before it enters history; returns at once. */
export const answerClarificationsUpdate = defineUpdate<ResearchStatus, [AnswerClarifications]>(
  'answerClarifications'
);
/** Proceed without answers ("no preference"). */
export const skipClarificationsUpdate = defineUpdate<ResearchStatus, []>('skipClarifications');
/** Why the run is being cancelled; sent just before Temporal's cancellation request. */
export const cancelReasonSignal = defineSignal<[{ reason?: string }]>('cancel');
export const statusQuery = defineQuery<ResearchStatus>('status');
