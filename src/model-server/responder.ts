/**
 * The offline model's "mind": normalises a Responses or Chat Completions request into a
 * conversation, decides what to do (call a tool, hand off, or answer) and builds the response
 * body. Pure and deterministic: the same request body gives the same response.
 */
import {
  extractMaterial,
  latestUserIndex,
  rankSentences,
  type Conversation,
  type ConvItem,
  type Material,
  type ToolChoice,
  type ToolSpec,
} from './material.js';
import { fillSchema } from './schema-fill.js';
import { approxTokens, canonicalJson, identifierWords, sha256, terms } from './text.js';

export const DEFAULT_MODEL = 'steadfast-offline';
/** Fixed creation time: responses carry no wall-clock data, so they stay reproducible. */
export const CREATED_AT = 1735689600;

export type Decision =
  | { kind: 'function_call'; name: string; arguments: string }
  | { kind: 'handoff'; name: string; arguments: string }
  | { kind: 'json'; text: string; valid: boolean }
  | { kind: 'text'; text: string };

export type DecisionKind = Decision['kind'];

// ---------------------------------------------------------------------------------------------
// Normalisation

function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => {
        if (typeof p === 'string') return p;
        if (p && typeof p === 'object') {
          const o = p as Record<string, unknown>;
          if (typeof o.text === 'string') return o.text;
          if (typeof o.refusal === 'string') return o.refusal;
        }
        return '';
      })
      .filter(Boolean)
      .join('\n');
  }
  if (content && typeof content === 'object' && typeof (content as { text?: unknown }).text === 'string') {
    return (content as { text: string }).text;
  }
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

function asRole(role: unknown): 'user' | 'assistant' | 'system' | 'developer' {
  return role === 'assistant' || role === 'system' || role === 'developer' ? role : 'user';
}

function toolChoiceOf(raw: unknown): ToolChoice {
  if (raw === 'none' || raw === 'required' || raw === 'auto') return raw;
  if (raw && typeof raw === 'object') {
    const o = raw as Record<string, any>;
    const name =
      typeof o.name === 'string'
        ? o.name
        : typeof o.function?.name === 'string'
          ? o.function.name
          : undefined;
    if (name) return { name };
  }
  return 'auto';
}

function schemaOf(format: any): Record<string, unknown> | undefined {
  if (format && typeof format === 'object' && format.schema && typeof format.schema === 'object')
    return format.schema;
  return undefined;
}

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
  const tools: ToolSpec[] = [];
  for (const t of Array.isArray(body?.tools) ? body.tools : []) {
    if (t?.type === 'function' && typeof t.name === 'string') {
      tools.push({
        name: t.name,
        description: String(t.description ?? ''),
        parameters: t.parameters ?? { type: 'object', properties: {} },
      });
    }
  }
  const format = body?.text?.format;
  return {
    model: typeof body?.model === 'string' ? body.model : DEFAULT_MODEL,
    instructions: partsText(body?.instructions ?? ''),
    items,
    tools,
    toolChoice: toolChoiceOf(body?.tool_choice),
    schema: format?.type === 'json_schema' ? (schemaOf(format) ?? {}) : undefined,
    jsonObject: format?.type === 'json_object',
  };
}

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
  const tools: ToolSpec[] = [];
  for (const t of Array.isArray(body?.tools) ? body.tools : []) {
    const f = t?.function;
    if (t?.type === 'function' && typeof f?.name === 'string') {
      tools.push({
        name: f.name,
        description: String(f.description ?? ''),
        parameters: f.parameters ?? { type: 'object', properties: {} },
      });
    }
  }
  const rf = body?.response_format;
  return {
    model: typeof body?.model === 'string' ? body.model : DEFAULT_MODEL,
    instructions: instructions.join('\n\n'),
    items,
    tools,
    toolChoice: toolChoiceOf(body?.tool_choice),
    schema: rf?.type === 'json_schema' ? (schemaOf(rf.json_schema) ?? {}) : undefined,
    jsonObject: rf?.type === 'json_object',
  };
}

// ---------------------------------------------------------------------------------------------
// Decision policy

const isHandoff = (name: string) => name.startsWith('transfer_to_');

function parseArgs(args: string): Record<string, unknown> {
  try {
    const v = JSON.parse(args);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function collectValues(value: unknown, into: Map<string, Set<string>>, key?: string): void {
  if (Array.isArray(value)) for (const v of value) collectValues(v, into, key);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) collectValues(v, into, k);
  else if (key !== undefined && value !== null && value !== undefined) {
    const set = into.get(key) ?? new Set<string>();
    set.add(String(value));
    into.set(key, set);
  }
}

const ID_LIKE = /^(id|source|path|url|uri|href|file|filename|doc|document)$|(Id|_id|ID|Path|Url|URL)$/;

/** Required id-like parameters for which the material holds no value (the tool would have to guess). */
function missingIds(tool: ToolSpec, material: Material): boolean {
  const props = (tool.parameters as any)?.properties ?? {};
  const required: string[] = Array.isArray((tool.parameters as any)?.required)
    ? (tool.parameters as any).required
    : Object.keys(props);
  return required.some((k) => ID_LIKE.test(k) && !material.keyValues.has(k));
}

function toolArguments(tool: ToolSpec, previous: Array<Record<string, unknown>>, material: Material): string {
  const usedValues = new Map<string, Set<string>>();
  for (const p of previous) collectValues(p, usedValues);
  const { value } = fillSchema(tool.parameters as Record<string, any>, material, {
    mode: 'args',
    usedValues,
  });
  return JSON.stringify(value ?? {});
}

function handoffScore(tool: ToolSpec, questionTerms: Set<string>): number {
  const words = terms(`${tool.name.replace(/^transfer_to_/, '').replace(/_/g, ' ')} ${tool.description}`);
  let score = 0;
  for (const w of new Set(words)) if (questionTerms.has(w)) score++;
  return score;
}

/** Decides what the model does for this conversation. */
export function decide(conv: Conversation): Decision {
  const material = extractMaterial(conv);
  if (conv.toolChoice !== 'none' && conv.tools.length > 0) {
    const call = chooseToolCall(conv, material);
    if (call) return call;
  }
  return answer(conv, material);
}

function chooseToolCall(conv: Conversation, material: Material): Decision | undefined {
  const userIdx = latestUserIndex(conv.items);
  const calls = conv.items
    .map((it, i) => ({ it, i }))
    .filter((x): x is { it: Extract<ConvItem, { kind: 'call' }>; i: number } => x.it.kind === 'call');
  const functionTools = conv.tools.filter((t) => !isHandoff(t.name));
  const handoffs = conv.tools.filter((t) => isHandoff(t.name));

  const forced =
    typeof conv.toolChoice === 'object'
      ? conv.tools.find((t) => t.name === (conv.toolChoice as { name: string }).name)
      : undefined;
  const argsFor = (tool: ToolSpec) =>
    toolArguments(
      tool,
      calls.filter((c) => c.it.name === tool.name).map((c) => parseArgs(c.it.arguments)),
      material
    );
  if (forced) {
    return isHandoff(forced.name)
      ? { kind: 'handoff', name: forced.name, arguments: '{}' }
      : { kind: 'function_call', name: forced.name, arguments: argsFor(forced) };
  }

  let deferred: Decision | undefined;
  for (const tool of functionTools) {
    const mine = calls.filter((c) => c.it.name === tool.name);
    if (mine.length >= 2) continue;
    const args = argsFor(tool);
    const sinceUser = mine.filter((c) => c.i > userIdx).length;
    const isNew = !mine.some(
      (c) => canonicalJson(parseArgs(c.it.arguments)) === canonicalJson(parseArgs(args))
    );
    if (sinceUser > 0 && !isNew) continue;
    const decision: Decision = { kind: 'function_call', name: tool.name, arguments: args };
    if (missingIds(tool, material)) {
      deferred ??= decision;
      continue;
    }
    return decision;
  }
  const calledSinceUser = calls.some((c) => c.i > userIdx && !isHandoff(c.it.name));
  if (deferred && !calledSinceUser) return deferred;

  if (handoffs.length > 0 && !calls.some((c) => isHandoff(c.it.name))) {
    const q = new Set(terms(material.question));
    let best = handoffs[0]!;
    let bestScore = handoffScore(best, q);
    for (const h of handoffs.slice(1)) {
      const s = handoffScore(h, q);
      if (s > bestScore) {
        best = h;
        bestScore = s;
      }
    }
    return { kind: 'handoff', name: best.name, arguments: '{}' };
  }
  if (conv.toolChoice === 'required') {
    const tool = functionTools[0] ?? handoffs[0]!;
    return isHandoff(tool.name)
      ? { kind: 'handoff', name: tool.name, arguments: '{}' }
      : { kind: 'function_call', name: tool.name, arguments: argsFor(tool) };
  }
  return undefined;
}

function answer(conv: Conversation, material: Material): Decision {
  if (conv.schema) {
    const result = fillSchema(conv.schema as Record<string, any>, material, { mode: 'answer' });
    return { kind: 'json', text: JSON.stringify(result.value), valid: result.valid };
  }
  const text = plainAnswer(material);
  if (conv.jsonObject) return { kind: 'json', text: JSON.stringify({ answer: text }), valid: true };
  return { kind: 'text', text };
}

/** A short extractive answer: the best few sentences for the question, cited by source id. */
export function plainAnswer(material: Material): string {
  const query = new Map<string, number>();
  for (const t of terms(material.question)) query.set(t, 1);
  const ranked = rankSentences(material, query, new Set()).filter(
    (s) => s.text.trim() !== material.question.trim()
  );
  const prose = ranked.filter((s) => !s.background);
  if (prose.length === 0) {
    // Tool outputs without prose (e.g. dates, counts): answer with the facts they returned.
    const facts = factsFrom(material);
    if (facts) return material.question ? `${material.question.trim()}: ${facts}.` : `${facts}.`;
  }
  const picked = ranked.slice(0, 3);
  if (picked.length === 0) {
    return material.question
      ? `No source material was provided; the request was about: ${material.question.trim()}`
      : 'No material was provided.';
  }
  const lines = picked.map((s) => (s.sourceId !== undefined ? `${s.text} [${s.sourceId}]` : s.text));
  return material.checklist ? lines.map((l) => `- [ ] ${l}`).join('\n') : lines.join(' ');
}

/** "key value; key value" for the primitive values in the material's JSON, skipping the question itself. */
function factsFrom(material: Material): string | undefined {
  const parts: string[] = [];
  for (const [key, values] of material.keyValues) {
    const shown = values.filter((v) => String(v).trim() !== material.question.trim()).slice(0, 3);
    if (shown.length === 0) continue;
    parts.push(`${identifierWords(key).join(' ')} ${shown.join(', ')}`);
    if (parts.length >= 8) break;
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// Response bodies

export interface BuiltResponse {
  decision: Decision;
  /** Tool name for function calls and handoffs. */
  tool?: string;
  body: Record<string, any>;
  /** The token usage reported in the body. */
  usage: { input: number; output: number };
}

function ids(hash: string) {
  return {
    response: `resp_${hash.slice(0, 32)}`,
    item: `${hash.slice(32, 56)}`,
    call: `call_${hash.slice(8, 32)}`,
  };
}

/** The hash of a request body that all ids derive from. */
export function requestHash(body: unknown): string {
  return sha256(canonicalJson(body));
}

function usageFor(body: unknown, outputText: string) {
  const input = approxTokens(canonicalJson(body));
  const output = Math.max(1, approxTokens(outputText));
  return { input, output };
}

/** Builds the complete (non-streaming) Responses API object for a request. */
export function respondResponses(body: any): BuiltResponse {
  const conv = conversationFromResponses(body);
  const decision = decide(conv);
  const hash = requestHash(body);
  const id = ids(hash);
  let item: Record<string, any>;
  let outText: string;
  if (decision.kind === 'function_call' || decision.kind === 'handoff') {
    outText = decision.arguments;
    item = {
      type: 'function_call',
      id: `fc_${id.item}`,
      call_id: id.call,
      name: decision.name,
      arguments: decision.arguments,
      status: 'completed',
    };
  } else {
    outText = decision.text;
    item = {
      type: 'message',
      id: `msg_${id.item}`,
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: decision.text, annotations: [], logprobs: [] }],
    };
  }
  const u = usageFor(body, outText);
  const format = body?.text?.format ?? { type: 'text' };
  return {
    decision,
    tool: 'name' in decision ? decision.name : undefined,
    usage: u,
    body: {
      id: id.response,
      object: 'response',
      created_at: CREATED_AT,
      status: 'completed',
      background: false,
      error: null,
      incomplete_details: null,
      instructions: null,
      max_output_tokens: null,
      model: conv.model,
      output: [item],
      parallel_tool_calls: body?.parallel_tool_calls ?? true,
      previous_response_id: body?.previous_response_id ?? null,
      reasoning: { effort: null, summary: null },
      store: false,
      temperature: typeof body?.temperature === 'number' ? body.temperature : 1,
      text: { format },
      tool_choice: body?.tool_choice ?? 'auto',
      tools: [],
      top_p: typeof body?.top_p === 'number' ? body.top_p : 1,
      truncation: 'disabled',
      usage: {
        input_tokens: u.input,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: u.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: u.input + u.output,
      },
      user: null,
      metadata: {},
    },
  };
}

/** Builds the complete (non-streaming) Chat Completions object for a request. */
export function respondChat(body: any): BuiltResponse {
  const conv = conversationFromChat(body);
  const decision = decide(conv);
  const hash = requestHash(body);
  const id = ids(hash);
  let message: Record<string, any>;
  let finish: string;
  let outText: string;
  if (decision.kind === 'function_call' || decision.kind === 'handoff') {
    outText = decision.arguments;
    finish = 'tool_calls';
    message = {
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        { id: id.call, type: 'function', function: { name: decision.name, arguments: decision.arguments } },
      ],
    };
  } else {
    outText = decision.text;
    finish = 'stop';
    message = { role: 'assistant', content: decision.text, refusal: null };
  }
  const u = usageFor(body, outText);
  return {
    decision,
    tool: 'name' in decision ? decision.name : undefined,
    usage: u,
    body: {
      id: `chatcmpl-${hash.slice(0, 32)}`,
      object: 'chat.completion',
      created: CREATED_AT,
      model: conv.model,
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage: { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output },
      system_fingerprint: 'steadfast-offline',
    },
  };
}
