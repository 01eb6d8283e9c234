/** Scoring of one research result against its question, and the figures over many. */
import path from 'node:path';
import type { EvalFigures, EvalQuestionResult } from './result.js';
import type { EvalQuestion } from './set.js';
import { missingTerms } from './text.js';

/** A summary longer than this is a report, not an answer: it does not count as answered. */
export const MAX_SUMMARY_CHARS = 1500;

export interface AnswerScore {
  cited: boolean;
  citedSources: string[];
  answered: boolean;
  missingTerms: string[];
  summaryChars: number;
}

/** Corpus-relative when the file is inside the corpus, else as given. */
function relativeTo(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

export function scoreAnswer(
  q: EvalQuestion,
  corpusRoot: string,
  result: { summary: string; citations: readonly { path: string }[] }
): AnswerScore {
  const expected = q.expectedSource.replace(/^\/+/, '');
  const cited = result.citations.some((c) => c.path.split(path.sep).join('/').endsWith(`/${expected}`));
  const citedSources = [...new Set(result.citations.map((c) => relativeTo(corpusRoot, c.path)))];
  const missing = missingTerms(result.summary, q.keyTerms);
  const summaryChars = result.summary.length;
  return {
    cited,
    citedSources,
    answered: missing.length === 0 && summaryChars <= MAX_SUMMARY_CHARS,
    missingTerms: missing,
    summaryChars,
  };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function pct(n: number, of: number): number {
  return of === 0 ? 0 : Math.round((n / of) * 1000) / 10;
}

export function figures(results: readonly EvalQuestionResult[]): EvalFigures {
  const count = (f: (r: EvalQuestionResult) => boolean) => results.filter(f).length;
  const cited = count((r) => r.cited);
  const answered = count((r) => r.answered);
  const both = count((r) => r.both);
  const recallAt5 = count((r) => r.recall.hit);
  const n = results.length;
  return {
    questions: n,
    cited,
    answered,
    both,
    recallAt5,
    citedPct: pct(cited, n),
    answeredPct: pct(answered, n),
    bothPct: pct(both, n),
    recallAt5Pct: pct(recallAt5, n),
    medianWallMs: Math.round(median(results.filter((r) => !r.error).map((r) => r.wallMs))),
  };
}
