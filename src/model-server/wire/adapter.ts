/**
 * The contract between the responder core and a wire API (Responses, Chat Completions): an
 * adapter reads a request body into the wire-independent conversation and formats the core's
 * decision as that API's response body. Adapters hold no policy.
 */
import type { Decision } from '../decision.js';
import type { Conversation } from '../material.js';

/** Token usage as the offline model reports it. */
export interface Usage {
  input: number;
  output: number;
}

/** One reply to format. Ids derive from the request hash, so the same request gives the same body. */
export interface Reply {
  request: any;
  conversation: Conversation;
  decision: Decision;
  /** sha256 of the canonical request body. */
  hash: string;
  usage: Usage;
}

export interface WireAdapter {
  read(body: any): Conversation;
  format(reply: Reply): Record<string, any>;
}

/** The call id of a tool call, the same on both wires for the same request hash. */
export function callId(hash: string): string {
  return `call_${hash.slice(8, 32)}`;
}
