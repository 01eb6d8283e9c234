/** The Responses API (`POST /v1/responses`) wire adapter: input items in, one output item out. */
import { isCall } from '../decision.js';
import { CREATED_AT } from '../identity.js';
import type { Conversation, ConvItem } from '../material.js';
import { callId, type Reply, type WireAdapter } from './adapter.js';
import { asRole, functionTools, modelOf, partsText, schemaOf, toolChoiceOf } from './read.js';

/** Reads a `POST /v1/responses` body. */
export function conversationFromResponses(body: any): Conversation {
  const items: ConvItem[] = [];
  const input = body?.input;
  if (typeof input === 'string') items.push({ kind: 'message', role: 'user', text: input });
  else if (Array.isArray(input)) {
    for (const raw of input) {
      if (!raw || typeof raw !== 'object') continue;
      const it = raw as Record<string, any>;
      const type = it.type ?? (it.role ? 'message' : undefined);
      if (type === 'message')
        items.push({ kind: 'message', role: asRole(it.role), text: partsText(it.content) });
      else if (type === 'function_call')
        items.push({
          kind: 'call',
          name: String(it.name ?? ''),
          callId: String(it.call_id ?? it.id ?? ''),
          arguments: String(it.arguments ?? ''),
        });
      else if (type === 'function_call_output')
        items.push({ kind: 'output', callId: String(it.call_id ?? ''), text: partsText(it.output) });
    }
  }
  const callNames = new Map<string, string>();
  for (const it of items) if (it.kind === 'call') callNames.set(it.callId, it.name);
  for (const it of items) if (it.kind === 'output' && !it.name) it.name = callNames.get(it.callId);
  const format = body?.text?.format;
  return {
    model: modelOf(body),
    instructions: partsText(body?.instructions ?? ''),
    items,
    tools: functionTools(body?.tools, (t) => t),
    toolChoice: toolChoiceOf(body?.tool_choice),
    schema: format?.type === 'json_schema' ? (schemaOf(format) ?? {}) : undefined,
    jsonObject: format?.type === 'json_object',
  };
}

function outputItem({ decision, hash }: Reply): Record<string, any> {
  const itemId = hash.slice(32, 56);
  if (isCall(decision)) {
    return {
      type: 'function_call',
      id: `fc_${itemId}`,
      call_id: callId(hash),
      name: decision.name,
      arguments: decision.arguments,
      status: 'completed',
    };
  }
  return {
    type: 'message',
    id: `msg_${itemId}`,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: decision.text, annotations: [], logprobs: [] }],
  };
}

/** The complete (non-streaming) Responses API object. */
export function formatResponse(reply: Reply): Record<string, any> {
  const { request: body, usage } = reply;
  return {
    id: `resp_${reply.hash.slice(0, 32)}`,
    object: 'response',
    created_at: CREATED_AT,
    status: 'completed',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: reply.conversation.model,
    output: [outputItem(reply)],
    parallel_tool_calls: body?.parallel_tool_calls ?? true,
    previous_response_id: body?.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: typeof body?.temperature === 'number' ? body.temperature : 1,
    text: { format: body?.text?.format ?? { type: 'text' } },
    tool_choice: body?.tool_choice ?? 'auto',
    tools: [],
    top_p: typeof body?.top_p === 'number' ? body.top_p : 1,
    truncation: 'disabled',
    usage: {
      input_tokens: usage.input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: usage.output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: usage.input + usage.output,
    },
    user: null,
    metadata: {},
  };
}

export const responsesWire: WireAdapter = { read: conversationFromResponses, format: formatResponse };
