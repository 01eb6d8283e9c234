import { setHandler } from '@temporalio/workflow';
import type { ResearchStatus, SearchStatus, Usage } from '../../common/research-types.js';
import { rejectIf } from '../failures.js';
import { checkAnswers, type ResearchParams } from '../input.js';
import {
  answerClarificationsUpdate,
  cancelReasonSignal,
  skipClarificationsUpdate,
  statusQuery,
} from '../messages.js';

/** The status a run starts with: what the `status` Query returns before any step has run. */
export function initialStatus(workflowId: string, input: ResearchParams): ResearchStatus {
  return {
    workflowId,
    question: input.question,
    format: input.format,
    phase: 'starting',
    startedAt: new Date().toISOString(),
    questions: [],
    answers: null,
    clarification: input.clarify ? 'not_needed' : 'disabled',
    searches: [],
    errors: [],
    warnings: [],
    usage: { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  };
}

/** Whether the run is waiting for answers; set by the workflow, cleared by the Updates. */
export interface ClarificationGate {
  awaiting: boolean;
}

/**
 * The run's messages: the `status` Query, the clarification Updates (validated before they enter
 * history, and returning at once — they never run the research) and the cancel-reason Signal.
 */
export function handleMessages(status: ResearchStatus): ClarificationGate {
  const gate: ClarificationGate = { awaiting: false };
  setHandler(statusQuery, () => status);
  setHandler(
    answerClarificationsUpdate,
    (update) => {
      status.answers = update.answers.map((a) => a.trim());
      status.clarification = 'answered';
      gate.awaiting = false;
      return status;
    },
    { validator: (update) => rejectIf(checkAnswers(status.questions, gate.awaiting, update)) }
  );
  setHandler(
    skipClarificationsUpdate,
    () => {
      status.clarification = 'skipped';
      gate.awaiting = false;
      return status;
    },
    {
      validator: () =>
        rejectIf(gate.awaiting ? undefined : 'no clarifying questions are waiting; nothing to skip'),
    }
  );
  // Cancellation is Temporal's own (the run ends CANCELLED); this Signal only records why.
  setHandler(cancelReasonSignal, (request) => {
    status.errors.push(`cancelled: ${request.reason?.slice(0, 500) || 'by request'}`);
  });
  return gate;
}

/** Each clarifying question with its answer ("no preference" when none was given). */
export function clarificationPairs(status: ResearchStatus): { question: string; answer: string }[] {
  return status.questions.map((question, i) => ({
    question,
    answer: status.answers?.[i] ?? 'no preference',
  }));
}

/** The asker's answers as a paragraph for the planner's prompt ('' when there were none). */
export function clarificationContext(status: ResearchStatus): string {
  const pairs = clarificationPairs(status);
  if (pairs.length === 0) return '';
  return '\n\nWhat the asker told us:\n' + pairs.map((p) => `- ${p.question} ${p.answer}`).join('\n');
}

/** The report's section on searches that failed: what the report does not cover. */
export function failedSearchesNote(failed: SearchStatus[]): string {
  return (
    '## Searches that failed\n\n' +
    'These searches produced nothing; the report above does not cover what they would have found.\n\n' +
    failed.map((s) => `- "${s.query}": ${s.error ?? 'unknown error'}`).join('\n')
  );
}

/** The report's section on web pages the run did not read (refused for safety, robots.txt, failing). */
export function unreadPagesNote(unread: { url: string; reason: string }[]): string {
  return (
    '## Pages not read\n\n' +
    'These pages came up in searches but were not read; the report does not cover them.\n\n' +
    unread.map((u) => `- ${u.url}: ${u.reason}`).join('\n')
  );
}

export function addUsage(total: Usage, u: Usage): void {
  total.requests += u.requests;
  total.inputTokens += u.inputTokens;
  total.outputTokens += u.outputTokens;
  total.totalTokens += u.totalTokens;
}

/** Trimmed, non-empty strings of at most `max` characters. */
export function bounded(items: string[], max: number): string[] {
  return items.map((q) => q.trim().slice(0, max)).filter((q) => q.length > 0);
}
