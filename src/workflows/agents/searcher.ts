import { Agent, tool, type Tool } from '@openai/agents-core';
import { z } from 'zod';
import type { Evidence } from '../citations.js';
import { modelFacingErrors } from '../failures.js';
import type { CorpusActivities } from '../research/activities.js';
import { stringParameters } from './tool-parameters.js';

export const SearchFindings = z.object({
  notes: z
    .string()
    .describe('What the passages say that answers the query, citing [sourceId] after each claim.'),
  sourceIds: z.array(z.string()).max(10).describe('The sourceId of every passage that is relevant.'),
});
export type SearchFindings = z.infer<typeof SearchFindings>;

/**
 * Runs one planned search: reads the passages the corpus returned for the query (the workflow runs
 * the query itself, so a model that never calls tools still has evidence), refines with its tools
 * when they lack something, and names the passages that answer.
 */
export function searcherAgent(tools: Tool[]): Agent<unknown, typeof SearchFindings> {
  return new Agent({
    name: 'Searcher',
    instructions: searcherInstructions(tools.map((t) => t.name)),
    tools,
    outputType: SearchFindings,
  });
}

function searcherInstructions(toolNames: string[]): string {
  const corpus = toolNames.includes('searchCorpus');
  const web = toolNames.includes('webSearch');
  const where =
    corpus && web ? 'a document corpus and on the web' : web ? 'on the web' : 'in a document corpus';
  const how = [
    ...(corpus
      ? ['call readDocument to read a passage in context, or searchCorpus with other key terms']
      : []),
    ...(web ? ['call webSearch with other key terms and fetchPage to read a result'] : []),
  ].join('; or ');
  return (
    `You research one query ${where} for a research question. The passages the ${web && !corpus ? 'sources' : 'corpus'} ` +
    `returned for the query are given with their sourceId. Read them; ${how} when they lack what the question asks. ` +
    'Then list the sourceIds of the passages that help answer the question, most useful first, and note what ' +
    'they say, citing each claim with its [sourceId]. Report only what the passages say.'
  );
}

/**
 * The searcher's tools: corpus search and read, each call an activity. Every passage a search
 * returns is recorded in `found` (the evidence a report may cite). Mistakes the model can fix (a
 * blank query, an unknown sourceId) go back to it; other failures fail the search.
 */
export function corpusTools(
  activities: CorpusActivities,
  corpus: string | undefined,
  found: Map<string, Evidence>
): Tool[] {
  return [
    corpusTool(
      'searchCorpus',
      'Search the document corpus (BM25). Returns passages with their sourceId, path, title and excerpt.',
      { query: 'Key terms to search for.' },
      async ({ query }) => {
        const result = await activities.searchCorpus({ corpus, query: query!, limit: 5 });
        for (const r of result.results) found.set(r.sourceId, r);
        return result;
      }
    ),
    corpusTool(
      'readDocument',
      'Read a passage in context (with its neighbours) by its sourceId.',
      { sourceId: 'A sourceId returned by searchCorpus.' },
      ({ sourceId }) => activities.readDocument({ corpus, sourceId: sourceId!, window: 1 })
    ),
  ];
}

/** A tool with string parameters, all required (strict JSON schema), whose failures go through modelFacingErrors. */
function corpusTool(
  name: string,
  description: string,
  params: Record<string, string>,
  execute: (args: Record<string, string | undefined>) => Promise<unknown>
): Tool {
  return tool({
    name,
    description,
    parameters: stringParameters(params),
    errorFunction: modelFacingErrors,
    execute: (args) => execute(args as Record<string, string | undefined>),
  });
}
