/**
 * How well a quotable unit answers the question: the question's distinctive terms it holds
 * (weighted by how rare each is in the request's own passages), how close together they are,
 * whether it sits right under a heading that matches, and whether it is the kind of sentence the
 * question's form asks for (a number for "how many", a command for "which flag"…). Selection
 * then takes the best units without repeating what was already said (MMR).
 */
import { cueScore, lacksAnswerType } from './answer-cues.js';
import type { QueryWeights } from './question-terms.js';
import type { Unit } from './segment.js';
import type { Term } from './terms.js';
import type { AnswerCue } from './ask.js';

export { stem, termsOf, termSet, type Term } from './terms.js';
export {
  documentTerms,
  focusTerms,
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
    perPassage.set(c.passage, set);
  }
  const n = perPassage.size;
  const df = new Map<string, number>();
  for (const set of perPassage.values()) for (const t of set) df.set(t, (df.get(t) ?? 0) + 1);
  return (term) => Math.max(0.15, Math.log((n + 1) / ((df.get(term) ?? 0) + 0.5)));
}

/** 1 for prose, down to 0.1 when braces, brackets, pipes and operators dominate (code, tables). */
export function proseFactor(text: string): number {
  const symbols = text.match(/[{}()[\];=<>|$\\]/g)?.length ?? 0;
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
  idf: (term: string) => number;
  cues: ReadonlySet<AnswerCue>;
}

/** Scores every candidate for the question. */
export function scoreAll(cands: Candidate[], scorer: Scorer): Scored[] {
  // Terms no passage holds cannot tell passages apart; coverage counts what can be matched.
  const seen = new Set<string>();
  for (const c of cands)
    for (const set of [c.set, c.docTerms, c.titleTerms]) for (const t of set) seen.add(t);
  let total = 0;
  const w = new Map<string, number>();
  for (const [t, weight] of scorer.weights) {
    if (!seen.has(t)) continue;
    const v = weight * scorer.idf(t);
    w.set(t, v);
    total += v;
  }
  return cands.map((cand) => scoreOne(cand, w, total, scorer));
}

function share(set: ReadonlySet<string>, w: Map<string, number>, total: number): number {
  if (total <= 0) return 0;
  let s = 0;
  for (const [t, v] of w) if (set.has(t)) s += v;
  return s / total;
}

function scoreOne(cand: Candidate, w: Map<string, number>, total: number, scorer: Scorer): Scored {
  const cues = scorer.cues;
  // "…in commander": every unit of commander's own document is in that setting.
  let own: ReadonlySet<string> = cand.set;
  const fromDoc = [...scorer.setting].filter((t) => cand.docTerms.has(t) && !cand.set.has(t));
  if (fromDoc.length > 0) own = new Set([...cand.set, ...fromDoc]);
  const coverage = share(own, w, total);
  // A heading that matches the question vouches for the first units under it.
  const place = [1, 0.7, 0.45][cand.unit.afterHeading] ?? 0.3;
  const heading = Math.max(share(cand.headingTerms, w, total), share(cand.titleTerms, w, total));
  const base = coverage + 0.8 * heading * place;
  if (base <= 0) return { cand, score: 0, coverage };
  // Off the subject (none of its terms, not even in the heading) or outside the setting asked about.
  const about = (set: ReadonlySet<string>, terms: ReadonlySet<string>) => [...terms].some((t) => set.has(t));
  const offSubject =
    scorer.focus.size > 0 &&
    ![own, cand.headingTerms, cand.titleTerms].some((set) => about(set, scorer.focus));
  const elsewhere =
    scorer.setting.size > 0 && !about(own, scorer.setting) && !about(cand.docTerms, scorer.setting);
  const relevance = (offSubject ? 0.5 : 1) * (elsewhere ? 0.6 : 1);
  const u = cand.unit;
  const words = u.plain.split(/\s+/).length;
  const kind = u.kind === 'prose' ? 1 : u.kind === 'item' ? 0.9 : u.kind === 'row' ? 0.75 : 0.6;
  const length = words < 6 ? 0.7 : words > 80 ? 0.6 : words > 50 ? 0.8 : 1;
  // A lead-in to code is the first step of a how-to; elsewhere it says little on its own.
  const form = (u.leadIn ? (cues.has('procedure') ? 0.8 : 0.4) : 1) * (/\?$/.test(u.plain) ? 0.5 : 1);
  const wanted = lacksAnswerType(u.text, u.plain, cues) ? 0.55 : 1;
  const prose = u.kind === 'code' ? 1 : proseFactor(u.text.replace(/`[^`]*`/g, 'code'));
  // Superlinear in how much of the question a unit covers: one rare term beats two common ones.
  const score =
    Math.pow(base, 2) *
    (0.85 + 0.15 * proximity(cand.terms, w)) *
    (1 + 0.6 * cueScore(u.text, cues)) *
    kind *
    length *
    form *
    prose *
    wanted *
    relevance;
  return { cand, score, coverage, onSubject: !offSubject };
}

/** 1 when the question's terms in the unit sit close together, less as they spread out. */
function proximity(terms: Term[], w: Map<string, number>): number {
  const first = new Map<string, number>();
  for (const t of terms) if (w.has(t.term) && !first.has(t.term)) first.set(t.term, t.pos);
  if (first.size < 2) return first.size === 1 ? 0.5 : 0;
  const positions = [...first.values()];
  const span = Math.max(...positions) - Math.min(...positions) + 1;
  return Math.min(1, (first.size + 2) / span);
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
  const pool = scored
    .filter((s) => s.score > 0 && !options.exclude?.has(s.cand))
    .sort(
      (a, b) => b.score - a.score || a.cand.passage - b.cand.passage || a.cand.unit.index - b.cand.unit.index
    );
  const top = pool[0]?.score ?? 0;
  const minShare = options.minShare ?? 0;
  const maxSim = options.maxSimilarity ?? 0.7;
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
