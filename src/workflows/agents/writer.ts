import { Agent } from '@openai/agents-core';
import { z } from 'zod';

export const ResearchReport = z.object({
  title: z.string().min(3).max(200).describe('A title for the report.'),
  summary: z.string().min(1).max(2000).describe('Three to five sentences: the answer in short.'),
  markdown: z
    .string()
    .min(1)
    .max(60000)
    .describe('The report body in Markdown, citing the evidence as [sourceId] after each claim.'),
  followUps: z.array(z.string().max(300)).min(1).max(5).describe('Questions worth researching next.'),
});
export type ResearchReport = z.infer<typeof ResearchReport>;

export type ReportFormat = 'report' | 'checklist';

/** Writes the cited report (or an actionable checklist) from the evidence gathered by the searches. */
export function writerAgent(format: ReportFormat): Agent<unknown, typeof ResearchReport> {
  const shape =
    format === 'checklist'
      ? 'Write the body as an actionable checklist: short sections with "## " headings, each holding "- [ ] " items ' +
        'that a reader can tick off in order; each item says what to do and cites its [sourceId].'
      : 'Write the body as a report: an introduction, "## " sections per theme, lists or a table where they help, ' +
        'and a short conclusion.';
  return new Agent({
    name: 'Writer',
    instructions:
      'You write research results for an engineer. Use only the evidence given; say what it does not cover. ' +
      'Cite every claim with the [sourceId] of the passage it comes from, exactly as written in the evidence. ' +
      shape,
    outputType: ResearchReport,
  });
}
