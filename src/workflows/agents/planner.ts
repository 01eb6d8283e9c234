import { Agent } from '@openai/agents-core';
import { z } from 'zod';

export function searchPlanSchema(maxSearches: number) {
  return z.object({
    searches: z
      .array(
        z.object({
          query: z
            .string()
            .describe(
              'A search query for the document corpus: a few key terms, keeping the question’s own specific terms.'
            ),
          reason: z.string().describe('One sentence on what this query looks for in the corpus.'),
        })
      )
      .min(1)
      .max(maxSearches),
  });
}
// String lengths are bounded by the workflow, not in the schema: strict structured outputs do not
// accept every JSON Schema keyword, and a long string must not fail a whole run.
export type SearchPlan = z.infer<ReturnType<typeof searchPlanSchema>>;

/** Turns the question (and the asker's answers) into a bounded list of corpus searches. */
export function plannerAgent(maxSearches: number): Agent<unknown, ReturnType<typeof searchPlanSchema>> {
  return new Agent({
    name: 'Planner',
    instructions:
      `You plan research over a document corpus. Write 2 to ${maxSearches} distinct search queries that together ` +
      'cover the question: the main concept, how to implement it, its limits and pitfalls. Take the asker’s ' +
      'answers and preferences into account. Each query is a few key terms, not a sentence, and keeps the ' +
      'question’s own specific words (names, settings, commands, numbers). Each reason says what that query ' +
      'looks for.',
    outputType: searchPlanSchema(maxSearches),
  });
}
