/** The report.md layout: title, question, summary, body, follow-ups, sources. */
import type { ReportContent } from './types.js';
import type { Citation } from '../../common/research-types.js';

/** `2025-01-31 14:05 UTC` — stable across machines and time zones. */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** One line per source: `[n] title — path (sourceId)`, or `[n] path (sourceId)` untitled; web pages say when they were read. */
export function sourceLine(c: Citation): string {
  const title = c.title?.trim();
  const fetched = c.fetchedAt ? `, fetched ${formatDate(new Date(c.fetchedAt))}` : '';
  return `[${c.n}] ${title ? `${title} — ` : ''}${c.path} (${c.sourceId}${fetched})`;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Quotes possibly multi-line text as a Markdown blockquote. */
function quote(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => (line.trim() ? `> ${line}` : '>'))
    .join('\n');
}

export function sortedCitations(citations: Citation[]): Citation[] {
  return [...citations].sort((a, b) => a.n - b.n);
}

export function composeReportMarkdown(report: ReportContent): string {
  const parts: string[] = [];
  parts.push(`# ${oneLine(report.title)}`);
  parts.push(quote(`**Question:** ${report.question.trim()}`));
  parts.push(
    `_${report.format === 'checklist' ? 'Checklist' : 'Report'} generated ${formatDate(report.generatedAt)}_`
  );
  if (report.summary.trim()) parts.push('## Summary', report.summary.trim());
  if (report.markdown.trim()) parts.push(report.markdown.trim());
  if (report.followUps.some((q) => q.trim())) {
    parts.push(
      '## Follow-up questions',
      report.followUps
        .filter((q) => q.trim())
        .map((q, i) => `${i + 1}. ${oneLine(q)}`)
        .join('\n')
    );
  }
  parts.push('## Sources');
  const citations = sortedCitations(report.citations);
  if (citations.length === 0) parts.push('_No sources were cited._');
  for (const c of citations) {
    // A list-free paragraph per source keeps `[n]` literal (no Markdown link syntax involved).
    const excerpt = c.excerpt.trim();
    parts.push(excerpt ? `${sourceLine(c)}\n\n${quote(excerpt)}` : sourceLine(c));
  }
  return `${parts.join('\n\n')}\n`;
}
