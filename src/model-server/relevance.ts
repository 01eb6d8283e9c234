/**
 * How well a quotable unit answers the question: the question's distinctive terms it holds
 * (weighted by how rare each is in the request's own passages), how close together they are,
 * whether it sits right under a heading that matches, and whether it is the kind of sentence the
 * question's form asks for (a number for "how many", a command for "which flag"…). Selection
 * then takes the best units without repeating what was already said (MMR).
 */
import { cueScore, lacksAnswerType } from './answer-cues.js';
import type { QueryWeights } from './question-terms.js';
import { meaningTexts } from './meaning-text.js';
import { RELATED_CREDIT, relatedTerms } from './related-terms.js';
import type { Unit } from './segment.js';
import type { Term } from './terms.js';
import type { AnswerCue } from './question-form.js';

export { stem, termsOf, termSet, type Term } from './terms.js';
export {
  documentTerms,
  focusTerms,
  namedTerms,
  isWeakTerm,
  queryWeights,
  settingOf,
  type QueryWeights,
} from './question-terms.js';

/** A unit of a passage, ready to score. */
export interface Candidate {
  unit: Unit;
  sourceId?: string;
  /** Index of its passage in the request. */
  passage: number;
  /** The passage's title (heading path). */
  title: string;
  terms: Term[];
  set: Set<string>;
  headingTerms: Set<string>;
  titleTerms: Set<string>;
  /** Terms of the name the unit describes (its label): what a definition's sentences are about. */
  labelTerms: Set<string>;
  /** Terms of the whole entry the unit belongs to (its label and all its sentences), when labelled. */
  entryTerms: Set<string>;
  /** Terms of the passage's title and source id (the document it is from). */
  docTerms: Set<string>;
}

/** How rare each term is across the request's passages (rarer says more about the question). */
export function inverseFrequencies(cands: Candidate[]): (term: string) => number {
  const perPassage = new Map<number, Set<string>>();
  for (const c of cands) {
    // A passage "has" the terms of its document's title and path too (see Scorer.setting).
    const set = perPassage.get(c.passage) ?? new Set<string>([...c.titleTerms, ...c.docTerms]);
    for (const t of c.set) set.add(t);
    for (const t of c.labelTerms) set.add(t);
    perPassage.set(c.passage, set);
  }
  const n = perPassage.size;
  const df = new Map<string, number>();
  for (const set of perPassage.values()) for (const t of set) df.set(t, (df.get(t) ?? 0) + 1);
  return (term) => Math.max(0.15, Math.log((n + 1) / ((df.get(term) ?? 0) + 0.5)));
}

/** A parenthetical of plain words: "(5min)", "(default: 10)", "(i.e., the index)", "(Closes: #999836)". */
const PARENTHETICAL = /\(([\w\s.,:;'"%/+#-]*)\)/g;

/** 1 for prose, down to 0.1 when braces, brackets, pipes and operators dominate (code, tables). */
export function proseFactor(text: string): number {
  // A parenthetical aside is prose, not code: "The default is five minutes (5min)." is an answer.
  const symbols = text.replace(PARENTHETICAL, ' $1 ').match(/[{}()[\];=<>|$\\]/g)?.length ?? 0;
  const ratio = symbols / Math.max(text.length, 1);
  if (ratio <= 0.02) return 1;
  return Math.max(0.1, 1 - (ratio - 0.02) * 30);
}

export interface Scored {
  cand: Candidate;
  score: number;
  /** Share of the question's weighted terms the unit holds (0..1). */
  coverage: number;
  /** Holds (or sits under a heading that holds) a term of the question's own subject. */
  onSubject?: boolean;
}

export interface Scorer {
  weights: QueryWeights;
  /** Setting terms and names: met by the whole passage when its title or source id holds them. */
  setting: ReadonlySet<string>;
  /** The question's subject: a unit (with its heading) that holds none of it is about something else. */
  focus: ReadonlySet<string>;
  /** Terms of the code the question names: a unit about none of them is about other code. */
  named?: ReadonlySet<string>;
  idf: (term: string) => number;
  cues: ReadonlySet<AnswerCue>;
  /** Closeness in meaning of a unit's text to the question (cosine), when an encoder is installed. */
  meaning?: (text: string) => number | undefined;
}

/** A unit as close in meaning to the question as can be counts as much as one that holds all its terms. */
const MEANING_WEIGHT = 1;
/** Cosines at or under this are unrelated texts. */
const MEANING_FLOOR = 0.3;

/** The question's terms as matched: weight × rarity, and the related terms that stand in for each. */
interface Weighted {
  w: Map<string, number>;
  total: number;
  /** Related terms the passages hold, by the question term they stand for. */
  related: Map<string, string[]>;
  /** The question term a related term stands for. */
  standsFor: Map<string, string>;
}

/** A sentence about something named before it: "this option…", "it is…", "such a file…". */
const REFERS_BACK =
  /\b(?:this|that|these|those|such)\s+(?:option|setting|command|flag|mode|feature|variable|function|method|file|value|parameter|tool|behaviou?r)s?\b|^(?:it|this|they)\b/i;

const FOCUS_RARITY_FLOOR = 0.7;
/** Relevance factor of a unit about none of the code the question names. */
const NAMED_FACTOR = 0.6;

/**
 * The release a unit is in, when the writer says it with the unit because the question asks which
 * release ("libxslt 1.1.35-1+deb12u2, bookworm-security"); '' when not asked or already said.
 */
export function releaseSaid(u: Unit, cues: ReadonlySet<AnswerCue>): string {
  if (!cues.has('release') || !u.release) return '';
  const version = /\d+(?:\.\d+)+[\w.+~-]*/.exec(u.release)?.[0];
  return version && u.plain.includes(version) ? '' : u.release;
}

/** Scores every candidate for the question. */
export function scoreAll(cands: Candidate[], scorer: Scorer): Scored[] {
  // Terms no passage holds cannot tell passages apart; coverage counts what can be matched.
  const seen = new Set<string>();
  for (const c of cands)
    for (const set of [c.set, c.docTerms, c.titleTerms, c.labelTerms]) for (const t of set) seen.add(t);
  const q: Weighted = { w: new Map(), total: 0, related: new Map(), standsFor: new Map() };
  // The question's subject is common in what its searches found precisely because it is the subject:
  // its rarity counts for no less than half of the rarest term's.
  let rarest = 0;
  for (const t of scorer.focus) if (seen.has(t)) rarest = Math.max(rarest, scorer.idf(t));
  for (const [t, weight] of scorer.weights) {
    const alts = relatedTerms(t).filter((a) => seen.has(a) && !scorer.weights.has(a));
    if (!seen.has(t) && alts.length === 0) continue;
    // A term met only through related words is as rare as the commonest of them.
    const rarity = seen.has(t) ? scorer.idf(t) : Math.min(...alts.map(scorer.idf));
    const v = weight * (scorer.focus.has(t) ? Math.max(rarity, FOCUS_RARITY_FLOOR * rarest) : rarity);
    q.w.set(t, v);
    q.total += v;
    if (alts.length > 0) q.related.set(t, alts);
    for (const a of alts) if (!q.standsFor.has(a)) q.standsFor.set(a, t);
  }
  return cands.map((cand) => scoreOne(cand, q, scorer));
}

/** Whether a set holds a term, or (at a discount) a related one: 1, RELATED_CREDIT or 0. */
function meets(set: ReadonlySet<string>, t: string, q: Weighted): number {
  if (set.has(t)) return 1;
  return q.related.get(t)?.some((a) => set.has(a)) ? RELATED_CREDIT : 0;
}

function share(set: ReadonlySet<string>, q: Weighted): number {
  if (q.total <= 0) return 0;
  let s = 0;
  for (const [t, v] of q.w) s += v * meets(set, t, q);
  return s / q.total;
}

function scoreOne(cand: Candidate, q: Weighted, scorer: Scorer): Scored {
  const cues = scorer.cues;
  // "…in commander": every unit of commander's own document is in that setting.
  const fromDoc = [...scorer.setting].filter((t) => cand.docTerms.has(t) && !cand.set.has(t));
  const said = fromDoc.length > 0 ? new Set([...cand.set, ...fromDoc]) : cand.set;
  // A definition's sentences are about the name they define, whether or not they repeat it —
  // though a name's words ("--xtree-leak-file") say less than a sentence that says them.
  // So are the sentences of a section that refer to its subject without naming it ("this option",
  // "it"): the heading names what they are about.
  const refersBack = cand.headingTerms.size > 0 && REFERS_BACK.test(cand.unit.plain);
  const own: ReadonlySet<string> =
    cand.labelTerms.size > 0 || refersBack
      ? new Set([...said, ...cand.labelTerms, ...(refersBack ? cand.headingTerms : [])])
      : said;
  const coverage = own === said ? share(said, q) : share(said, q) + 0.6 * (share(own, q) - share(said, q));
  // A heading that matches the question vouches for the first units under it.
  const place = [1, 0.7, 0.45][cand.unit.afterHeading] ?? 0.3;
  const heading = Math.max(share(cand.headingTerms, q), share(cand.titleTerms, q));
  // An entry that answers as a whole (the option, its range and its default) vouches for each of
  // its sentences, as a matching heading does.
  const entry = cand.entryTerms.size > 0 ? share(cand.entryTerms, q) : 0;
  const closeness = scorer.meaning;
  const cos = closeness
    ? Math.max(0, ...meaningTexts(cand.unit, cand.title).map((t) => closeness(t) ?? 0))
    : 0;
  const base =
    coverage +
    0.8 * heading * place +
    0.25 * entry +
    MEANING_WEIGHT * Math.max(0, (cos - MEANING_FLOOR) / (1 - MEANING_FLOOR));
  if (base <= 0) return { cand, score: 0, coverage };
  // Off the subject (none of its terms, not even in the heading) or outside the setting asked about.
  const about = (set: ReadonlySet<string>, terms: ReadonlySet<string>) =>
    [...terms].some((t) => meets(set, t, q) > 0);
  // A part of a name the question's subject is ("zlib" of "zlib.deflate()") keeps a unit on it.
  const named = scorer.named ?? new Set<string>();
  const subject = new Set([...scorer.focus, ...named]);
  const offSubject =
    scorer.focus.size > 0 && ![own, cand.headingTerms, cand.titleTerms].some((set) => about(set, subject));
  const elsewhere =
    scorer.setting.size > 0 && !about(own, scorer.setting) && !about(cand.docTerms, scorer.setting);
  const otherCode =
    named.size > 0 &&
    ![own, cand.headingTerms, cand.titleTerms, cand.docTerms].some((set) => about(set, named));
  const relevance = (offSubject ? 0.5 : 1) * (elsewhere ? 0.6 : 1) * (otherCode ? NAMED_FACTOR : 1);
  const u = cand.unit;
  const words = u.plain.split(/\s+/).length;
  const kind = u.kind === 'prose' ? 1 : u.kind === 'item' ? 0.9 : u.kind === 'row' ? 0.75 : 0.6;
  const length = words < 6 ? 0.7 : words > 80 ? 0.6 : words > 50 ? 0.8 : 1;
  // A lead-in to code is the first step of a how-to; elsewhere it says little on its own.
  // A lead-in is weaker on its own; so is the end of a sentence the excerpt cut ("… in the file, …").
  const form =
    (u.leadIn ? (cues.has('procedure') ? 0.8 : 0.4) : 1) *
    (/\?$/.test(u.plain) ? 0.5 : 1) *
    (u.plain.startsWith('…') ? 0.75 : 1);
  const release = releaseSaid(u, cues);
  const quoted = `${u.label ? `${u.label}: ${u.text}` : u.text}${release ? ` (${release})` : ''}`;
  const wanted = lacksAnswerType(quoted, u.plain, cues) ? 0.55 : 1;
  const prose = u.kind === 'code' ? 1 : proseFactor(u.text.replace(/`[^`]*`/g, 'code'));
  // Superlinear in how much of the question a unit covers: one rare term beats two common ones.
  const score =
    Math.pow(base, 2) *
    (0.85 + 0.15 * proximity(cand.terms, q)) *
    (1 + 0.6 * Math.max(cueScore(u.text, cues), cueScore(quoted, cues))) *
    kind *
    length *
    form *
    prose *
    wanted *
    relevance;
  return { cand, score, coverage, onSubject: !offSubject };
}

/** 1 when the question's terms in the unit sit close together, less as they spread out. */
function proximity(terms: Term[], q: Weighted): number {
  const first = new Map<string, number>();
  for (const t of terms) {
    const asked = q.w.has(t.term) ? t.term : q.standsFor.get(t.term);
    if (asked !== undefined && !first.has(asked)) first.set(asked, t.pos);
  }
  if (first.size < 2) return first.size === 1 ? 0.5 : 0;
  const positions = [...first.values()];
  const span = Math.max(...positions) - Math.min(...positions) + 1;
  return Math.min(1, (first.size + 2) / span);
}

/** Whether `a` holds every term `b` holds, and more. */
function saysMore(a: Candidate, b: Candidate): boolean {
  return a.set.size > b.set.size && [...b.set].every((t) => a.set.has(t));
}

/** How much two units say the same thing (shared terms over the smaller unit's terms). */
export function similarity(a: Candidate, b: Candidate): number {
  const [small, large] = a.set.size <= b.set.size ? [a.set, b.set] : [b.set, a.set];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / small.size;
}

export interface SelectOptions {
  max: number;
  /** Units scoring under this share of the best are not taken. */
  minShare?: number;
  /** Units already said elsewhere (not taken again, and nothing too similar to them). */
  exclude?: ReadonlySet<Candidate>;
  /** Units this similar to one already taken are repeats. */
  maxSimilarity?: number;
}

/**
 * The best units, most relevant first, each adding something: maximal marginal relevance over
 * the scores, with a small preference for a passage not yet used. Deterministic (ties by order).
 */
export function selectDiverse(scored: Scored[], options: SelectOptions): Scored[] {
  const maxSim = options.maxSimilarity ?? 0.7;
  const ranked = scored
    .filter((s) => s.score > 0 && !options.exclude?.has(s.cand))
    .sort(
      (a, b) => b.score - a.score || a.cand.passage - b.cand.passage || a.cand.unit.index - b.cand.unit.index
    );
  // Near-identical sentences ("TZDIR=…/right … set to TAI.", "TZDIR=…/posix … set to UTC.") are
  // one choice: the better one stands for both, not the one that shares least with what is picked —
  // unless the other says all it says and more ("…under certain circumstances. This flaw only
  // manifests itself if…"): that one stands for both, at the better one's score.
  const pool: Scored[] = [];
  for (const s of ranked) {
    const twin = pool.findIndex((b) => similarity(b.cand, s.cand) >= maxSim);
    if (twin === -1) pool.push(s);
    else if (saysMore(s.cand, pool[twin]!.cand)) pool[twin] = { ...s, score: pool[twin]!.score };
  }
  const top = pool[0]?.score ?? 0;
  const minShare = options.minShare ?? 0;
  const excluded = [...(options.exclude ?? [])];
  const picked: Scored[] = [];
  const passages = new Set<number>();
  while (picked.length < options.max) {
    let best: Scored | undefined;
    let bestValue = -Infinity;
    for (const s of pool) {
      if (picked.includes(s) || s.score < top * minShare) continue;
      const redundancy = Math.max(
        0,
        ...picked.map((p) => similarity(p.cand, s.cand)),
        ...excluded.map((e) => similarity(e, s.cand))
      );
      if (redundancy >= maxSim) continue;
      const value = s.score / top - 0.35 * redundancy + (passages.has(s.cand.passage) ? 0 : 0.05);
      if (value > bestValue + 1e-9) {
        best = s;
        bestValue = value;
      }
    }
    if (!best) break;
    picked.push(best);
    passages.add(best.cand.passage);
  }
  return picked;
}
