import { Agent, type OutputGuardrail } from '@openai/agents-core';
import { z } from 'zod';

export const ResearchReport = z.object({
  title: z.string().describe('A title for the report (under 200 characters).'),
  summary: z
    .string()
    .describe(
      'The direct answer to the question in 2 to 5 plain sentences (no Markdown), each ending with the [sourceId] that supports it.'
    ),
  markdown: z
    .string()
    .describe('The report body in Markdown, citing the evidence as [sourceId] after each claim.'),
  followUps: z
    .array(z.string())
    .min(1)
    .max(5)
    .describe('Questions a reader would ask next: complete, grammatical questions ending with "?".'),
});
export type ResearchReport = z.infer<typeof ResearchReport>;

export type ReportFormat = 'report' | 'checklist';

export const CITES_EVIDENCE = 'cites-evidence';

/**
 * Output guardrail: the report must cite at least one passage of the evidence it was given, by a
 * `[sourceId]` that exists. Deterministic (it runs inside the workflow). A report that cites
 * nothing real trips it; the workflow then asks for one more draft.
 */
export function citesEvidence(evidenceIds: ReadonlySet<string>): OutputGuardrail<typeof ResearchReport> {
  return {
    name: CITES_EVIDENCE,
    async execute({ agentOutput }) {
      const text = `${agentOutput.summary}\n${agentOutput.markdown}`;
      const cited = new Set<string>();
      for (const m of text.matchAll(/\[([^\]\n]{1,400})\]/g)) {
        for (const id of m[1]!.split(/[;,]\s*/)) if (evidenceIds.has(id.trim())) cited.add(id.trim());
      }
      return { tripwireTriggered: cited.size === 0, outputInfo: { cited: [...cited] } };
    },
  };
}

/** Writes the cited report (or an actionable checklist) from the evidence gathered by the searches. */
export function writerAgent(
  format: ReportFormat,
  evidenceIds: ReadonlySet<string> = new Set()
): Agent<unknown, typeof ResearchReport> {
  const shape =
    format === 'checklist'
      ? 'Then write the body as an actionable checklist: short sections with "## " headings, each holding "- [ ] " items ' +
        'that a reader can tick off in order; each item says what to do and cites its [sourceId].'
      : 'Then write the body as a report: "## " sections per theme that add the details, steps and limits ' +
        'behind the answer, lists or a table where they help, every claim cited with its [sourceId].';
  return new Agent({
    name: 'Writer',
    instructions:
      'You answer a research question for an engineer from the evidence given, and only from it. ' +
      'The summary comes first and answers the question directly in 2 to 5 plain sentences: open with the ' +
      'answer itself (the mechanism, setting, command, number or name asked for), then the condition or ' +
      'caveat that matters most. Every sentence ends with the [sourceId] of the passage that supports it, ' +
      'exactly as written in the evidence. No Markdown in the summary, and never paste headings, tables of ' +
      'contents, navigation or licence text anywhere. If the evidence does not answer the question, say so ' +
      'and say what it does cover. Take the asker’s clarifications and preferences into account. ' +
      shape +
      ' Follow-ups are 2 to 4 questions a reader would ask next about what the evidence leaves open, each a ' +
      'complete question ending with "?".',
    outputType: ResearchReport,
    outputGuardrails: evidenceIds.size > 0 ? [citesEvidence(evidenceIds)] : [],
  });
}
