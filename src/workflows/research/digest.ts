import type { ResearchReport } from '../agents/writer.js';
import type { WriterBrief } from './write.js';

const QUOTED_PASSAGES = 8;
const QUOTE_CHARS = 400;

/** The first sentence of a passage (or its first QUOTE_CHARS characters), on one line. */
function lead(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end > 20 ? flat.slice(0, end + 1) : flat;
  return sentence.length > QUOTE_CHARS ? `${sentence.slice(0, QUOTE_CHARS - 1)}…` : sentence;
}

/**
 * A report without a writer: the best passages quoted, each with its source, most relevant first.
 * Used when the model's output cannot be used; deterministic, so it runs in the workflow.
 */
export function evidenceDigest(brief: WriterBrief): ResearchReport {
  const quoted = brief.evidence.slice(0, QUOTED_PASSAGES);
  const top = quoted[0];
  return {
    title: brief.question,
    summary: top
      ? `The passage found most relevant to the question reads: "${lead(top.excerpt)}" [${top.sourceId}]`
      : 'The searches found no passage to quote.',
    markdown: [
      '## Passages found',
      '',
      'The model could not write this report; these passages are what the searches found, most relevant first.',
      '',
      ...quoted.map((p) => `- ${p.title}: "${lead(p.excerpt)}" [${p.sourceId}]`),
    ].join('\n'),
    followUps: [`Which of these passages answers "${brief.question.replace(/\?+$/, '')}"?`],
  };
}

/**
 * A report whose writer cited none of its sources gets them listed: the passages it was written
 * from, cited, so a reader can check it. Its claims stay as written (verification marks them).
 */
export function withSourcesListed(report: ResearchReport, brief: WriterBrief): ResearchReport {
  const listed = brief.evidence.slice(0, QUOTED_PASSAGES);
  if (listed.length === 0) return report;
  return {
    ...report,
    markdown: [
      report.markdown,
      '',
      '## Passages the report was written from',
      '',
      'The report above cites none of its sources; these are the passages it was written from.',
      '',
      ...listed.map((p) => `- ${p.title}: "${lead(p.excerpt)}" [${p.sourceId}]`),
    ].join('\n'),
  };
}
