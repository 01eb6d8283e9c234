import { Agent, type Tool } from '@openai/agents-core';
import { z } from 'zod';

export const SearchFindings = z.object({
  notes: z
    .string()
    .describe('What the passages say that answers the query, citing [sourceId] after each claim.'),
  sourceIds: z.array(z.string()).max(10).describe('The sourceId of every passage that is relevant.'),
});
export type SearchFindings = z.infer<typeof SearchFindings>;

/** Runs one planned search: queries the corpus, reads the promising passages, and notes what they say. */
export function searcherAgent(tools: Tool[]): Agent<unknown, typeof SearchFindings> {
  return new Agent({
    name: 'Searcher',
    instructions:
      'You research one query in a document corpus. Call searchCorpus with the query, then readDocument on ' +
      'the most relevant sourceId to read it in context. Report only what the passages say, and cite each ' +
      'claim with its [sourceId].',
    tools,
    outputType: SearchFindings,
  });
}
