/**
 * `steadfast eval`: each question of the chosen sets becomes a real research run (no clarifying
 * questions, the set's corpus) on the same environment the CLI uses, and is scored on what a user
 * gets — the cited files and the summary — plus recall@5 of retrieval alone.
 */
import { ResearchClient } from '../../src/client/research.js';
import { openEnvironment } from '../../src/cli/environment.js';
import { splitQueues, type TemporalFlags } from '../../src/common/temporal-settings.js';
import type { Citation } from '../../src/common/research-types.js';
import { measureRecall, type RecallOutcome } from './recall.js';
import type { EvalQuestionResult, EvalResult, EvalSetResult } from './result.js';
import { figures, MAX_SUMMARY_CHARS, scoreAnswer } from './score.js';
import {
  checkSets,
  corpusRoot,
  loadSets,
  selectQuestions,
  type EvalQuestion,
  type EvalSet,
  type Subset,
} from './set.js';
import { UserError } from '../../src/common/errors.js';

export interface EvalOptions {
  /** Set files or loaded sets; default: every set under bench/eval/sets/. */
  sets?: readonly (string | EvalSet)[];
  /** 'ci' keeps the questions marked `ci: true`. Default 'all'. */
  subset?: Subset;
  /** Research runs in flight at once (default 1, so that wall times are those of a lone run). */
  concurrency?: number;
  log?: (line: string) => void;
  /** Where to run (default: the CLI's resolution — the embedded dev server or TEMPORAL_ADDRESS). */
  temporal?: TemporalFlags;
}

interface Job {
  set: EvalSet;
  q: EvalQuestion;
}

async function resolveSets(sets: EvalOptions['sets']): Promise<EvalSet[]> {
  const files = (sets ?? []).filter((s): s is string => typeof s === 'string');
  const loaded = (sets ?? []).filter((s): s is EvalSet => typeof s !== 'string');
  if (files.length === 0 && loaded.length > 0) return loaded;
  return [...loaded, ...(await loadSets(files))];
}

/** Runs `worker` over `items` with at most `limit` in flight, keeping the input order in the output. */
async function pool<T, R>(items: readonly T[], limit: number, worker: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await worker(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}

function mark(ok: boolean): string {
  return ok ? 'yes' : 'no ';
}

export async function runEval(options: EvalOptions = {}): Promise<EvalResult> {
  const log = options.log ?? (() => {});
  const subset = options.subset ?? 'all';
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const startedAt = new Date();
  const sets = await resolveSets(options.sets);
  const jobs: Job[] = sets.flatMap((set) => selectQuestions(set, subset).map((q) => ({ set, q })));
  if (jobs.length === 0) {
    throw new UserError(
      `no questions to run (subset: ${subset})`,
      subset === 'ci' ? 'mark questions with "ci": true, or run every question' : 'add questions to the set'
    );
  }
  const check = await checkSets(sets, subset);
  if (check.errors.length) {
    throw new UserError(
      `the question sets do not match their corpora:\n  ${check.errors.join('\n  ')}`,
      'corpus is relative to the repository root, expectedSource to the corpus; copy the evidence from the file'
    );
  }
  for (const w of check.warnings) log(`warning: ${w}`);

  // Retrieval alone first: it needs no server, and it builds the corpus indexes the runs will reuse.
  log(`recall@5 of searchCorpus over ${jobs.length} questions…`);
  const recalls = new Map<string, RecallOutcome>();
  for (const { q } of jobs) recalls.set(q.id, await measureRecall(q, corpusRoot(q)));

  const env = await openEnvironment({ worker: true, clientPlugin: true, log, ...options.temporal });
  let results: EvalQuestionResult[];
  try {
    const research = new ResearchClient({
      client: env.client,
      taskQueue: env.settings.taskQueue,
      defaultModel: env.endpoint?.model,
      taskQueues: splitQueues(env.settings),
    });
    let done = 0;
    results = await pool(jobs, concurrency, async ({ set, q }) => {
      const root = corpusRoot(q);
      const t0 = Date.now();
      let workflowId: string | undefined;
      let outcome: { summary: string; citations: readonly Citation[] } | undefined;
      let error: string | undefined;
      try {
        ({ workflowId } = await research.start({ question: q.question, corpus: root, clarify: false }));
        outcome = await research.result(workflowId);
      } catch (err) {
        error = (err as Error).message;
      }
      const wallMs = Date.now() - t0;
      const score = scoreAnswer(q, root, outcome ?? { summary: '', citations: [] });
      const r: EvalQuestionResult = {
        id: q.id,
        set: set.name,
        question: q.question,
        corpus: q.corpus,
        expectedSource: q.expectedSource,
        ci: q.ci === true,
        ...(workflowId ? { workflowId } : {}),
        ...(error ? { error } : {}),
        wallMs,
        ...score,
        both: score.cited && score.answered,
        recall: recalls.get(q.id)!,
        summary: outcome?.summary ?? '',
      };
      done++;
      log(
        `[${done}/${jobs.length}] ${q.id}: cited ${mark(r.cited)} answered ${mark(r.answered)} ` +
          `recall@5 ${mark(r.recall.hit)} ${(wallMs / 1000).toFixed(1)} s${error ? ` — ${error}` : ''}`
      );
      return r;
    });
  } finally {
    await env.close();
  }

  const setResults: EvalSetResult[] = sets
    .map((set) => {
      const questions = results.filter((r) => r.set === set.name);
      return { name: set.name, file: set.file, figures: figures(questions), questions };
    })
    .filter((s) => s.questions.length > 0);
  return {
    startedAt: startedAt.toISOString(),
    wallMs: Date.now() - startedAt.getTime(),
    subset,
    concurrency,
    ...(env.endpoint?.model ? { model: env.endpoint.model } : {}),
    maxSummaryChars: MAX_SUMMARY_CHARS,
    sets: setResults,
    overall: figures(results),
  };
}
