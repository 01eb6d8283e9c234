import type { AgentOutputItem, ModelResponse } from '@openai/agents-core';

/**
 * Reasoning that local models put into the answer text: `<think>…</think>` (DeepSeek-R1, Qwen3,
 * QwQ…), `<thinking>`, `<reasoning>`. A block still open at the end means the model ran out of
 * tokens while thinking: all of it is reasoning, none of it an answer.
 */
const CLOSED_BLOCK = /<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi;
const OPEN_TAG = /<(think|thinking|reasoning)>/i;
const OPEN_BLOCK = /<(think|thinking|reasoning)>[\s\S]*$/i;
// Some templates open the block in the prompt, so the reply starts inside it: a stray closing tag.
const LEADING_BLOCK = /^[\s\S]*?<\/(think|thinking|reasoning)>/i;

// Reasoning that opens the reply, before the answer.
const FIRST_BLOCKS = /^\s*(?:<(think|thinking|reasoning)>[\s\S]*?<\/\1>\s*)+/i;

function isJson(text: string): boolean {
  if (!/^[{[]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The answer part of a model's text, without its reasoning blocks. An answer that is JSON once the
 * reasoning in front of it is gone is the answer whole: a `<think>` inside its strings is content
 * (a report quoting documentation about reasoning models), not reasoning.
 */
export function stripReasoning(text: string): string {
  const answer = text.replace(FIRST_BLOCKS, '').trim();
  if (isJson(answer)) return answer === text ? text : answer;
  let out = text.replace(CLOSED_BLOCK, '');
  if (!OPEN_TAG.test(out)) out = out.replace(LEADING_BLOCK, '');
  out = out.replace(OPEN_BLOCK, '');
  return out === text ? text : out.trim();
}

type Message = Extract<AgentOutputItem, { type?: 'message'; role: 'assistant' }>;

export function isAssistantMessage(item: AgentOutputItem): item is Message {
  return (item.type === 'message' || item.type === undefined) && 'role' in item && item.role === 'assistant';
}

/** The text of an assistant message as the Agents SDK reads a final output: its output_text parts joined. */
export function messageText(item: Message): string {
  return item.content.map((part) => (part.type === 'output_text' ? part.text : '')).join('');
}

/**
 * The response with reasoning taken out of its answer text. A message left without any content is
 * dropped (the SDK cannot read an empty message), so an answer that was all reasoning reads as
 * empty. The raw reply stays in `providerData` for traces. Reasoning the server already separates
 * (`reasoning_content`, `reasoning`, Responses reasoning items) is not part of the text anyway.
 */
export function withoutReasoning(response: ModelResponse): ModelResponse {
  let changed = false;
  const output: AgentOutputItem[] = [];
  for (const item of response.output) {
    if (!isAssistantMessage(item)) {
      output.push(item);
      continue;
    }
    const content = item.content
      .map((part) => {
        if (part.type !== 'output_text') return part;
        const text = stripReasoning(part.text);
        if (text === part.text) return part;
        changed = true;
        return { ...part, text };
      })
      .filter((part) => part.type !== 'output_text' || part.text !== '');
    if (content.length !== item.content.length) changed = true;
    if (content.length > 0) output.push({ ...item, content });
  }
  return changed ? { ...response, output } : response;
}

/**
 * Where JSON may sit in a reply: the whole text, a fenced block (```json … ```), or the span from
 * the first `{` to the last `}` when a model wraps the object in a sentence.
 */
export function jsonCandidates(text: string): string[] {
  const candidates = [text.trim()];
  const fenced = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(text);
  if (fenced?.[1]) candidates.push(fenced[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  return [...new Set(candidates)].filter((c) => c !== '');
}
