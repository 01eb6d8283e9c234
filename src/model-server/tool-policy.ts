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
import { fillSchema } from './schema-fill.js';
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
