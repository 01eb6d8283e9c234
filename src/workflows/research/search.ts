import { isCancellation } from '@temporalio/workflow';
import type { SearchStatus } from '../../common/research-types.js';
import { corpusTools, searcherAgent } from '../agents/searcher.js';
import type { Evidence } from '../citations.js';
import { describeError, isRetryable } from '../failures.js';
import type { CorpusActivities } from './activities.js';
import type { RunAgent } from './agent-runner.js';

/** Attempts of a whole search when its failure was retryable (each tool call has its own retries). */
const SEARCH_ATTEMPTS = 2;
/** Passages the workflow's own corpus search hands to the searcher. */
const FIRST_HITS = 6;

export interface SearchContext {
  question: string;
  corpus: string | undefined;
  activities: CorpusActivities;
  runAgent: RunAgent;
  /**
   * Run the query through the corpus before the searcher, and keep those passages even when the
   * searcher (a model) fails: the flow does not depend on the model calling tools. False only when
   * replaying runs recorded before this existed.
   */
  corpusFirst: boolean;
}

/**
 * One planned search. Returns its passages, most useful first: those the searcher chose, then the
 * corpus ranking, then what the searcher's own tool calls found. Its state in `search` is what the
 * status shows. A search that found nothing after its attempts is marked failed, never thrown.
 */
export async function runSearch(search: SearchStatus, context: SearchContext): Promise<Evidence[]> {
  const found = new Map<string, Evidence>();
  const tools = corpusTools(context.activities, context.corpus, found);
  let ranked: Evidence[] = [];
  for (let attempt = 1; attempt <= SEARCH_ATTEMPTS; attempt++) {
    search.attempts = attempt;
    search.state = attempt === 1 ? 'running' : 'retrying';
    try {
      if (context.corpusFirst && ranked.length === 0) ranked = await corpusHits(search.query, context);
      const findings = await context.runAgent(
        searcherAgent(tools),
        searcherPrompt(search, context, ranked),
        8
      );
      const known = new Map([...ranked, ...found.values()].map((e) => [e.sourceId, e]));
      const chosen = findings.sourceIds.flatMap((id) => known.get(id) ?? []);
      return settle(search, [...chosen, ...ranked, ...found.values()]);
    } catch (err) {
      if (isCancellation(err)) throw err;
      search.error = describeError(err);
      // The corpus passages stand on their own when the searcher cannot run.
      if (ranked.length > 0 && (attempt === SEARCH_ATTEMPTS || !isRetryable(err))) {
        return settle(
          search,
          [...ranked, ...found.values()],
          `the searcher failed (${search.error}); kept the corpus passages`
        );
      }
      if (attempt === SEARCH_ATTEMPTS || !isRetryable(err)) {
        search.state = 'failed';
        return [];
      }
    }
  }
  return [];
}

async function corpusHits(query: string, context: SearchContext): Promise<Evidence[]> {
  const { results } = await context.activities.searchCorpus({
    corpus: context.corpus,
    query,
    question: context.question,
    limit: FIRST_HITS,
  });
  return results;
}

function searcherPrompt(search: SearchStatus, context: SearchContext, ranked: Evidence[]): string {
  const head = `${search.query}\n\n(for the question: ${context.question})`;
  if (!context.corpusFirst) return head;
  const passages = ranked.map((p) => ({ sourceId: p.sourceId, title: p.title, excerpt: p.excerpt }));
  return `${head}\n\nPassages the corpus returned for this query:\n${JSON.stringify(passages)}`;
}

/** Marks the search done and returns its passages without duplicates. */
function settle(search: SearchStatus, passages: Evidence[], note?: string): Evidence[] {
  const unique = [...new Map(passages.map((p) => [p.sourceId, p])).values()];
  search.found = unique.length;
  search.state = 'done';
  search.error = note;
  return unique;
}
