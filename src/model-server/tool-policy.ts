/**
 * The tool policy: whether the model calls a tool (or hands off) next, and with which
 * arguments. Reads what was already called since the latest user message, so a run moves on
 * (search, then read what the search found, then answer) instead of looping.
 */
import type { Decision } from './decision.js';
import {
  latestUserIndex,
  type Conversation,
  type ConvItem,
  type Material,
  type ToolSpec,
} from './material.js';
import { isWeakTerm, termsOf } from './relevance.js';
import { fillSchema } from './schema-fill.js';
import { planSearches } from './search-plan.js';
import { canonicalJson, terms } from './text.js';

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

/** The handoff whose name and description overlap the question most (the first on ties). */
function bestHandoff(handoffs: ToolSpec[], question: string): ToolSpec {
  const q = new Set(terms(question));
  let best = handoffs[0]!;
  let bestScore = handoffScore(best, q);
  for (const h of handoffs.slice(1)) {
    const s = handoffScore(h, q);
    if (s > bestScore) {
      best = h;
      bestScore = s;
    }
  }
  return best;
}

const QUERY_PARAM = /^(?:q|query|search|keywords?|terms?|text)$/i;

/** A tool that takes a search query. */
function isSearchTool(tool: ToolSpec): boolean {
  const props = (tool.parameters as any)?.properties ?? {};
  return Object.keys(props).some((k) => QUERY_PARAM.test(k) && (props[k]?.type ?? 'string') === 'string');
}

function withQuery(tool: ToolSpec, args: string, query: string): string {
  const parsed = parseArgs(args);
  const props = (tool.parameters as any)?.properties ?? {};
  const key = Object.keys(props).find((k) => QUERY_PARAM.test(k));
  return JSON.stringify(key ? { ...parsed, [key]: query } : parsed);
}

/**
 * A query for what the given passages lack: the question's distinctive terms (names, settings,
 * numbers, rarer words) that no passage contains, with the question's key phrase for context.
 * Undefined when the passages hold every one of them.
 */
function refinementQuery(material: Material): string | undefined {
  const given = material.passages.filter((p) => p.sourceId !== undefined);
  const have = new Set<string>();
  // The source id names the document too ("commander-README.md#L342" is about commander).
  for (const p of given)
    for (const t of termsOf(`${p.title} ${p.sourceId ?? ''} ${p.text}`)) have.add(t.term);
  const wanted = [material.ask.question, material.ask.focus].join(' ');
  const missing: string[] = [];
  for (const word of wanted.match(/[\p{L}\p{N}_][\p{L}\p{N}_.'’/-]*[\p{L}\p{N}_]/gu) ?? []) {
    const stems = termsOf(word).map((t) => t.term);
    if (stems.length === 0 || isWeakTerm(stems[0]!)) continue;
    if (stems.every((t) => !have.has(t)) && !missing.includes(word)) missing.push(word);
  }
  if (missing.length === 0) return undefined;
  const key = planSearches(material.ask, 1)[0]?.query ?? '';
  const extra = key
    .split(/\s+/)
    .filter((w) => w && !missing.some((m) => m.toLowerCase() === w.toLowerCase()));
  return [...missing, ...extra].slice(0, 8).join(' ');
}

/** The tool call to make next, or undefined to answer instead. */
export function chooseToolCall(conv: Conversation, material: Material): Decision | undefined {
  const userIdx = latestUserIndex(conv.items);
  const calls = conv.items
    .map((it, i) => ({ it, i }))
    .filter((x): x is { it: Extract<ConvItem, { kind: 'call' }>; i: number } => x.it.kind === 'call');
  const functionTools = conv.tools.filter((t) => !isHandoff(t.name));
  const handoffs = conv.tools.filter((t) => isHandoff(t.name));

  const argsFor = (tool: ToolSpec) =>
    toolArguments(
      tool,
      calls.filter((c) => c.it.name === tool.name).map((c) => parseArgs(c.it.arguments)),
      material
    );
  const callFor = (tool: ToolSpec): Decision =>
    isHandoff(tool.name)
      ? { kind: 'handoff', name: tool.name, arguments: '{}' }
      : { kind: 'function_call', name: tool.name, arguments: argsFor(tool) };

  const forced =
    typeof conv.toolChoice === 'object'
      ? conv.tools.find((t) => t.name === (conv.toolChoice as { name: string }).name)
      : undefined;
  if (forced) return callFor(forced);

  // Passages came with the prompt: read them; search only for what they lack, once.
  if (material.passages.some((p) => p.item === userIdx && p.sourceId !== undefined)) {
    const searchTool = functionTools.find(isSearchTool);
    if (!searchTool || calls.some((c) => c.i > userIdx)) return undefined;
    const query = refinementQuery(material);
    if (!query) return undefined;
    return {
      kind: 'function_call',
      name: searchTool.name,
      arguments: withQuery(searchTool, argsFor(searchTool), query),
    };
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
    return { kind: 'handoff', name: bestHandoff(handoffs, material.question).name, arguments: '{}' };
  }
  if (conv.toolChoice === 'required') return callFor(functionTools[0] ?? handoffs[0]!);
  return undefined;
}
