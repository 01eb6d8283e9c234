/**
 * The offline model's responder core: a wire adapter reads the request into a conversation,
 * `decide` chooses what the model does, and the same adapter formats that decision as its
 * API's body. Pure and deterministic: the same request body gives the same response.
 */
import { decide, isCall, outputText, type Decision } from './decision.js';
import { withoutRepairTurn } from './repair-turn.js';
import { approxTokens, canonicalJson, sha256 } from './text.js';
import type { Usage, WireAdapter } from './wire/adapter.js';
import { chatWire } from './wire/chat.js';
import { responsesWire } from './wire/responses.js';

export interface BuiltResponse {
  decision: Decision;
  /** Tool name for function calls and handoffs. */
  tool?: string;
  body: Record<string, any>;
  /** The token usage reported in the body. */
  usage: Usage;
}

/** The hash of a request body that all ids derive from. */
export function requestHash(body: unknown): string {
  return sha256(canonicalJson(body));
}

function usageFor(body: unknown, decision: Decision): Usage {
  const input = approxTokens(canonicalJson(body));
  const output = Math.max(1, approxTokens(outputText(decision)));
  return { input, output };
}

/**
 * Builds the complete (non-streaming) response of `wire` for a request body (`conversation`: the
 * body as `wire.read` gives it, when the caller has read it already).
 */
export function respond(wire: WireAdapter, body: any, conversation = wire.read(body)): BuiltResponse {
  const decision = decide(withoutRepairTurn(conversation));
  const usage = usageFor(body, decision);
  return {
    decision,
    tool: isCall(decision) ? decision.name : undefined,
    usage,
    body: wire.format({ request: body, conversation, decision, hash: requestHash(body), usage }),
  };
}

/** Builds the complete (non-streaming) Responses API object for a request. */
export function respondResponses(body: any): BuiltResponse {
  return respond(responsesWire, body);
}

/** Builds the complete (non-streaming) Chat Completions object for a request. */
export function respondChat(body: any): BuiltResponse {
  return respond(chatWire, body);
}
