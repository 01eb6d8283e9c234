import { z } from 'zod';
import type { ResearchStatus } from '../common/research-types.js';
import { LIMITS } from './input.js';

/** Bounds of the review messages, shared by the Update validators, the CLI and the HTTP API. */
export const REVIEW_LIMITS = {
  byChars: 200,
  reasonChars: 1000,
  callIdChars: 200,
  queryChars: 200,
  queryReasonChars: 400,
  /** A replacement plan holds at most as many searches as any run may plan. */
  planSearches: LIMITS.maxSearches,
} as const;

const By = z
  .string()
  .trim()
  .min(1, 'say who decides ("by")')
  .max(REVIEW_LIMITS.byChars, `"by" is at most ${REVIEW_LIMITS.byChars} characters`);
const Reason = z
  .string()
  .max(REVIEW_LIMITS.reasonChars, `the reason is at most ${REVIEW_LIMITS.reasonChars} characters`)
  .optional();

/** One search of a replacement plan: a query, and optionally why. */
export const PlannedSearchInput = z.object({
  query: z
    .string()
    .trim()
    .min(2, 'a query needs at least 2 characters')
    .max(REVIEW_LIMITS.queryChars, `a query is at most ${REVIEW_LIMITS.queryChars} characters`),
  reason: z
    .string()
    .trim()
    .max(REVIEW_LIMITS.queryReasonChars, `a reason is at most ${REVIEW_LIMITS.queryReasonChars} characters`)
    .default('given by the reviewer'),
});

export const ReplacementPlan = z
  .array(PlannedSearchInput)
  .min(1, 'a plan needs at least one search')
  .max(REVIEW_LIMITS.planSearches, `a plan holds at most ${REVIEW_LIMITS.planSearches} searches`);

/** approvePlan: go on with the proposed plan, or with `plan` instead. */
export const ApprovePlan = z.object({ by: By, reason: Reason, plan: ReplacementPlan.optional() });
export type ApprovePlan = z.input<typeof ApprovePlan>;

/** rejectPlan: end the run without searching. */
export const RejectPlan = z.object({ by: By, reason: Reason });
export type RejectPlan = z.input<typeof RejectPlan>;

/** approveToolCall / rejectToolCall: the decision on one pending tool call, named by its call id. */
export const ToolCallDecision = z.object({
  callId: z.string().min(1).max(REVIEW_LIMITS.callIdChars),
  by: By,
  reason: Reason,
});
export type ToolCallDecision = z.input<typeof ToolCallDecision>;

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
}

/**
 * The plan Updates' rule, shared with the CLI/API so they can tell the user before sending: a
 * plan must be waiting, and the request well formed. Returns an error message.
 */
export function checkPlanDecision(
  status: Pick<ResearchStatus, 'phase' | 'review'>,
  request: unknown,
  schema: typeof ApprovePlan | typeof RejectPlan
): string | undefined {
  if (status.review?.plan?.state !== 'pending')
    return `no plan is waiting for approval (phase ${status.phase}${status.review?.plan ? `, plan ${status.review.plan.state}` : ''})`;
  const parsed = schema.safeParse(request);
  return parsed.success ? undefined : `invalid plan decision: ${issues(parsed.error)}`;
}

/** The tool-call Updates' rule: that call must be waiting, and the request well formed. */
export function checkToolCallDecision(
  status: Pick<ResearchStatus, 'phase' | 'review'>,
  request: unknown
): string | undefined {
  const parsed = ToolCallDecision.safeParse(request);
  if (!parsed.success) return `invalid tool-call decision: ${issues(parsed.error)}`;
  const pending = (status.review?.calls ?? []).filter((c) => c.state === 'pending');
  if (pending.some((c) => c.callId === parsed.data.callId)) return undefined;
  const decided = status.review?.calls.find((c) => c.callId === parsed.data.callId);
  if (decided) return `tool call ${parsed.data.callId} was already decided (${decided.state})`;
  return pending.length === 0
    ? `no tool call is waiting for approval (phase ${status.phase})`
    : `no pending tool call ${parsed.data.callId}; waiting: ${pending.map((c) => `${c.callId} (${c.tool})`).join(', ')}`;
}
