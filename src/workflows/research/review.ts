import { condition, setHandler } from '@temporalio/workflow';
import type {
  Phase,
  PlannedSearch,
  PlanReview,
  ResearchStatus,
  ReviewDecision,
  ReviewStatus,
  ToolCallReview,
} from '../../common/research-types.js';
import { durationMs } from '../../common/duration.js';
import { rejectIf } from '../failures.js';
import type { ResearchParams } from '../input.js';
import {
  approvePlanUpdate,
  approveToolCallUpdate,
  rejectPlanUpdate,
  rejectToolCallUpdate,
} from '../messages.js';
import {
  ApprovePlan,
  checkPlanDecision,
  checkToolCallDecision,
  RejectPlan,
  ToolCallDecision,
} from '../review-input.js';

/** Decisions kept in the status (the history keeps every one of them). */
const MAX_DECISIONS = 100;
const MAX_CALLS = 50;

/** The decision on a plan: the searches to run, or the decision that rejected it. */
export type PlanOutcome = { searches: PlannedSearch[] } | { rejected: ReviewDecision };

/** A tool call to put before a person. */
export type ToolCallRequest = Pick<ToolCallReview, 'callId' | 'tool' | 'agent' | 'arguments'>;

/**
 * The run's review points: the plan waiting for approval, tool calls waiting for approval, and the
 * record of every decision (who, when, what). The Updates that decide are validated before they
 * enter history and return at once; the work they allow runs after them, in the workflow.
 */
export interface ReviewGate {
  /** Waits (durably, up to the review timeout) for the plan to be approved, replaced or rejected. */
  reviewPlan(proposed: PlannedSearch[]): Promise<PlanOutcome>;
  /** Waits for the decision on one tool call; at the timeout the call is rejected, never run. */
  reviewToolCall(call: ToolCallRequest, phase: Phase): Promise<ReviewDecision>;
  /** Records a call refused before anyone was asked (e.g. arguments other than the run allows). */
  refuse(call: ToolCallRequest, reason: string): ReviewDecision;
}

/** Registers the review Updates; the status gets its `review` section now for runs that declared one. */
export function reviewGate(status: ResearchStatus, input: ResearchParams): ReviewGate {
  const timeoutMs = durationMs(input.reviewTimeout);
  const review = (): ReviewStatus =>
    (status.review ??= {
      onTimeout: input.onReviewTimeout,
      timeout: String(input.reviewTimeout),
      calls: [],
      decisions: [],
    });
  if (input.reviewPlan || input.writeTo || input.approveTools.length > 0) review();
  let replacement: PlannedSearch[] | undefined;
  let planDecision: ReviewDecision | undefined;
  const callDecisions = new Map<string, ReviewDecision>();

  const record = (decision: Omit<ReviewDecision, 'at'>): ReviewDecision => {
    const full: ReviewDecision = { at: new Date().toISOString(), ...decision };
    const decisions = review().decisions;
    decisions.push(full);
    if (decisions.length > MAX_DECISIONS) decisions.splice(0, decisions.length - MAX_DECISIONS);
    return full;
  };
  const deadline = () => new Date(Date.now() + timeoutMs).toISOString();

  setHandler(
    approvePlanUpdate,
    (request) => {
      const { by, reason, plan } = ApprovePlan.parse(request);
      replacement = plan;
      review().plan!.state = plan ? 'replaced' : 'approved';
      planDecision = record({
        stage: 'plan',
        decision: plan ? 'replaced' : 'approved',
        by,
        ...(reason ? { reason } : {}),
        detail: plan
          ? `${plan.length} search${plan.length === 1 ? '' : 'es'} given by the reviewer`
          : `${review().plan!.proposed.length} searches`,
      });
      return status;
    },
    { validator: (request) => rejectIf(checkPlanDecision(status, request, ApprovePlan)) }
  );
  setHandler(
    rejectPlanUpdate,
    (request) => {
      const { by, reason } = RejectPlan.parse(request);
      review().plan!.state = 'rejected';
      planDecision = record({
        stage: 'plan',
        decision: 'rejected',
        by,
        ...(reason ? { reason } : {}),
        detail: 'no search',
      });
      return status;
    },
    { validator: (request) => rejectIf(checkPlanDecision(status, request, RejectPlan)) }
  );
  const decideCall = (request: ToolCallDecision, approved: boolean) => {
    const { callId, by, reason } = ToolCallDecision.parse(request);
    const call = review().calls.find((c) => c.callId === callId && c.state === 'pending')!;
    call.state = approved ? 'approved' : 'rejected';
    const decision = record({
      stage: 'tool',
      decision: call.state,
      by,
      callId,
      tool: call.tool,
      ...(reason ? { reason } : {}),
      detail: call.tool,
    });
    callDecisions.set(callId, decision);
    return status;
  };
  setHandler(approveToolCallUpdate, (request) => decideCall(request, true), {
    validator: (request) => rejectIf(checkToolCallDecision(status, request)),
  });
  setHandler(rejectToolCallUpdate, (request) => decideCall(request, false), {
    validator: (request) => rejectIf(checkToolCallDecision(status, request)),
  });

  return {
    async reviewPlan(proposed) {
      const plan: PlanReview = { state: 'pending', proposed, deadline: deadline() };
      review().plan = plan;
      status.phase = 'awaiting_plan_approval';
      const decided = await condition(() => plan.state !== 'pending', timeoutMs);
      if (!decided) {
        plan.state = 'timed_out';
        const proceed = input.onReviewTimeout === 'proceed';
        const decision = record({
          stage: 'plan',
          decision: 'timed_out',
          by: 'timeout',
          detail: proceed
            ? 'no decision in time: proceeding with the proposed plan'
            : 'no decision in time: the run is rejected',
        });
        status.warnings.push(
          `the plan review timed out after ${String(input.reviewTimeout)}: ${decision.detail}`
        );
        return proceed ? { searches: proposed } : { rejected: decision };
      }
      if (plan.state === 'rejected') return { rejected: planDecision! };
      return { searches: replacement ?? proposed };
    },

    async reviewToolCall(request, phase) {
      const calls = review().calls;
      const call: ToolCallReview = {
        ...request,
        state: 'pending',
        requestedAt: new Date().toISOString(),
        deadline: deadline(),
      };
      calls.push(call);
      if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
      const before = status.phase;
      status.phase = phase;
      const decided = await condition(() => call.state !== 'pending', timeoutMs);
      if (!decided) {
        call.state = 'timed_out';
        const decision = record({
          stage: 'tool',
          decision: 'timed_out',
          by: 'timeout',
          callId: call.callId,
          tool: call.tool,
          detail: `no decision in time: ${call.tool} not run`,
        });
        callDecisions.set(call.callId, decision);
      }
      // Another call may still be waiting (parallel agents); the phase says so until it is decided.
      if (status.phase === phase && !calls.some((c) => c.state === 'pending')) status.phase = before;
      return callDecisions.get(call.callId)!;
    },

    refuse(request, reason) {
      const calls = review().calls;
      calls.push({ ...request, state: 'refused', requestedAt: new Date().toISOString() });
      if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
      return record({
        stage: 'tool',
        decision: 'refused',
        by: 'steadfast',
        callId: request.callId,
        tool: request.tool,
        reason,
        detail: `${request.tool} refused before review`,
      });
    },
  };
}
