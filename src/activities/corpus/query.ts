/**
 * The weighted terms of a search. The planner's query terms count fully. When the research
 * question comes along, its distinctive terms (the rarest in this corpus, by idf; not a word list)
 * are added at a lower weight, so that a word the planner dropped ("pip", "3type") still finds its
 * passage while the planner's own terms keep steering the ranking.
 */
import { LEFT_ALONE, plainWords } from '../../common/idioms.js';
import { nearSynonymMap } from '../../common/near-synonyms.js';
import type { PassageIndex } from './search-index.js';
import { indexableText, tokenize, type Token } from './tokens.js';

/** Weight of a question term the query lacks, relative to a query term. */
export const QUESTION_WEIGHT = 0.5;
/** Weight of a question term that names something (a capitalised name, an identifier). */
const NAME_WEIGHT = 1;
/** At most this many question terms are added. */
const QUESTION_TERMS = 5;
/** A question term must be at least this rare: idf at least this share of the largest idf. */
const QUESTION_IDF_SHARE = 0.3;

/**
 * Terms of the words of `text` that name something: capitalised inside a sentence ("Commander"),
 * mixed case ("RunState"), or identifier-like (digits, underscores, dots inside: "ffi_cif", "v20").
 */
function nameTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(
    /(^|[.!?]\s+|\s|[("'`])([\p{L}\p{N}_][\p{L}\p{N}_.]*[\p{L}\p{N}_]|[\p{L}\p{N}])/gu
  )) {
    const word = m[2]!;
    const sentenceStart = m[1] !== '' && /[.!?]/.test(m[1]!) ? true : m.index === 0;
    const name =
      /\p{Ll}\p{Lu}/u.test(word) ||
      /[\d_]/.test(word) ||
      /\w\.\w/.test(word) ||
      (!sentenceStart && /^\p{Lu}/u.test(word));
    if (!name) continue;
    const first = tokenize(word)[0];
    if (first) out.add(first.term);
  }
  return out;
}

export interface QueryTerm {
  term: string;
  weight: number;
  idf: number;
}

export interface Pair {
  a: string;
  b: string;
  weight: number;
}

export interface WeightedQuery {
  terms: QueryTerm[];
  /** Adjacent term pairs of the query (and of the question), for phrase and proximity evidence. */
  pairs: Pair[];
  /** The words as written (lower case), to tell whether the search asks for a licence, a changelog… */
  words: string[];
}

function pairsOf(tokens: Token[], keep: Map<string, QueryTerm>, scale: number): Pair[] {
  const out: Pair[] = [];
  for (let k = 0; k + 1 < tokens.length; k++) {
    const x = tokens[k]!;
    // The next token at a later position (identifier parts share the whole form's first position).
    const y = tokens.slice(k + 1).find((t) => t.pos > x.pos);
    if (!y || y.pos - x.pos > 1 || x.term === y.term) continue;
    const a = keep.get(x.term);
    const b = keep.get(y.term);
    if (!a || !b) continue;
    out.push({ a: a.term, b: b.term, weight: scale * Math.min(a.idf, b.idf) });
  }
  return out;
}

/**
 * What reference documentation calls the answers to some common kinds of question: a question
 * about what happens when nothing is configured ("if I don't set anything", "out of the box",
 * "unless told otherwise", "when I give no mode") is answered where the text says "default"; one about a bound ("how
 * big", "the largest", "at most") where it says "maximum" or "limit" ("minimum" for the lower one).
 */
const ANSWER_WORDS: { asks: RegExp; terms: string[] }[] = [
  {
    asks: new RegExp(
      String.raw`\b(by default|defaults?|out of the box|otherwise|unless (\w+ )?(told|configured|set|specified|changed|overridden|given)|(if|when) (i|you|we|they) (don'?t|do not|never) (\w+ ){0,2}(configure|set|specify|pass|give|change|touch|provide|say|tell)|leaves? (it|them|that|this) out|left out|omit(s|ted|ting)?|(give|pass|specify|set|provide|choose|pick)s? no|without (configuring|setting|specifying|passing|giving|changing) (it|them|anything)|by itself|on its own)\b|${LEFT_ALONE}`,
      'i'
    ),
    terms: ['default'],
  },
  {
    asks: /\b(biggest|largest|longest|highest|maximum|max|at most|upper (limit|bound)|how (big|large|high|many|much))\b/i,
    terms: ['maximum', 'limit'],
  },
  {
    asks: /\b(smallest|shortest|lowest|fewest|minimum|min|at least|lower (limit|bound))\b/i,
    terms: ['minimum'],
  },
  {
    asks: /\b(how long (until|before|does|do|will|is|can)|how much time|time out|gives? up)\b/i,
    terms: ['timeout'],
  },
];
/** Weight of a word the kind of question asks for, relative to a query term. */
const ANSWER_WEIGHT = 0.5;

/** Weight of a near-synonym of a query term ("fail" for "error"), relative to a query term. */
const RELATED_WEIGHT = 0.5;

/** Indexed terms of the near-synonyms of each term (src/common/near-synonyms.ts), stemmed as the index stems. */
const related = nearSynonymMap((w) => tokenize(w).map((t) => t.term));

/**
 * Weight of a word's American spelling ("license" for "licence"), relative to the word as written:
 * the documentation's spelling is found, the asker's own still counts for more.
 */
const VARIANT_WEIGHT = 0.5;

/** Each term's share of a word's weight: VARIANT_WEIGHT when it is only ever another spelling's term. */
function spelledShares(tokens: Token[]): Map<string, number> {
  const shares = new Map<string, number>();
  for (const t of tokens)
    if (!t.variant || !shares.has(t.term)) shares.set(t.term, t.variant ? VARIANT_WEIGHT : 1);
  return shares;
}

/** Weight of a compound's other spelling ("file system" for "filesystem"), relative to the word. */
const SPELLING_WEIGHT = 0.8;
/** A compound is split only when the corpus writes it apart this many times as often as whole. */
const APART_RATIO = 4;

/** The one indexed term a word is, if it is one (not a stop word, not several). */
function termOf(word: string): string | undefined {
  const tokens = tokenize(word);
  return tokens.length === 1 ? tokens[0]!.term : undefined;
}

/**
 * Adds the other spelling of a compound the words write in one ("filesystem" → "file system", as a
 * pair) when both halves are words of four letters or more that the corpus uses far more often than
 * the whole. (The other way, two words joined, "file names" found `filename`, a parameter name all
 * over an API reference: measured worse, left out.)
 */
function spellings(index: PassageIndex, words: string[], terms: Map<string, QueryTerm>, pairs: Pair[]): void {
  const add = (term: string, weight: number) => {
    if (!terms.has(term)) terms.set(term, { term, weight, idf: index.idf(term) });
  };
  const letters = (w: string) => /^\p{L}+$/u.test(w);
  for (const w of new Set(words)) {
    if (!letters(w) || w.length < 8) continue;
    const whole = termOf(w);
    if (!whole) continue;
    for (let cut = 4; cut <= w.length - 4; cut++) {
      const [a, b] = [termOf(w.slice(0, cut)), termOf(w.slice(cut))];
      if (!a || !b || a === b) continue;
      const apart = Math.min(index.df(a), index.df(b));
      if (apart === 0 || APART_RATIO * index.df(whole) > apart) continue;
      const weight = SPELLING_WEIGHT * (terms.get(whole)?.weight ?? QUESTION_WEIGHT);
      add(a, weight / 2);
      add(b, weight / 2);
      pairs.push({ a, b, weight: weight * Math.min(index.idf(a), index.idf(b)) });
      break;
    }
  }
}

/** Lower-case words as written; a dotted version ("3.8.1") or name ("node.js") stays one word. */
function rawWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:\.[\p{L}\p{N}]+)*/gu) ?? [];
}

export function weightedQuery(index: PassageIndex, query: string, question?: string): WeightedQuery {
  // Read in documentation's words, as the question is below.
  const qTokens = tokenize(indexableText(plainWords(query)));
  const terms = new Map<string, QueryTerm>();
  const qSpelled = spelledShares(qTokens);
  for (const t of qTokens)
    if (!terms.has(t.term))
      terms.set(t.term, { term: t.term, weight: qSpelled.get(t.term)!, idf: index.idf(t.term) });
  const pairs = pairsOf(qTokens, terms, 1);
  const words = rawWords(query);
  if (question?.trim()) {
    // Read in documentation's words: "what comes back" finds "returns", not "back".
    const sTokens = tokenize(indexableText(plainWords(question)));
    const floor = QUESTION_IDF_SHARE * index.maxIdf();
    const names = nameTerms(question);
    const spelled = spelledShares(sTokens);
    const extra = [...new Set(sTokens.map((t) => t.term))]
      .filter((t) => !terms.has(t) && index.df(t) > 0)
      .map((t) => ({
        term: t,
        weight: (names.has(t) ? NAME_WEIGHT : QUESTION_WEIGHT) * spelled.get(t)!,
        idf: index.idf(t),
      }))
      .filter((t) => t.idf >= floor)
      .sort((x, y) => y.idf - x.idf)
      .slice(0, QUESTION_TERMS);
    for (const t of extra) terms.set(t.term, t);
    pairs.push(...pairsOf(sTokens, terms, QUESTION_WEIGHT));
    words.push(...rawWords(question));
  }
  // The words documentation uses for what the query says in other words, at a discount.
  for (const t of [...terms.values()])
    for (const r of related.get(t.term) ?? [])
      if (!terms.has(r) && index.df(r) > 0)
        terms.set(r, { term: r, weight: RELATED_WEIGHT * t.weight, idf: index.idf(r) });
  // A compound in the spelling the documentation uses ("file system" for "filesystem").
  spellings(index, words, terms, pairs);
  // Keywords are taken as written; a question (the research question, or a query asked as one) is read.
  const asked = question?.trim() ? question : /\?\s*$/.test(query) ? query : '';
  for (const kind of ANSWER_WORDS) {
    if (!kind.asks.test(asked)) continue;
    for (const t of tokenize(kind.terms.join(' ')))
      if (!terms.has(t.term) && index.df(t.term) > 0)
        terms.set(t.term, { term: t.term, weight: ANSWER_WEIGHT, idf: index.idf(t.term) });
  }
  return { terms: [...terms.values()], pairs, words };
}
