import { z } from 'zod';
import type { ClosedReason, ConversationTurn } from '../../common/conversation-types.js';
import type { Usage } from '../../common/research-types.js';
import { durationMs } from '../../common/duration.js';
import type { WorkflowStreamState } from '@temporalio/workflow-streams/workflow';

/** Bounds shared by the conversation workflow, its Update validator, the CLI and the HTTP API. */
export const CONVERSATION_LIMITS = {
  questionChars: 2000,
  /** Questions accepted and not yet answered, at most. */
  waitingQuestions: 5,
  /** Characters of the report body the answering agent sees (more is cut at a paragraph). */
  reportBodyChars: 16_000,
  /** Characters of the running summary of earlier turns. */
  summaryChars: 4000,
} as const;

function validDuration(d: string | number): boolean {
  try {
    return durationMs(d) > 0;
  } catch {
    return false;
  }
}

const duration = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .refine(validDuration, 'not a duration: use e.g. "7 days", "10 minutes", "90s" or milliseconds');

const Citation = z.object({
  n: z.number().int().min(1),
  sourceId: z.string().min(1).max(500),
  path: z.string().max(2000),
  title: z.string().max(500),
  excerpt: z.string().max(2000),
});

/** The report a conversation is about: what the research run returned. */
export const ReportContext = z.object({
  title: z.string().max(300),
  /** The research question. */
  question: z.string().max(2000),
  summary: z.string().max(8000),
  /** The report body with numbered citations, as the research run returned it. */
  markdown: z.string().max(60_000),
  citations: z.array(Citation).max(200),
});
export type ReportContext = z.infer<typeof ReportContext>;

/**
 * What one run of a conversation hands to the next when it continues as new: a compact state,
 * never the transcript (see handover.ts).
 */
export interface CarriedState {
  /** This run's number in the chain (the first run is 1). */
  run: number;
  /** Questions answered so far. */
  turns: number;
  /** The latest turns, oldest first; the agent's memory is rebuilt from the last `memoryTurns`. */
  recent: ConversationTurn[];
  /** The turns older than the agent's memory: how many, and a running summary. */
  earlier: { turns: number; summary: string };
  /** The conversation stream's state (its log truncated: every turn was complete). */
  stream: WorkflowStreamState;
  startedAt: string;
  /** When the last question was answered: the idle timeout runs from here. */
  lastActivity: string;
  usage: Usage;
  note?: string;
}

export const ConversationInput = z.object({
  researchWorkflowId: z.string().min(1).max(300),
  report: ReportContext,
  /** The research run's corpus (a directory on the workers' machines); omitted = the default corpus. */
  corpus: z.string().min(1).optional(),
  model: z.string().min(1).max(100).optional(),
  taskQueues: z
    .object({ models: z.string().min(1).max(200).optional(), tools: z.string().min(1).max(200).optional() })
    .optional(),
  /** The model's context size in tokens, when known: the report the agent sees is cut to fit. */
  modelContextTokens: z.number().int().min(512).max(10_000_000).optional(),
  /** How long the conversation waits for a question before it closes (durably). */
  idleTimeout: duration('7 days'),
  /** Continue as new before the run's history passes either bound (or when Temporal suggests it). */
  handover: z
    .object({
      historyBytes: z.number().int().min(10_000).default(4_000_000),
      historyEvents: z.number().int().min(20).default(4000),
    })
    .default({ historyBytes: 4_000_000, historyEvents: 4000 }),
  /** Answered turns kept whole (shown, and carried across continue-as-new). */
  keepTurns: z.number().int().min(1).max(50).default(10),
  /** Of those, the latest ones the answering agent sees as messages (older ones only as a summary). */
  memoryTurns: z.number().int().min(0).max(20).default(4),
  /** Set by the client when an earlier conversation about this report had closed. */
  previous: z
    .object({
      turns: z.number().int().min(0),
      closedReason: z.enum(['idle', 'closed_by_request']).optional(),
      closedAt: z.string().max(40).optional(),
    })
    .optional(),
  /** Set by the conversation itself when it continues as new. */
  carried: z.custom<CarriedState>((v) => v === undefined || (typeof v === 'object' && v !== null)).optional(),
});
export type ConversationInput = z.input<typeof ConversationInput>;
export type ConversationParams = z.output<typeof ConversationInput>;

/** One conversation per research run: its workflow id derives from the run's. */
export function conversationWorkflowId(researchWorkflowId: string): string {
  return `conversation-${researchWorkflowId}`;
}

/** The question rule of the `ask` Update's validator, shared with the CLI and API. Returns the problem. */
export function checkQuestion(question: unknown): string | undefined {
  if (typeof question !== 'string') return 'the question must be a string';
  if (question.trim().length === 0) return 'the question is empty: ask something about the report';
  if (question.length > CONVERSATION_LIMITS.questionChars)
    return `the question is ${question.length} characters; the limit is ${CONVERSATION_LIMITS.questionChars}`;
  return undefined;
}

/** Why a closed conversation closed, in words. */
export function closedBecause(reason: ClosedReason | undefined, idleTimeoutMs: number): string {
  if (reason === 'closed_by_request') return 'it was closed on request';
  const hours = idleTimeoutMs / 3_600_000;
  const span =
    hours >= 48
      ? `${Math.round(hours / 24)} days`
      : hours >= 2
        ? `${Math.round(hours)} hours`
        : idleTimeoutMs >= 120_000
          ? `${Math.round(idleTimeoutMs / 60_000)} minutes`
          : `${Math.round(idleTimeoutMs / 1000)} seconds`;
  return `nobody asked anything for ${span}`;
}
