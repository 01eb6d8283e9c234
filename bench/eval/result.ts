/** What an evaluation measured: the JSON of `--json`, also read by the terminal formatter. */
import type { RecallOutcome } from './recall.js';
import type { Subset } from './set.js';

export interface EvalQuestionResult {
  id: string;
  set: string;
  question: string;
  corpus: string;
  expectedSource: string;
  ci: boolean;
  workflowId?: string;
  /** Why the research run gave no report (it then counts as neither cited nor answered). */
  error?: string;
  /** From starting the run to having its result. */
  wallMs: number;
  /** A citation's path ends with the expected file. */
  cited: boolean;
  /** The cited files, corpus-relative when inside the corpus, in citation order, each once. */
  citedSources: string[];
  /** Every key term is in the summary, and the summary is at most MAX_SUMMARY_CHARS long. */
  answered: boolean;
  /** Key-term entries absent from the summary, as written in the set. */
  missingTerms: string[];
  summaryChars: number;
  both: boolean;
  recall: RecallOutcome;
  summary: string;
}

export interface EvalFigures {
  questions: number;
  cited: number;
  answered: number;
  both: number;
  recallAt5: number;
  /** Percentages of `questions`, rounded to one decimal. */
  citedPct: number;
  answeredPct: number;
  bothPct: number;
  recallAt5Pct: number;
  /** Median wall time of a research run. */
  medianWallMs: number;
}

export interface EvalSetResult {
  name: string;
  file: string;
  figures: EvalFigures;
  questions: EvalQuestionResult[];
}

export interface EvalResult {
  startedAt: string;
  wallMs: number;
  subset: Subset;
  concurrency: number;
  /** The model every run used (the offline model server's name on the embedded default). */
  model?: string;
  /** Above this a summary does not count as answered. */
  maxSummaryChars: number;
  sets: EvalSetResult[];
  overall: EvalFigures;
}
