import { isCancellation } from '@temporalio/workflow';
import type { SearchStatus } from '../../common/research-types.js';
import { corpusTools, searcherAgent } from '../agents/searcher.js';
import type { Evidence } from '../citations.js';
import { describeError, isRetryable } from '../failures.js';
import type { CorpusActivities } from './activities.js';
import type { RunAgent } from './agent-runner.js';

/** Attempts of a whole search when its failure was retryable (each tool call has its own retries). */
const SEARCH_ATTEMPTS = 2;

/**
 * One planned search: a searcher agent whose tools are corpus activities, retried once as a whole.
 * Its state in `search` is what the status shows; what it found is added to `evidence`, the
 * passages the searcher chose first. A failed search is recorded, never thrown.
 */
export async function runSearch(
  search: SearchStatus,
  context: { question: string; corpus: string | undefined; activities: CorpusActivities; runAgent: RunAgent },
  evidence: Map<string, Evidence>
): Promise<void> {
  const found = new Map<string, Evidence>();
  const tools = corpusTools(context.activities, context.corpus, found);
  for (let attempt = 1; attempt <= SEARCH_ATTEMPTS; attempt++) {
    search.attempts = attempt;
    search.state = attempt === 1 ? 'running' : 'retrying';
    try {
      const findings = await context.runAgent(
        searcherAgent(tools),
        `${search.query}\n\n(for the question: ${context.question})`,
        8
      );
      const chosen = findings.sourceIds.filter((id) => found.has(id));
      for (const id of [...chosen, ...found.keys()]) if (!evidence.has(id)) evidence.set(id, found.get(id)!);
      search.found = found.size;
      search.state = 'done';
      search.error = undefined;
      return;
    } catch (err) {
      if (isCancellation(err)) throw err;
      search.error = describeError(err);
      if (attempt === SEARCH_ATTEMPTS || !isRetryable(err)) {
        search.state = 'failed';
        return;
      }
    }
  }
}
