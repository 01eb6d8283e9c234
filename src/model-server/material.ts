/**
 * The request as the offline model "reads" it: a normalised conversation (independent of the
 * wire API) and the material found in it — sentences (with source ids where known) and the
 * values of every key seen in JSON inside messages and tool outputs.
 */
import { rankedTerms, sentences, terms } from './text.js';

export type ConvItem =
  | { kind: 'message'; role: 'user' | 'assistant' | 'system' | 'developer'; text: string }
  | { kind: 'call'; name: string; callId: string; arguments: string }
  | { kind: 'output'; callId: string; name?: string; text: string };

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** A model request independent of the wire API (Responses or Chat Completions). */
export interface Conversation {
  model: string;
  instructions: string;
  items: ConvItem[];
  tools: ToolSpec[];
  toolChoice: ToolChoice;
  /** JSON schema the answer must satisfy (text.format / response_format), if any. */
  schema?: Record<string, unknown>;
  /** `json_object` mode: any JSON object. */
  jsonObject?: boolean;
}

export interface Sentence {
  text: string;
  sourceId?: string;
  /** Relative trust of where the sentence came from (tool output passages highest). */
  weight: number;
  /** Position in the material, for stable tie-breaking. */
  order: number;
  terms: Set<string>;
  /** From the instructions, system prompts or the latest user message (not source material). */
  background: boolean;
}

export interface Material {
  sentences: Sentence[];
  /** Every primitive value seen under each key in material JSON, first-seen order, unique. */
  keyValues: Map<string, Array<string | number | boolean>>;
  /** Source ids of passages, first-seen order. */
  sourceIds: string[];
  /** Text of the latest user message ('' if none). */
  question: string;
  /** Frequent informative terms of tool outputs / passages (for variety). */
  topTerms: string[];
  /** Whether the instructions or question ask for a checklist. */
  checklist: boolean;
}

const TEXT_KEYS = ['text', 'passage', 'content', 'excerpt', 'snippet'];
const ID_KEYS = ['sourceId', 'id', 'source', 'path'];

/** Index of the latest user message, or -1. */
export function latestUserIndex(items: ConvItem[]): number {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (it.kind === 'message' && it.role === 'user') return i;
  }
  return -1;
}

/** Parses JSON in a string when there is some: the whole string, fenced blocks, or the outer braces. */
export function parseEmbeddedJson(text: string): unknown[] {
  const found: unknown[] = [];
  const t = text.trim();
  const tryParse = (s: string): boolean => {
    try {
      const v = JSON.parse(s);
      if (v && typeof v === 'object') {
        found.push(v);
        return true;
      }
    } catch {
      /* not JSON */
    }
    return false;
  };
  if ((t.startsWith('{') || t.startsWith('[')) && tryParse(t)) return found;
  for (const m of t.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)) tryParse(m[1]!);
  if (found.length === 0) {
    const start = t.search(/[[{]/);
    const end = Math.max(t.lastIndexOf('}'), t.lastIndexOf(']'));
    if (start >= 0 && end > start) tryParse(t.slice(start, end + 1));
  }
  return found;
}

interface Collector {
  add(text: string, weight: number, sourceId?: string): void;
  background: boolean;
  keyValue(key: string, value: string | number | boolean): void;
}

function walkJson(value: unknown, weight: number, c: Collector, depth = 0): void {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) walkJson(v, weight, c, depth + 1);
    return;
  }
  const obj = value as Record<string, unknown>;
  const textKey = TEXT_KEYS.find((k) => typeof obj[k] === 'string' && (obj[k] as string).trim() !== '');
  const idKey = ID_KEYS.find((k) => typeof obj[k] === 'string' || typeof obj[k] === 'number');
  for (const [key, v] of Object.entries(obj)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') c.keyValue(key, v);
  }
  if (textKey && idKey) {
    c.add(obj[textKey] as string, weight * 1.5, String(obj[idKey]));
  }
  for (const [key, v] of Object.entries(obj)) {
    if (key === textKey && idKey) continue;
    if (typeof v === 'string') {
      if (v.length >= 40 && /\s/.test(v)) c.add(v, weight);
    } else if (v && typeof v === 'object') {
      walkJson(v, weight, c, depth + 1);
    }
  }
}

/** Gathers material from the conversation, in reading order (later turns weigh more for ties). */
export function extractMaterial(conv: Conversation): Material {
  const list: Sentence[] = [];
  const seenSentence = new Map<string, Sentence>();
  const keyValues = new Map<string, Array<string | number | boolean>>();
  const sourceIds: string[] = [];
  const toolTermCounts = new Map<string, number>();
  let order = 0;
  let countTerms = false;

  const collector: Collector = {
    background: false,
    add(text, weight, sourceId) {
      if (sourceId !== undefined && !sourceIds.includes(sourceId)) sourceIds.push(sourceId);
      for (const s of sentences(text)) {
        const key = `${sourceId ?? ''}\u0000${s}`;
        const prev = seenSentence.get(key);
        if (prev) {
          prev.weight = Math.max(prev.weight, weight);
          continue;
        }
        const sentence: Sentence = {
          text: s,
          sourceId,
          weight,
          order: order++,
          terms: new Set(terms(s)),
          background: collector.background && sourceId === undefined,
        };
        seenSentence.set(key, sentence);
        list.push(sentence);
        if (countTerms || sourceId !== undefined)
          for (const t of sentence.terms) toolTermCounts.set(t, (toolTermCounts.get(t) ?? 0) + 1);
      }
    },
    keyValue(key, value) {
      if (typeof value === 'string' && (value.length === 0 || value.length > 200)) return;
      const arr = keyValues.get(key) ?? [];
      if (!arr.includes(value)) arr.push(value);
      keyValues.set(key, arr);
    },
  };

  const addText = (text: string, weight: number) => {
    const json = parseEmbeddedJson(text);
    if (json.length > 0) {
      for (const j of json) walkJson(j, weight, collector);
      // Prose around embedded JSON still counts.
      const prose = text.replace(/```[\s\S]*?```/g, ' ');
      if (!prose.trim().startsWith('{') && !prose.trim().startsWith('['))
        collector.add(prose.replace(/[[{][\s\S]*[\]}]/, ' '), weight);
    } else {
      collector.add(text, weight);
    }
  };

  const userIdx = latestUserIndex(conv.items);
  collector.background = true;
  if (conv.instructions) addText(conv.instructions, 0.15);
  conv.items.forEach((item, i) => {
    if (item.kind === 'message') {
      const weight =
        item.role === 'user' ? (i === userIdx ? 0.6 : 0.9) : item.role === 'assistant' ? 0.8 : 0.15;
      countTerms = item.role !== 'system' && item.role !== 'developer' && i !== userIdx;
      collector.background = !countTerms;
      addText(item.text, weight);
    } else if (item.kind === 'output') {
      countTerms = true;
      collector.background = false;
      addText(item.text, 1.2);
    }
    countTerms = false;
    collector.background = false;
  });

  const question = userIdx >= 0 ? (conv.items[userIdx] as { text: string }).text : '';
  const questionTerms = new Set(terms(question));
  const topTerms = [...toolTermCounts.entries()]
    .filter(([t]) => !questionTerms.has(t) && !/^\p{N}+$/u.test(t))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 12)
    .map(([t]) => t);

  return {
    sentences: list,
    keyValues,
    sourceIds,
    question,
    topTerms: topTerms.length > 0 ? topTerms : rankedTerms(conv.instructions).slice(0, 6),
    checklist: /checklist/i.test(conv.instructions) || /checklist/i.test(question),
  };
}

/** Values of `key` in the material; exact key first, then a case-insensitive match. */
export function valuesForKey(material: Material, key: string): Array<string | number | boolean> {
  const exact = material.keyValues.get(key);
  if (exact && exact.length > 0) return exact;
  const lower = key.toLowerCase();
  for (const [k, v] of material.keyValues) if (k.toLowerCase() === lower && v.length > 0) return v;
  return [];
}

/**
 * How much a sentence reads like prose rather than code or a table row: 1 for prose, down to 0.1
 * when braces, brackets, pipes and operators dominate. A writer quotes explanations, not code.
 */
export function proseFactor(text: string): number {
  const symbols = text.match(/[{}()[\];=<>|`$\\]/g)?.length ?? 0;
  const ratio = symbols / Math.max(text.length, 1);
  if (ratio <= 0.02) return 1;
  return Math.max(0.05, 1 - (ratio - 0.02) * 30);
}

/**
 * Ranks sentences by overlap with `query` terms (weighted), times the sentence's source weight.
 * Sentences in `used` rank after unused ones; `preferSource` restricts to that source first.
 */
export function rankSentences(
  material: Material,
  query: Map<string, number>,
  used: Set<string>,
  preferSource?: string
): Sentence[] {
  const hasSource = material.sentences.some((s) => !s.background);
  const scored = material.sentences.map((s) => {
    let overlap = 0;
    for (const [t, w] of query) if (s.terms.has(t)) overlap += w;
    let score = (overlap + 0.25) * s.weight * proseFactor(s.text);
    if (s.background && hasSource) score -= 100;
    if (used.has(s.text)) score -= 1000;
    if (preferSource !== undefined && s.sourceId === preferSource) score += 500;
    return { s, score };
  });
  scored.sort((a, b) => b.score - a.score || a.s.order - b.s.order);
  return scored.map((x) => x.s);
}
