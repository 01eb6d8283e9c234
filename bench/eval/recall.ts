/**
 * recall@5 on retrieval alone: the searchCorpus activity, called as a plain function with the
 * question as the query, and the passages it ranks first checked for the evidence.
 */
import { loadCorpus, searchCorpus } from '../../src/activities/corpus.js';
import type { EvalQuestion } from './set.js';
import { matchKey } from './text.js';

export const RECALL_AT = 5;
/** How deep the ranking is read to say where the evidence was when it missed the top 5 (searchCorpus's maximum). */
const DEPTH = 10;

export interface RecallOutcome {
  /** The evidence is in one of the top 5 passages (or straddles one of them and its neighbour). */
  hit: boolean;
  /** 1-based rank of the first passage holding the evidence, within the top 10. */
  evidenceRank?: number;
  /** 1-based rank of the first passage of the expected file, within the top 10. */
  fileRank?: number;
  /** False when no passage of the expected file holds the evidence: extraction or splitting lost it. */
  indexed: boolean;
  /** Corpus-relative files of the top 5 passages, in rank order. */
  top: string[];
}

/**
 * Whether passage `i` holds the evidence, alone or together with the passage before or after it
 * in the same document (an excerpt may straddle a passage boundary).
 */
function holdsEvidence(keys: (i: number) => string | undefined, i: number, evidence: string): boolean {
  const here = keys(i);
  if (here === undefined) return false;
  if (here.includes(evidence)) return true;
  // Straddling counts only when this passage holds part of it: not when a neighbour holds it all.
  const straddles = (a?: string, b?: string) =>
    a !== undefined &&
    b !== undefined &&
    !a.includes(evidence) &&
    !b.includes(evidence) &&
    (a + b).includes(evidence);
  return straddles(keys(i - 1), here) || straddles(here, keys(i + 1));
}

export async function measureRecall(q: EvalQuestion, corpusRoot: string): Promise<RecallOutcome> {
  const corpus = await loadCorpus(corpusRoot);
  const evidence = matchKey(q.evidence);
  const doc = corpus.documents.findIndex((d) => d.rel === q.expectedSource);
  const cache = new Map<number, string>();
  // Keys of the expected document's passages only: a neighbour from another file never completes the evidence.
  const keys = (i: number): string | undefined => {
    const p = corpus.passages[i];
    if (!p || p.doc !== doc) return undefined;
    let k = cache.get(i);
    if (k === undefined) cache.set(i, (k = matchKey(p.text)));
    return k;
  };
  const d = corpus.documents[doc];
  let indexed = false;
  if (d) {
    for (let i = d.first; i < d.first + d.count && !indexed; i++) indexed = holdsEvidence(keys, i, evidence);
  }

  const { results } = await searchCorpus({ corpus: corpusRoot, query: q.question, limit: DEPTH });
  let evidenceRank: number | undefined;
  let fileRank: number | undefined;
  results.forEach((hit, r) => {
    const at = corpus.byId.get(hit.sourceId);
    if (at === undefined || corpus.passages[at]?.doc !== doc) return;
    fileRank ??= r + 1;
    if (evidenceRank === undefined && holdsEvidence(keys, at, evidence)) evidenceRank = r + 1;
  });
  const top = results.slice(0, RECALL_AT).map((hit) => {
    const at = corpus.byId.get(hit.sourceId);
    return (at === undefined ? undefined : corpus.passages[at]?.rel) ?? hit.path;
  });
  return {
    hit: evidenceRank !== undefined && evidenceRank <= RECALL_AT,
    ...(evidenceRank !== undefined ? { evidenceRank } : {}),
    ...(fileRank !== undefined ? { fileRank } : {}),
    indexed,
    top,
  };
}
