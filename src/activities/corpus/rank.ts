/**
 * Ranking: BM25F candidates (search-index.ts), re-scored by proximity (query terms next to each
 * other, in the query's order, or close together), with boilerplate ranked down unless the search
 * asks for it, near-identical passages collapsed to one, and the top results spread over documents.
 */
import { queryAsksFor, releaseNotesDocument } from './boilerplate.js';
import type { StoredPassage } from './passages.js';
import type { WeightedQuery } from './query.js';
import { documentText, type IndexDocument, type PassageIndex } from './search-index.js';
import { indexableText, tokenize } from './tokens.js';

/** Candidates re-scored for proximity per search (the BM25F top); a longer tail keeps its BM25F score. */
const CANDIDATES = 40;
const TAIL = 80;
/** Share of the score added when every query pair appears as a phrase / all terms sit close together. */
const PHRASE_BONUS = 0.5;
const WINDOW_BONUS = 0.4;
/** Positions (stop words not counted) within which terms count as close. */
const WINDOW = 10;
/** Score factor of boilerplate the search does not ask for. */
export const BOILERPLATE_FACTOR = 0.3;
/** Score factor of release notes written for users (NEWS) that the search does not ask for. */
const RELEASE_NOTES_FACTOR = 0.6;
/**
 * Spread over documents: a document's second and third passages compete on their score alone (the
 * answer is often near the passage of the document that holds the best one: a manual page, a
 * reference chapter); from its fourth on, each pays this factor per passage already taken.
 */
const SAME_DOCUMENT_FACTOR = 0.85;
const FREE_PER_DOCUMENT = 2;
/** Shingle overlap above which two passages count as the same text. */
const NEAR_DUPLICATE = 0.8;
/** Share of a passage's word pairs another holds for it to be a copy of part of that one. */
const CONTAINED = 0.85;
/** Fewest word pairs a passage needs before it counts as a copy by containment. */
const MIN_CONTAINED_SHINGLES = 16;

export interface RankedPassage {
  id: number;
  score: number;
}

export interface RankCorpus {
  passages: StoredPassage[];
  documents: IndexDocument[];
  index: PassageIndex;
}

interface PassageTerms {
  /** Positions of each term in the text. */
  text: Map<string, number[]>;
  /** Terms of the headings and the document name: they hold for the whole passage. */
  context: Set<string>;
  /** Pairs of consecutive terms (shingles), to recognise the same text cut or copied elsewhere. */
  shingles: Set<string>;
}

/** Term positions of a passage, computed on demand and remembered (searches repeat). */
const termMemo = new WeakMap<PassageIndex, Map<number, PassageTerms>>();

function termsOf(c: RankCorpus, id: number): PassageTerms {
  let memo = termMemo.get(c.index);
  if (!memo) termMemo.set(c.index, (memo = new Map()));
  let out = memo.get(id);
  if (out) return out;
  const p = c.passages[id];
  const text = new Map<string, number[]>();
  const shingles = new Set<string>();
  let last = '';
  for (const t of tokenize(indexableText(p?.text ?? ''))) {
    const list = text.get(t.term);
    if (list) list.push(t.pos);
    else text.set(t.term, [t.pos]);
    if (t.joint) continue;
    shingles.add(`${last} ${t.term}`);
    last = t.term;
  }
  const doc = p ? c.documents[p.doc] : undefined;
  const contextText = `${p?.headings.join(' ') ?? ''} ${doc ? documentText(doc) : ''}`;
  out = { text, context: new Set(tokenize(contextText).map((t) => t.term)), shingles };
  if (memo.size > 20_000) memo.clear();
  memo.set(id, out);
  return out;
}

/** Share (0..1) of the query's pair weight found as phrases: adjacent in order, or close in any order. */
function phraseShare(q: WeightedQuery, terms: PassageTerms): number {
  const pos = terms.text;
  let total = 0;
  let found = 0;
  for (const pair of q.pairs) {
    total += pair.weight;
    const pa = pos.get(pair.a);
    const pb = pos.get(pair.b);
    if (!pa || !pb) continue;
    let best = 0;
    for (const x of pa) {
      for (const y of pb) {
        const d = y - x;
        if (d >= 1 && d <= 2) best = 1;
        else if (Math.abs(d) <= 3 && best < 0.5) best = 0.5;
        if (best === 1) break;
      }
      if (best === 1) break;
    }
    found += best * pair.weight;
  }
  return total > 0 ? found / total : 0;
}

/**
 * Share (0..1) of the query's weight found within one window of WINDOW positions; terms of the
 * headings or the document name count in every window.
 */
function windowShare(q: WeightedQuery, terms: PassageTerms): number {
  const hits: { at: number; term: number }[] = [];
  const value = q.terms.map((t) => t.weight * t.idf);
  const total = value.reduce((a, b) => a + b, 0);
  let context = 0;
  q.terms.forEach((t, i) => {
    if (terms.context.has(t.term)) context += value[i]!;
    else for (const at of terms.text.get(t.term) ?? []) hits.push({ at, term: i });
  });
  if (total <= 0) return 0;
  if (hits.length === 0) return context / total;
  hits.sort((a, b) => a.at - b.at);
  const inWindow = new Map<number, number>();
  let best = 0;
  let sum = 0;
  let from = 0;
  for (const h of hits) {
    inWindow.set(h.term, (inWindow.get(h.term) ?? 0) + 1);
    if (inWindow.get(h.term) === 1) sum += value[h.term]!;
    while (h.at - hits[from]!.at >= WINDOW) {
      const old = hits[from++]!;
      const left = inWindow.get(old.term)! - 1;
      inWindow.set(old.term, left);
      if (left === 0) sum -= value[old.term]!;
    }
    best = Math.max(best, sum);
  }
  return (best + context) / total;
}

/** Overlap (Jaccard) of two passages' shingles: 1 for the same words in the same order. */
function resemblance(x: PassageTerms, y: PassageTerms): number {
  const a = x.shingles;
  const b = y.shingles;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union ? shared / union : 1;
}

/**
 * How much of the smaller passage the larger one holds, word pair by word pair: near 1 when one is
 * a copy of part of the other (the same manual shipped as HTML, PDF and XML, cut into passages at
 * different places). Passages too short to tell give 0.
 */
function containment(x: PassageTerms, y: PassageTerms): number {
  const [small, large] =
    x.shingles.size <= y.shingles.size ? [x.shingles, y.shingles] : [y.shingles, x.shingles];
  if (small.size < MIN_CONTAINED_SHINGLES) return 0;
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / small.size;
}

/** Whether a passage repeats one already chosen: near-identical, or held in it (or holding it) almost whole. */
function repeats(terms: PassageTerms, chosen: PassageTerms): boolean {
  return resemblance(terms, chosen) >= NEAR_DUPLICATE || containment(terms, chosen) >= CONTAINED;
}

/**
 * The best passages for a weighted query, at most `limit`, best first. With `meaning` (each
 * passage's closeness in meaning to the question, from a sentence encoder), fused with it.
 */
export function rank(
  c: RankCorpus,
  q: WeightedQuery,
  limit: number,
  meaning?: Float32Array
): RankedPassage[] {
  const { scores, touched } = c.index.score(q.terms);
  touched.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const asks = new Map<string, boolean>();
  // The passages that name a command and option searched for ("command -p"), from the index.
  const naming = new Set(
    q.terms.filter((t) => t.term.includes(' ')).flatMap((t) => [...c.index.inText(t.term)])
  );
  let scored: RankedPassage[] = touched.slice(0, Math.max(TAIL, limit * 8)).map((id, at) => {
    let s = scores[id]!;
    if (at < CANDIDATES) {
      const terms = termsOf(c, id);
      s *= 1 + PHRASE_BONUS * phraseShare(q, terms) + WINDOW_BONUS * windowShare(q, terms);
    }
    // A changelog that names the command and option searched for ("Set command -p path to…") says
    // something about it: it is not demoted as one that mentions the words in passing.
    return { id, score: naming.has(id) ? s : s * demotion(c, id, q, asks) };
  });
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  if (meaning) scored = fuse(c, q, scored, meaning, asks, scores);

  // Greedy selection: skip copies of a chosen passage; a document's later passages pay a toll.
  const chosen: RankedPassage[] = [];
  const fromDoc = new Map<number, number>();
  const canonical = new Set<number>();
  const pool = scored.slice();
  while (chosen.length < limit && pool.length) {
    let bestAt = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const p = pool[i]!;
      const doc = c.passages[p.id]?.doc ?? -1;
      const s = p.score * SAME_DOCUMENT_FACTOR ** Math.max(0, (fromDoc.get(doc) ?? 0) - FREE_PER_DOCUMENT);
      if (s > bestScore) {
        bestScore = s;
        bestAt = i;
      }
      // The pool is sorted: nothing further down can beat an untolled score already reached.
      if (p.score < bestScore) break;
    }
    const [next] = pool.splice(bestAt, 1);
    if (!next) break;
    const key = c.index.dupOf[next.id]! >= 0 ? c.index.dupOf[next.id]! : next.id;
    if (canonical.has(key)) continue;
    const terms = termsOf(c, next.id);
    if (chosen.some((x) => repeats(terms, termsOf(c, x.id)))) continue;
    canonical.add(key);
    const doc = c.passages[next.id]?.doc ?? -1;
    fromDoc.set(doc, (fromDoc.get(doc) ?? 0) + 1);
    chosen.push({ id: next.id, score: bestScore });
  }
  return chosen;
}

/** The factor boilerplate the query does not ask for pays (1 for other passages). */
function demotion(c: RankCorpus, id: number, q: WeightedQuery, asks: Map<string, boolean>): number {
  const kind = c.passages[id]?.boilerplate;
  if (!kind) return 1;
  if (!asks.has(kind)) asks.set(kind, queryAsksFor(kind, q.words));
  if (asks.get(kind)) return 1;
  return releaseNotes(c, id) ? RELEASE_NOTES_FACTOR : BOILERPLATE_FACTOR;
}

/** Release notes by document, once per loaded corpus (searches ask for every passage). */
const releaseNotesMemo = new WeakMap<IndexDocument[], boolean[]>();

/** Whether a changelog passage belongs to release notes written for users (boilerplate.ts). */
function releaseNotes(c: RankCorpus, id: number): boolean {
  const p = c.passages[id];
  if (p?.boilerplate !== 'changelog') return false;
  let byDoc = releaseNotesMemo.get(c.documents);
  if (!byDoc)
    releaseNotesMemo.set(c.documents, (byDoc = c.documents.map((d) => releaseNotesDocument(d.rel))));
  return byDoc[p.doc] ?? false;
}

/** Weight of a passage's meaning score against its word score (the best word score is 1). */
const MEANING_WEIGHT = 0.4;
/** Meaning scores are measured from the 50th best passage's: below it a passage gets nothing. */
const MEANING_FLOOR_RANK = 50;
/** Only passages of the documents of the best few word-ranked passages gain by their meaning. */
const MEANING_DOCUMENTS_FROM = 5;
/** The passages closest in meaning join the candidates even when they share no word with the query. */
const MEANING_CANDIDATES = 30;

/**
 * Word ranking and meaning ranking fused: each candidate's word score (the best 1) plus its
 * meaning score, scaled so that the closest passage in meaning gets MEANING_WEIGHT and the
 * MEANING_FLOOR_RANK-th nothing. Only inside the documents the words found: across documents,
 * meaning finds passages on the same topic rather than the answer ("use /usr/bin/env" from a
 * changelog for a policy question), but inside the right document it finds the answer the
 * question words differently ("cap the heap" for a size limit).
 */
function fuse(
  c: RankCorpus,
  q: WeightedQuery,
  scored: RankedPassage[],
  meaning: Float32Array,
  asks: Map<string, boolean>,
  /** Every passage's BM25F score, for those not among `scored`. */
  wordScores: ArrayLike<number>
): RankedPassage[] {
  // Boilerplate ranked down in full gains nothing by meaning (a changelog is close to anything);
  // release notes do, as they describe features in users' words.
  const order = Array.from(meaning.keys()).filter((id) => demotion(c, id, q, asks) > BOILERPLATE_FACTOR);
  order.sort((a, b) => meaning[b]! - meaning[a]! || a - b);
  if (order.length === 0) return scored;
  const plain = new Set(order);
  const top = scored[0]?.score || 1;
  const hi = meaning[order[0]!]!;
  const lo = meaning[order[Math.min(order.length - 1, MEANING_FLOOR_RANK)]!]!;
  const docs = new Set(scored.slice(0, MEANING_DOCUMENTS_FROM).map((p) => c.passages[p.id]?.doc));
  const bonus = (id: number) =>
    plain.has(id) && docs.has(c.passages[id]?.doc)
      ? MEANING_WEIGHT * Math.max(0, (meaning[id]! - lo) / Math.max(1e-6, hi - lo))
      : 0;
  const out = new Map<number, number>();
  for (const p of scored) out.set(p.id, p.score / top + bonus(p.id));
  // The closest in meaning join with their word score, however far down the words ranked them.
  for (const id of order.slice(0, MEANING_CANDIDATES))
    if (!out.has(id)) out.set(id, ((wordScores[id] || 0) * demotion(c, id, q, asks)) / top + bonus(id));
  return [...out]
    .map(([id, score]) => ({ id, score }))
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score || a.id - b.id);
}
