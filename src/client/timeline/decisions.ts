import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

/** The review Updates of a research run (src/workflows/messages.ts): their input says who decided what. */
const REVIEW_UPDATES = new Set(['approvePlan', 'rejectPlan', 'approveToolCall', 'rejectToolCall']);

/**
 * Who decided, and what, from a review Update's input as history holds it. Undefined for other
 * Updates, and for an input kept in the payload store (history then holds only its reference).
 */
export function reviewDecisionOf(
  name: string,
  args: temporal.api.common.v1.IPayloads | null | undefined
): { by: string; detail?: string } | undefined {
  if (!REVIEW_UPDATES.has(name)) return undefined;
  const payload = args?.payloads?.[0];
  if (!payload) return undefined;
  let input: { by?: unknown; reason?: unknown; callId?: unknown; plan?: unknown };
  try {
    input = defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined;
  }
  if (typeof input?.by !== 'string') return undefined;
  const parts = [
    ...(Array.isArray(input.plan) ? [`plan replaced: ${input.plan.length} searches`] : []),
    ...(typeof input.callId === 'string' ? [`call ${input.callId}`] : []),
    ...(typeof input.reason === 'string' && input.reason ? [`reason: ${input.reason.slice(0, 200)}`] : []),
  ];
  return { by: input.by.slice(0, 200), ...(parts.length ? { detail: parts.join('; ') } : {}) };
}
