import type { Tool } from '@openai/agents-core';
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { SearchStatus } from '../../common/research-types.js';
import { corpusTools, searcherAgent } from '../agents/searcher.js';
import { webTools, type UnreadUrl } from '../agents/web-tools.js';
import type { Evidence } from '../citations.js';
import { describeError, isRetryable } from '../failures.js';
import { corpusReads, type CorpusActivities, type WebToolActivities } from './activities.js';
import type { RunAgent } from './agent-runner.js';

/** Attempts of a whole search when its failure was retryable (each tool call has its own retries). */
const SEARCH_ATTEMPTS = 2;
/** Passages the workflow's own corpus search hands to the searcher. */
const FIRST_HITS = 6;
/** Web results the workflow reads itself for each query, and passages taken from each page. */
const FIRST_PAGES = 3;
const PAGE_HITS = 3;

export interface SearchContext {
  question: string;
  /** The corpus folder (undefined = the default corpus), or false when the run searches the web only. */
  corpus: string | undefined | false;
  activities: CorpusActivities;
  /** Web research: the web activities and the list of URLs the run did not read. */
  web?: { activities: WebToolActivities; unread: UnreadUrl[] };
  runAgent: RunAgent;
  /**
   * Run the query through the sources before the searcher, and keep those passages even when the
   * searcher (a model) fails: the flow does not depend on the model calling tools. False only when
   * replaying runs recorded before this existed.
   */
  corpusFirst: boolean;
}

/**
 * One planned search. Returns its passages, most useful first: those the searcher chose, then the
 * sources' ranking, then what the searcher's own tool calls found. Its state in `search` is what
 * the status shows. A search that found nothing after its attempts is marked failed, never thrown.
 */
export async function runSearch(search: SearchStatus, context: SearchContext): Promise<Evidence[]> {
  const found = new Map<string, Evidence>();
  const reads = context.corpus === false ? context.activities : corpusReads(context.activities);
  const tools: Tool[] = [
    ...(context.corpus === false ? [] : corpusTools(reads, context.corpus, found)),
    ...(context.web ? webTools(context.web.activities, context.question, found, context.web.unread) : []),
  ];
  let ranked: Evidence[] = [];
  for (let attempt = 1; attempt <= SEARCH_ATTEMPTS; attempt++) {
    search.attempts = attempt;
    search.state = attempt === 1 ? 'running' : 'retrying';
    try {
      if (context.corpusFirst && ranked.length === 0) ranked = await firstHits(search.query, context, reads);
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
      // The sources' passages stand on their own when the searcher cannot run.
      if (ranked.length > 0 && (attempt === SEARCH_ATTEMPTS || !isRetryable(err))) {
        return settle(
          search,
          [...ranked, ...found.values()],
          `the searcher failed (${search.error}); kept the passages found`
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

/** The query run through every source of the run, their passages interleaved best-first. */
async function firstHits(
  query: string,
  context: SearchContext,
  reads: CorpusActivities
): Promise<Evidence[]> {
  const [corpus, web] = await Promise.all([
    context.corpus === false
      ? []
      : reads
          .searchCorpus({ corpus: context.corpus, query, question: context.question, limit: FIRST_HITS })
          .then((r) => r.results),
    context.web ? webHits(query, context.question, context.web) : [],
  ]);
  const merged: Evidence[] = [];
  for (let i = 0; i < Math.max(corpus.length, web.length); i++) {
    if (corpus[i]) merged.push(corpus[i]!);
    if (web[i]) merged.push(web[i]!);
  }
  return merged;
}

/**
 * A web search for the query, then the best results read (in parallel): the pages' passages for the
 * query. A page that cannot be read — refused for safety, robots.txt, gone, failing after its
 * retries — is recorded with the reason and skipped; the search fails only if the search itself does.
 */
async function webHits(
  query: string,
  question: string,
  web: NonNullable<SearchContext['web']>
): Promise<Evidence[]> {
  const { results } = await web.activities.webSearch({ query, limit: 5 });
  const pages = await Promise.all(
    results.slice(0, FIRST_PAGES).map(async (r) => {
      try {
        return (await web.activities.fetchPage({ url: r.url, query, question, limit: PAGE_HITS })).results;
      } catch (err) {
        if (isCancellation(err) || !(err instanceof ActivityFailure)) throw err;
        const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
        web.unread.push({
          url: r.url,
          reason: `${cause?.type ?? 'FetchFailed'}: ${cause?.message ?? err.message}`.slice(0, 300),
        });
        return [];
      }
    })
  );
  return pages.flat();
}

function searcherPrompt(search: SearchStatus, context: SearchContext, ranked: Evidence[]): string {
  const head = `${search.query}\n\n(for the question: ${context.question})`;
  if (!context.corpusFirst) return head;
  const passages = ranked.map((p) => ({ sourceId: p.sourceId, title: p.title, excerpt: p.excerpt }));
  return `${head}\n\nPassages the sources returned for this query:\n${JSON.stringify(passages)}`;
}

/** Marks the search done and returns its passages without duplicates. */
function settle(search: SearchStatus, passages: Evidence[], note?: string): Evidence[] {
  const unique = [...new Map(passages.map((p) => [p.sourceId, p])).values()];
  search.found = unique.length;
  search.state = 'done';
  search.error = note;
  return unique;
}
