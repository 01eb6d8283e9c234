import type { RunToolApprovalItem } from '@openai/agents-core';
import type { Phase, ReviewDecision } from '../../common/research-types.js';
import type { ReviewGate, ToolCallRequest } from './review.js';

/** A call's arguments are shown (and kept in the status) up to this many characters. */
const ARGUMENT_CHARS = 4000;

/** What a tool needing approval adds to its review: its phase, a check, and what the reviewer sees. */
export interface ToolReviewer {
  /** The phase the run shows while the call waits (default awaiting_tool_approval). */
  phase?: Phase;
  /**
   * Runs before anyone is asked: returns a reason to refuse the call outright (the model is told
   * why), or undefined after preparing what the reviewer sees (e.g. a diff).
   */
  prepare?(args: unknown, callId: string): Promise<string | undefined>;
  /** Told the decision (approved calls then run through the tool as usual). */
  decided?(decision: ReviewDecision): void;
}

export type ApprovalAnswer = { approved: true } | { approved: false; message: string };

/**
 * How the run answers the Agents SDK's interruptions: a tool marked `needsApproval` stops its
 * agent's run; each pending call is put before a person (status, CLI, API, UI) and the run goes on
 * from its RunState with the call approved or rejected. Tools may register a reviewer.
 */
export interface ToolApprovals {
  register(tool: string, reviewer: ToolReviewer): void;
  decide(item: RunToolApprovalItem, agentName: string): Promise<ApprovalAnswer>;
}

export function toolApprovals(gate: ReviewGate): ToolApprovals {
  const reviewers = new Map<string, ToolReviewer>();
  return {
    register(tool, reviewer) {
      reviewers.set(tool, reviewer);
    },
    async decide(item, agentName) {
      const raw = item.rawItem as { callId?: string; id?: string };
      const request: ToolCallRequest = {
        callId: raw.callId ?? raw.id ?? `${agentName}:${item.name ?? 'tool'}`,
        tool: item.name ?? 'tool',
        agent: agentName,
        arguments: (item.arguments ?? '').slice(0, ARGUMENT_CHARS),
      };
      const reviewer = reviewers.get(request.tool);
      const refusal = await reviewer?.prepare?.(parseArguments(item.arguments), request.callId);
      if (refusal !== undefined) {
        const decision = gate.refuse(request, refusal);
        reviewer?.decided?.(decision);
        return { approved: false, message: `Not run: ${refusal}` };
      }
      const decision = await gate.reviewToolCall(request, reviewer?.phase ?? 'awaiting_tool_approval');
      reviewer?.decided?.(decision);
      if (decision.decision === 'approved') return { approved: true };
      return {
        approved: false,
        message:
          decision.decision === 'timed_out'
            ? 'Not run: nobody approved this call before the review timeout.'
            : `Not run: the reviewer rejected this call${decision.reason ? ` (${decision.reason})` : ''}.`,
      };
    },
  };
}

function parseArguments(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '{}');
  } catch {
    return undefined;
  }
}
