/**
 * The request as the offline model "reads" it: a normalised conversation (independent of the
 * wire API) and the material found in it — what is asked, the passages (with source ids and
 * titles where known) split into quotable units, and the values of every key seen in JSON
 * inside messages and tool outputs.
 */
import { readAsk, type Ask } from './ask.js';
import { parseEmbeddedJson } from './json-text.js';
import { segment, type Unit } from './segment.js';
import { rankedTerms, sentences, terms } from './text.js';

export { proseFactor } from './relevance.js';

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

/** A text of the material: a passage with its source id, a tool output, an earlier answer. */
export interface Passage {
  sourceId?: string;
  /** Its title or heading path, when the material gives one. */
  title: string;
  text: string;
  /** Source passages and tool outputs are evidence; the asker's own messages only when nothing else is. */
  origin: 'source' | 'tool' | 'assistant' | 'user';
  /** Index of the conversation item it came from (-1: the instructions). */
  item: number;
  units: Unit[];
}

export interface Material {
  sentences: Sentence[];
  /** The texts that can be quoted, in reading order. */
  passages: Passage[];
  /** What the request asks. */
  ask: Ask;
  /** Every primitive value seen under each key in material JSON, first-seen order, unique. */
  keyValues: Map<string, Array<string | number | boolean>>;
  /** Source ids of passages, first-seen order. */
  sourceIds: string[];
  /** The question asked ('' if none). */
  question: string;
  /** Frequent informative terms of tool outputs / passages (for variety). */
  topTerms: string[];
  /** Whether the instructions or question ask for a checklist. */
  checklist: boolean;
  /** JSON documents of the latest user message and the tool outputs since (records to judge). */
  documents: unknown[];
  /** The instructions (system prompt) of the request. */
  instructions: string;
}

const TEXT_KEYS = ['text', 'passage', 'content', 'excerpt', 'snippet'];
const ID_KEYS = ['sourceId', 'id', 'source', 'path'];
const TITLE_KEYS = ['title', 'heading', 'section', 'name'];

/** Index of the latest user message, or -1. */
export function latestUserIndex(items: ConvItem[]): number {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (it.kind === 'message' && it.role === 'user') return i;
  }
  return -1;
}

interface Collector {
  add(text: string, weight: number, sourceId?: string, title?: string): void;
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
  const titleKey = TITLE_KEYS.find((k) => typeof obj[k] === 'string');
  for (const [key, v] of Object.entries(obj)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') c.keyValue(key, v);
  }
  if (textKey && idKey) {
    c.add(
      obj[textKey] as string,
      weight * 1.5,
      String(obj[idKey]),
      titleKey ? (obj[titleKey] as string) : ''
    );
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

const extracted = new WeakMap<Conversation, Material>();

/**
 * Gathers material from the conversation, in reading order (later turns weigh more for ties).
 * Once per conversation object: the request handler primes the encoder from the same material the
 * writer then reads.
 */
export function extractMaterial(conv: Conversation): Material {
  let material = extracted.get(conv);
  if (!material) extracted.set(conv, (material = readMaterial(conv)));
  return material;
}

function readMaterial(conv: Conversation): Material {
  const list: Sentence[] = [];
  const seenSentence = new Map<string, Sentence>();
  const keyValues = new Map<string, Array<string | number | boolean>>();
  const sourceIds: string[] = [];
  const passages: Passage[] = [];
  const documents: unknown[] = [];
  const toolTermCounts = new Map<string, number>();
  let order = 0;
  let background = false;
  let origin: Passage['origin'] = 'user';
  let item = -1;
  const userIdx = latestUserIndex(conv.items);
  const userText = userIdx >= 0 ? (conv.items[userIdx] as { text: string }).text : '';
  const ask = readAsk(userText || conv.instructions);
  // What the conversation searched for says what it is after, like a model's own earlier calls.
  for (const item of conv.items) {
    if (item.kind !== 'call') continue;
    for (const json of parseEmbeddedJson(item.arguments)) {
      for (const [k, v] of Object.entries(json as Record<string, unknown>))
        if (typeof v === 'string' && /^(?:q|query|queries|search|keywords?|terms?)$/i.test(k))
          ask.searched.push(v);
    }
  }

  const addSentence = (text: string, weight: number, sourceId: string | undefined, countTerms: boolean) => {
    const key = `${sourceId ?? ''}\u0000${text}`;
    const prev = seenSentence.get(key);
    if (prev) {
      prev.weight = Math.max(prev.weight, weight);
      return;
    }
    const sentence: Sentence = {
      text,
      sourceId,
      weight,
      order: order++,
      terms: new Set(terms(text)),
      background: background && sourceId === undefined,
    };
    seenSentence.set(key, sentence);
    list.push(sentence);
    if (countTerms) for (const t of sentence.terms) toolTermCounts.set(t, (toolTermCounts.get(t) ?? 0) + 1);
  };

  const collector: Collector = {
    add(text, weight, sourceId, title = '') {
      if (sourceId !== undefined && !sourceIds.includes(sourceId)) sourceIds.push(sourceId);
      const countTerms = !background || sourceId !== undefined;
      if (background && sourceId === undefined) {
        for (const s of sentences(text)) addSentence(s, weight, undefined, false);
        return;
      }
      const units = segment(text, { title, keepCode: ask.wantsCode, question: ask.question }).units;
      passages.push({
        sourceId,
        title,
        text,
        origin: sourceId !== undefined ? 'source' : origin,
        item,
        units,
      });
      for (const u of units) if (u.kind !== 'code') addSentence(u.plain, weight, sourceId, countTerms);
    },
    keyValue(key, value) {
      if (typeof value === 'string' && (value.length === 0 || value.length > 200)) return;
      const arr = keyValues.get(key) ?? [];
      if (!arr.includes(value)) arr.push(value);
      keyValues.set(key, arr);
    },
  };

  const addText = (text: string, weight: number, keepJson: boolean) => {
    const json = parseEmbeddedJson(text);
    if (json.length > 0) {
      if (keepJson) documents.push(...json);
      for (const j of json) walkJson(j, weight, collector);
      // Prose around embedded JSON still counts.
      const prose = text.replace(/```[\s\S]*?```/g, ' ');
      if (!prose.trim().startsWith('{') && !prose.trim().startsWith('['))
        collector.add(prose.replace(/[[{][\s\S]*[\]}]/, ' '), weight);
    } else {
      const listed = bracketedPassages(text);
      if (listed.rest.trim()) collector.add(listed.rest, weight);
      for (const p of listed.passages) collector.add(p.text, weight * 1.5, p.sourceId, p.title);
    }
  };

  background = true;
  if (conv.instructions) addText(conv.instructions, 0.15, false);
  conv.items.forEach((it, i) => {
    item = i;
    if (it.kind === 'message') {
      const weight = it.role === 'user' ? (i === userIdx ? 0.6 : 0.9) : it.role === 'assistant' ? 0.8 : 0.15;
      background = it.role === 'system' || it.role === 'developer' || i === userIdx;
      origin = it.role === 'assistant' ? 'assistant' : 'user';
      addText(it.text, weight, i === userIdx);
    } else if (it.kind === 'output') {
      background = false;
      origin = 'tool';
      addText(it.text, 1.2, i > userIdx);
    }
    background = false;
  });

  // A prompt that brings its own text ("Summarise: …") is its own evidence when nothing else is.
  if (passages.length === 0 && userText) {
    const prose = userText.replace(ask.question, ' ').trim();
    const units = segment(prose, { keepCode: ask.wantsCode, question: ask.question }).units;
    if (units.length > 0) passages.push({ title: '', text: prose, origin: 'user', item: userIdx, units });
  }

  const questionTerms = new Set(terms(ask.question));
  const topTerms = [...toolTermCounts.entries()]
    .filter(([t]) => !questionTerms.has(t) && !/^\p{N}+$/u.test(t))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 12)
    .map(([t]) => t);

  return {
    sentences: list,
    passages,
    ask,
    keyValues,
    sourceIds,
    question: ask.question,
    topTerms: topTerms.length > 0 ? topTerms : rankedTerms(conv.instructions).slice(0, 6),
    checklist: /checklist/i.test(conv.instructions) || /checklist/i.test(ask.question),
    documents,
    instructions: conv.instructions,
  };
}

/**
 * Passages listed in plain text with their ids in brackets ("[docs/a.md#L3] Title: text"), as a
 * prompt may give them; the text before the first such line stays as it is.
 */
function bracketedPassages(text: string): {
  rest: string;
  passages: Array<{ sourceId: string; title: string; text: string }>;
} {
  const blocks = text.split(/\n(?=\s*\[[^\]\s]{2,200}\]\s)/);
  const passages: Array<{ sourceId: string; title: string; text: string }> = [];
  const rest: string[] = [];
  for (const block of blocks) {
    const m = /^\s*\[([^\]\s]{2,200})\]\s+([\s\S]*)$/.exec(block);
    // An id has a path, anchor or number in it; "[x]" or "[note]" is text.
    if (!m || !/[/#.:\d_-]/.test(m[1]!)) {
      rest.push(block);
      continue;
    }
    const title = /^([^:\n]{1,120}):\s/.exec(m[2]!);
    passages.push({
      sourceId: m[1]!,
      title: title ? title[1]!.trim() : '',
      text: title ? m[2]!.slice(title[0].length) : m[2]!,
    });
  }
  return { rest: rest.join('\n'), passages };
}

/** Values of `key` in the material; exact key first, then a case-insensitive match. */
export function valuesForKey(material: Material, key: string): Array<string | number | boolean> {
  const exact = material.keyValues.get(key);
  if (exact && exact.length > 0) return exact;
  const lower = key.toLowerCase();
  for (const [k, v] of material.keyValues) if (k.toLowerCase() === lower && v.length > 0) return v;
  return [];
}
