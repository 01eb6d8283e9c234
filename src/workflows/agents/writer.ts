import { Agent, type OutputGuardrail } from '@openai/agents-core';
import { z } from 'zod';

export const ResearchReport = z.object({
  title: z.string().describe('A title for the report (under 200 characters).'),
  summary: z.string().describe('Three to five sentences: the answer in short.'),
  markdown: z
    .string()
    .describe('The report body in Markdown, citing the evidence as [sourceId] after each claim.'),
  followUps: z.array(z.string()).min(1).max(5).describe('Questions worth researching next.'),
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
    outputGuardrails: evidenceIds.size > 0 ? [citesEvidence(evidenceIds)] : [],
  });
}
