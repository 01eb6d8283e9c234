import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AnswerClarifications, ResearchStatus } from './types.js';

/** Answers to the pending clarifying questions. Validated before it enters history; returns at once. */
export const answerClarificationsUpdate = defineUpdate<ResearchStatus, [AnswerClarifications]>('answerClarifications');
/** Proceed without answers ("no preference"). */
export const skipClarificationsUpdate = defineUpdate<ResearchStatus, []>('skipClarifications');
/** Stop the run; work in flight is cancelled and the run ends as cancelled. */
export const cancelUpdate = defineUpdate<ResearchStatus, [{ reason?: string }]>('cancel');
export const statusQuery = defineQuery<ResearchStatus>('status');
