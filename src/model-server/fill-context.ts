/**
 * What schema filling shares between its modules: the JSON types, the state of one fill (the
 * material, what was already written), the slot being filled, and how a field's name and
 * description say what it wants.
 */
import type { Written } from './compose.js';
import type { JsonRecord } from './judge.js';
import type { Material } from './material.js';
import type { Candidate } from './relevance.js';
import type { PlannedSearch } from './search-plan.js';
import { identifierWords } from './text.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Schema = Record<string, any>;

/** What one fill has written so far, so that later fields add to it (and follow-ups see it). */
export interface Writing {
  summary?: Written;
  body?: Written;
  /** Units quoted by any field. */
  used: Set<Candidate>;
  /** Precomputed array contents, by the array's key (plans, follow-ups, ranked source ids). */
  lists: Map<string, unknown[]>;
}

export interface Ctx {
  root: Schema;
  material: Material;
  mode: 'answer' | 'args';
  minimal: boolean;
  usedSentences: Set<string>;
  usedValues: Map<string, Set<string>>;
  questionTerms: string[];
  writing: Writing;
}

export interface Slot {
  key: string;
  description: string;
  parentKey?: string;
  /** Position when inside an array. */
  index?: number;
  preferSource?: string;
  /** The planned search an item of a search plan stands for. */
  planned?: PlannedSearch;
  /** The record of the request an item answers about (e.g. the claim a verdict judges). */
  record?: JsonRecord;
}

export const LONG_KEYS: Record<string, number> = {
  markdown: 6,
  body: 6,
  report: 6,
  content: 4,
  analysis: 4,
  answer: 3,
  summary: 3,
  text: 3,
  details: 3,
  explanation: 3,
  overview: 3,
  notes: 3,
  description: 2,
};
export const SHORT_WORDS = new Set(
  'title query queries name names keyword keywords label heading topic topics tag tags term terms subject search searches headline slug'.split(
    ' '
  )
);
export const QUERY_WORDS = new Set(
  'query queries q search searches keyword keywords term terms topic topics phrase'.split(' ')
);
export const REASON_WORDS = new Set(
  'reason reasons why rationale purpose justification explanation because goal intent note'.split(' ')
);
export const INDEX_KEYS = new Set([
  'n',
  'index',
  'number',
  'position',
  'rank',
  'order',
  'step',
  'num',
  'idx',
  'no',
]);
export const ID_LIKE =
  /^(id|source|path|url|uri|href|file|filename|doc|document)$|(Id|_id|ID|Ids|Path|Url|URL)$/;

export type KeyKind = 'question' | 'followup' | 'short' | 'long' | 'plain';

export function keyKind(slot: Pick<Slot, 'key' | 'description'>): KeyKind {
  const words = identifierWords(slot.key);
  const described = slot.description.toLowerCase();
  // Follow-ups are questions for later research, not questions to the asker.
  if (
    words.includes('follow') ||
    (/\bquestions?\b/.test(described) && /\b(next|later|follow)/.test(described))
  )
    return 'followup';
  if (words.some((w) => w === 'question' || w === 'questions') || /^questions?\b/.test(described))
    return 'question';
  if (words.some((w) => SHORT_WORDS.has(w))) return 'short';
  if (words.some((w) => w in LONG_KEYS)) return 'long';
  return 'plain';
}

/** Keys naming a list of sources (`sources`, `citations`, `sourceIds`, `references`). */
export function isSourceListKey(key: string): boolean {
  return identifierWords(key).some((w) => /^(sources?|citations?|references?|refs?|ids|sourceids)$/.test(w));
}

/** A long text that is a document body (Markdown, report) rather than an answer or a note. */
export function isBodyField(slot: Pick<Slot, 'key' | 'description'>): boolean {
  const words = identifierWords(slot.key);
  if (words.some((w) => ['markdown', 'body', 'report', 'content', 'document', 'article'].includes(w)))
    return true;
  return /\b(?:report body|body in markdown|in markdown)\b/i.test(slot.description);
}

/** A field for a title or heading. */
export function isTitleField(key: string): boolean {
  return identifierWords(key).some((w) => w === 'title' || w === 'heading' || w === 'headline');
}

/** A field saying why (a plan's reason, a verdict's explanation). */
export function isReasonField(key: string): boolean {
  return identifierWords(key).some((w) => REASON_WORDS.has(w));
}

/** A field holding a search query. */
export function isQueryField(key: string): boolean {
  return identifierWords(key).some((w) => QUERY_WORDS.has(w));
}
