import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import type { StoredPassage } from './passages.js';

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can do does for from has have how i if in into is it its of on or ' +
    'so such than that the their then there these they this to was we what when where which who why ' +
    'will with you your my me our should would could about use using used'
  ).split(' ')
);

/** Light, consistent suffix folding so "retries"/"retry" and "activities"/"activity" meet. */
function fold(term: string): string {
  if (term.length > 4 && term.endsWith('ies')) return term.slice(0, -3) + 'y';
  if (term.length > 3 && term.endsWith('s') && !/(ss|us|is)$/.test(term)) return term.slice(0, -1);
  return term;
}

/** Lower-cases, drops stop words, folds plurals and also indexes camelCase parts of identifiers. */
export function processTerm(raw: string): string[] | null {
  const parts = raw.split(/(?<=[a-z0-9])(?=[A-Z])/);
  const terms = new Set<string>();
  const whole = raw.toLowerCase();
  if (!STOP_WORDS.has(whole)) terms.add(fold(whole));
  if (parts.length > 1) {
    for (const p of parts) {
      const t = p.toLowerCase();
      if (t.length > 1 && !STOP_WORDS.has(t)) terms.add(fold(t));
    }
  }
  return terms.size ? [...terms] : null;
}

/** The indexed document: the passage's position in the passages array plus its searchable fields. */
interface IndexedPassage {
  id: number;
  sourceId: string;
  title: string;
  text: string;
}

export const INDEX_OPTIONS: Options<IndexedPassage> = {
  idField: 'id',
  fields: ['title', 'text'],
  storeFields: ['sourceId', 'title'],
  processTerm,
};

export const SEARCH_OPTIONS: SearchOptions = {
  boost: { title: 2 },
  prefix: false,
  fuzzy: (term) => (term.length >= 7 ? 0.1 : false),
  combineWith: 'OR',
};

export function buildIndex(passages: StoredPassage[]): MiniSearch<IndexedPassage> {
  const index = new MiniSearch<IndexedPassage>(INDEX_OPTIONS);
  index.addAll(passages.map((p, id) => ({ id, sourceId: p.sourceId, title: p.title, text: p.text })));
  return index;
}

export function loadIndex(json: string): MiniSearch<IndexedPassage> {
  return MiniSearch.loadJSON<IndexedPassage>(json, INDEX_OPTIONS);
}

export type PassageIndex = MiniSearch<IndexedPassage>;

/** Query terms as the index sees them (for excerpt highlighting). */
export function queryTerms(query: string): string[] {
  const out = new Set<string>();
  for (const raw of query.split(/[^\p{L}\p{N}_]+/u)) {
    if (!raw) continue;
    for (const t of processTerm(raw) ?? []) out.add(t);
  }
  return [...out];
}

/**
 * The part of `text` (at most `max` chars) holding the most distinct query terms, cut at word
 * boundaries, with ellipses where it was cut.
 */
export function excerpt(text: string, terms: string[], max = 600): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const lower = flat.toLowerCase();
  const hits: { at: number; term: string }[] = [];
  for (const term of terms) {
    let at = lower.indexOf(term);
    while (at !== -1 && hits.length < 500) {
      hits.push({ at, term });
      at = lower.indexOf(term, at + term.length);
    }
  }
  hits.sort((a, b) => a.at - b.at);
  let bestStart = 0;
  let bestScore = -1;
  for (const h of hits) {
    const start = Math.max(0, h.at - 80);
    const distinct = new Set(
      hits.filter((o) => o.at >= start && o.at + o.term.length <= start + max).map((o) => o.term)
    );
    if (distinct.size > bestScore) {
      bestScore = distinct.size;
      bestStart = start;
    }
  }
  let start = bestStart;
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space === -1 || space - start > 40 ? start : space + 1;
  }
  let end = Math.min(flat.length, start + max - 2);
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    if (space > start + max / 2) end = space;
  }
  return (start > 0 ? '…' : '') + flat.slice(start, end).trim() + (end < flat.length ? '…' : '');
}
