/** The Chat Completions (`POST /v1/chat/completions`) wire adapter: messages in, one choice out. */
import { isCall } from '../decision.js';
import { CREATED_AT, DEFAULT_MODEL } from '../identity.js';
import type { Conversation, ConvItem } from '../material.js';
import { callId, type Reply, type WireAdapter } from './adapter.js';
import { asRole, functionTools, modelOf, partsText, schemaOf, toolChoiceOf } from './read.js';

/** Reads a `POST /v1/chat/completions` body. */
export function conversationFromChat(body: any): Conversation {
  const items: ConvItem[] = [];
  const instructions: string[] = [];
  const callNames = new Map<string, string>();
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  messages.forEach((m, i) => {
    if (!m || typeof m !== 'object') return;
    const text = partsText(m.content);
    if ((m.role === 'system' || m.role === 'developer') && i === 0) instructions.push(text);
    else if (m.role === 'tool')
      items.push({
        kind: 'output',
        callId: String(m.tool_call_id ?? ''),
        name: callNames.get(String(m.tool_call_id)),
        text,
      });
    else {
      if (text) items.push({ kind: 'message', role: asRole(m.role), text });
      for (const tc of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
        const name = String(tc?.function?.name ?? '');
        callNames.set(String(tc?.id), name);
        items.push({
          kind: 'call',
          name,
          callId: String(tc?.id ?? ''),
          arguments: String(tc?.function?.arguments ?? ''),
        });
      }
    }
  });
  const rf = body?.response_format;
  return {
    model: modelOf(body),
    instructions: instructions.join('\n\n'),
    items,
    tools: functionTools(body?.tools, (t) => t?.function),
    toolChoice: toolChoiceOf(body?.tool_choice),
    schema: rf?.type === 'json_schema' ? (schemaOf(rf.json_schema) ?? {}) : undefined,
    jsonObject: rf?.type === 'json_object',
  };
}

function assistantMessage({ decision, hash }: Reply): Record<string, any> {
  if (isCall(decision)) {
    return {
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        {
          id: callId(hash),
          type: 'function',
          function: { name: decision.name, arguments: decision.arguments },
        },
      ],
    };
  }
  return { role: 'assistant', content: decision.text, refusal: null };
}

/** The complete (non-streaming) chat.completion object. */
export function formatChatCompletion(reply: Reply): Record<string, any> {
  const { usage } = reply;
  return {
    id: `chatcmpl-${reply.hash.slice(0, 32)}`,
    object: 'chat.completion',
    created: CREATED_AT,
    model: reply.conversation.model,
    choices: [
      {
        index: 0,
        message: assistantMessage(reply),
        finish_reason: isCall(reply.decision) ? 'tool_calls' : 'stop',
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
    },
    system_fingerprint: DEFAULT_MODEL,
  };
}

export const chatWire: WireAdapter = { read: conversationFromChat, format: formatChatCompletion };
