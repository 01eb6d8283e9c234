/**
 * What the offline model does for a conversation, independent of the wire API: call a tool,
 * hand off, or answer (JSON or text). The tool policy and the answer writer live in their own
 * modules, so that either can be replaced without touching the wire adapters.
 */
import { writeAnswer } from './answer.js';
import { extractMaterial, type Conversation } from './material.js';
import { chooseToolCall } from './tool-policy.js';

export type Decision =
  | { kind: 'function_call'; name: string; arguments: string }
  | { kind: 'handoff'; name: string; arguments: string }
  | { kind: 'json'; text: string; valid: boolean }
  | { kind: 'text'; text: string };

export type DecisionKind = Decision['kind'];

export type CallDecision = Extract<Decision, { kind: 'function_call' | 'handoff' }>;

/** Function calls and handoffs both go out as a tool call on the wire. */
export function isCall(decision: Decision): decision is CallDecision {
  return decision.kind === 'function_call' || decision.kind === 'handoff';
}

/** The text the model "generates": call arguments or the answer. */
export function outputText(decision: Decision): string {
  return isCall(decision) ? decision.arguments : decision.text;
}

/** Decides what the model does for this conversation. */
export function decide(conv: Conversation): Decision {
  const material = extractMaterial(conv);
  if (conv.toolChoice !== 'none' && conv.tools.length > 0) {
    const call = chooseToolCall(conv, material);
    if (call) return call;
  }
  return writeAnswer(conv, material);
}
