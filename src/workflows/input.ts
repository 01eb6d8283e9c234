import { z } from 'zod';
import { durationMs } from '../common/duration.js';

function validDuration(d: string | number): boolean {
  try {
    return durationMs(d) > 0;
  } catch {
    return false;
  }
}

/** A wait: a Temporal duration string or milliseconds, `fallback` when omitted. */
function duration(fallback: string) {
  return z
    .union([z.string(), z.number()])
    .default(fallback)
    .refine(
      (d) => validDuration(d),
      'not a duration: use e.g. "24 hours", "10 minutes", "90s" or milliseconds'
    );
}

/** Bounds shared by the workflow, its Update validators, the CLI and the HTTP API. */
export const LIMITS = {
  questionChars: 2000,
  answerChars: 1000,
  preferencesChars: 2000,
  maxSearches: 8,
  searchConcurrency: 4,
} as const;

export const ResearchInput = z.object({
  question: z.string().trim().min(3, 'the question is empty').max(LIMITS.questionChars),
  /** A directory on the workers' machines; omitted = the default corpus (installed docs + docs/). */
  corpus: z.string().min(1).optional(),
  preferences: z.string().max(LIMITS.preferencesChars).optional(),
  format: z.enum(['report', 'checklist']).default('report'),
  /** Idempotency key: the workflow id derives from it, so a repeated start returns the same run. */
  requestId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:-]+$/, 'requestId may hold letters, digits and . _ : - only'),
  model: z.string().min(1).max(100).optional(),
  /** false = skip triage and clarification entirely. */
  clarify: z.boolean().default(true),
  /** How long to wait for answers before proceeding with "no preference" (Temporal duration string or ms). */
  clarificationTimeout: duration('24 hours'),
  maxSearches: z.number().int().min(1).max(LIMITS.maxSearches).default(5),
  /**
   * Task queues for model calls and for tool activities (corpus, render), when workers are split
   * by role; omitted = the workflow's own queue.
   */
  taskQueues: z
    .object({ models: z.string().min(1).max(200).optional(), tools: z.string().min(1).max(200).optional() })
    .optional(),
  searchConcurrency: z.number().int().min(1).max(8).default(LIMITS.searchConcurrency),
  /** Research the web too (webSearch and fetchPage tools): alone, the web only; with `corpus`, both. */
  web: z.boolean().default(false),
  /** Ask a verifier agent about the claims the support score doubts (worth it on real models). */
  verifier: z.boolean().default(false),
  /**
   * The model's context size in tokens, when the endpoint tells it (or STEADFAST_MODEL_CONTEXT_TOKENS):
   * the writer's evidence is trimmed to fit, with a warning.
   */
  modelContextTokens: z.number().int().min(512).max(10_000_000).optional(),
  /** The output cap of every model call (STEADFAST_MAX_OUTPUT_TOKENS): reserved in that context. */
  modelMaxOutputTokens: z.number().int().min(16).max(1_000_000).optional(),
  /** Wait for a person to approve (or replace, or reject) the plan before any search. */
  reviewPlan: z.boolean().default(false),
  /**
   * The one file this run may write (absolute, resolved by the client): the rendered report or
   * checklist, written only after a person approves its diff. docs/review.md.
   */
  writeTo: z
    .string()
    .max(1024, 'the --write-to path is at most 1024 characters')
    .refine((p) => isAbsolutePath(p), 'the file to write must be an absolute path (the client resolves it)')
    .refine(
      (p) => !/[/\\]$/.test(p),
      'the file to write names a folder; name the file, e.g. DIR/checklist.md'
    )
    .refine((p) => !p.includes('\0'), 'the file to write contains a NUL character')
    .optional(),
  /** How long each review point waits for a decision (Temporal duration string or ms). */
  reviewTimeout: duration('24 hours'),
  /**
   * What a plan review does when nobody decides in time. A write or another tool call waiting for
   * approval is always rejected at its timeout: nothing is written without a person's decision.
   */
  onReviewTimeout: z.enum(['proceed', 'reject']).default('reject'),
  /**
   * Tools (by name, e.g. searchCorpus, fetchPage) whose every call in this run waits for a person's
   * approval, as if marked needsApproval in code.
   */
  approveTools: z
    .array(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a tool name: letters, digits and _ . - (at most 64)'))
    .max(16)
    .default([]),
});
export type ResearchInput = z.input<typeof ResearchInput>;
export type ResearchParams = z.output<typeof ResearchInput>;

/** POSIX or Windows absolute path; checked here without Node's path module (the workflow sandbox has none). */
function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

export function researchWorkflowId(requestId: string): string {
  return `research-${requestId}`;
}

export const AnswerClarifications = z.object({
  answers: z.array(z.string()),
});
export type AnswerClarifications = z.infer<typeof AnswerClarifications>;

/**
 * The Update validator's rule, shared with the CLI/API so they can tell the user before sending:
 * one non-empty answer per pending question, each within the size bound. Returns an error message.
 */
export function checkAnswers(questions: string[], pending: boolean, answers: unknown): string | undefined {
  if (!pending)
    return 'no clarifying questions are waiting for answers (already answered, skipped, timed out, or never asked)';
  const parsed = AnswerClarifications.safeParse(answers);
  if (!parsed.success) return 'answers must be an object {"answers": [string, ...]}';
  const list = parsed.data.answers;
  if (list.length !== questions.length)
    return `expected ${questions.length} answers (one per question), got ${list.length}`;
  for (const [i, a] of list.entries()) {
    if (a.trim().length === 0) return `answer ${i + 1} is empty; write "no preference" to leave it open`;
    if (a.length > LIMITS.answerChars)
      return `answer ${i + 1} is ${a.length} characters; the limit is ${LIMITS.answerChars}`;
  }
  return undefined;
}
