/**
 * Small text utilities for the offline model: hashing, tokenising, sentence splitting and
 * keyword phrases. Everything here is pure and deterministic.
 */
import { createHash } from 'node:crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so that equal values always serialise identically. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each either else ever every few for from ' +
    'further had has have having he her here hers herself him himself his how however i if in into is it its ' +
    'itself just let like me more most much must my myself no nor not now of off on once only or other our ours ' +
    'ourselves out over own per please same shall she should so some such than that the their theirs them ' +
    'themselves then there these they this those through thus to too under until up upon us very via was we ' +
    'were what when where whether which while who whom whose why will with within without would you your yours ' +
    'yourself yourselves want need needs know tell help get gets got make makes use using used one two ' +
    'may might many way ways thing things something anything really etc e.g i.e eg ie vs cf viz yes okay ok give find ' +
    'include includes including given able based first second new via apart aside besides ' +
    // Contractions say how, not what.
    "don't doesn't didn't isn't aren't wasn't weren't can't won't wouldn't shouldn't couldn't haven't " +
    "hasn't i'm i've i'd i'll you're you've we're we've they're it's that's there's let's"
  ).split(/\s+/)
);

/** Lower-case word tokens (letters/digits, inner dashes kept), without stopwords or tiny words. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const m of text
    .toLowerCase()
    .matchAll(/[\p{L}\p{N}][\p{L}\p{N}'+#.-]*[\p{L}\p{N}+#]|[\p{L}\p{N}]/gu)) {
    const t = m[0].replace(/'s$/, '');
    if (t.length < 3 && !/^\p{N}+$/u.test(t)) continue;
    if (STOPWORDS.has(t)) continue;
    out.push(t);
  }
  return out;
}

/** Splits an identifier like `followUpQuestions` or `source_id` into lower-case words. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
}

/** Splits prose into sentences; drops fragments that are too short to be useful. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  const cleaned = text.replace(/\r/g, '');
  for (const block of cleaned.split(/\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)]|#+)\s)/)) {
    const flat = block
      .replace(/^\s*(?:#+|[-*+]|\d+[.)])\s+/gm, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (!flat) continue;
    for (const piece of flat.split(/(?<=[.!?])\s+(?=["'([]?[\p{Lu}\p{N}])/u)) {
      let s = piece.trim();
      if (s.length < 12 || terms(s).length < 2) continue;
      if (s.length > 400) s = truncateWords(s, 400);
      out.push(s);
    }
  }
  return out;
}

/** Cuts text to at most `max` characters at a word boundary (no ellipsis added). */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.5 ? cut.slice(0, space) : cut).trimEnd();
}

/**
 * Terms of `text` ranked by informativeness: longer words and repeated words first, ties by
 * first appearance. Returns unique terms.
 */
export function rankedTerms(text: string): string[] {
  const all = terms(text);
  // Names (capitalised words that do not start a sentence, or mixed case like SQLite) carry
  // more information than ordinary words.
  const names = new Set<string>();
  for (const m of text.matchAll(/(^|[.!?]\s+|\s)([\p{L}\p{N}][\p{L}\p{N}'+#.-]*)/gu)) {
    const word = m[2]!;
    const sentenceStart = m[1] !== ' ' && m[1] !== '\t' && m[1] !== '\n';
    if (/\p{Lu}.*\p{Lu}/u.test(word) || (!sentenceStart && /^\p{Lu}/u.test(word)))
      names.add(word.toLowerCase().replace(/[.]+$/, ''));
  }
  const info = new Map<string, { count: number; first: number }>();
  all.forEach((t, i) => {
    const e = info.get(t);
    if (e) e.count++;
    else info.set(t, { count: 1, first: i });
  });
  return [...info.entries()]
    .sort((a, b) => {
      const sa = Math.min(a[0].length, 10) + 2 * (a[1].count - 1) + (names.has(a[0]) ? 5 : 0);
      const sb = Math.min(b[0].length, 10) + 2 * (b[1].count - 1) + (names.has(b[0]) ? 5 : 0);
      return sb - sa || a[1].first - b[1].first;
    })
    .map(([t]) => t);
}

/** Orders the chosen terms as they first appear in `text` (reads more naturally). */
function inTextOrder(chosen: string[], text: string): string[] {
  const order = terms(text);
  return [...chosen].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
  });
}

const FACETS = [
  'overview',
  'requirements',
  'risks',
  'examples',
  'best practices',
  'trade-offs',
  'steps',
  'limitations',
];

/**
 * Distinct keyword phrases built from `text` (most informative terms first); used so that
 * array items differ. `extraTerms` (e.g. frequent terms of the material) add variety.
 */
export function phraseVariants(text: string, extraTerms: string[] = [], size = 4, wanted = 6): string[] {
  const ranked = rankedTerms(text);
  const variants: string[] = [];
  const seen = new Set<string>();
  const push = (list: string[]) => {
    const clean = list.filter(Boolean);
    if (clean.length === 0) return;
    const key = [...clean].sort().join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    variants.push(inTextOrder(clean, text).join(' '));
  };
  const k = Math.min(size, ranked.length);
  push(ranked.slice(0, k));
  for (let s = 1; s < ranked.length && variants.length < wanted; s++) {
    const w: string[] = [];
    for (let j = 0; j < k; j++) w.push(ranked[(s + j) % ranked.length]!);
    push(w);
  }
  const head = ranked.slice(0, Math.min(2, ranked.length));
  for (const extra of extraTerms) {
    if (variants.length >= wanted) break;
    if (!ranked.includes(extra)) push([...head, extra]);
  }
  for (const facet of FACETS) {
    if (variants.length >= wanted) break;
    push([...head, facet]);
  }
  if (variants.length === 0) variants.push('general information');
  return variants;
}

export function titleCase(phrase: string): string {
  return phrase.replace(/(^|\s)(\p{L})/gu, (_m, sp: string, c: string) => sp + c.toUpperCase());
}

/** Deterministic 32-bit PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
