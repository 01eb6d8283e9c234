/**
 * Render activity: turns the writer's output into report.md and report.pdf in the artifact
 * store and returns references to them. The bytes never go back to the workflow (history
 * size); repeating the activity rewrites the same two files.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { writeArtifact } from './artifacts.js';
import { composeReportMarkdown } from './render/markdown.js';
import { renderReportPdf } from './render/pdf.js';
import type { ReportContent } from './render/types.js';
import type { ReportArtifacts } from '../common/research-types.js';

export const REPORT_MARKDOWN = 'report.md';
export const REPORT_PDF = 'report.pdf';

const MAX_TEXT = 2_000_000;

const citationSchema = z.object({
  n: z.number().int().min(0).max(100_000),
  sourceId: z.string().max(1_000),
  path: z.string().max(4_000),
  title: z.string().max(2_000).optional(),
  excerpt: z.string().max(50_000),
  fetchedAt: z.iso.datetime({ offset: true }).optional(),
});

const renderInputSchema = z.object({
  workflowId: z.string().min(1).max(1_000),
  title: z.string().max(2_000),
  question: z.string().max(50_000),
  summary: z.string().max(MAX_TEXT),
  markdown: z.string().max(MAX_TEXT),
  format: z.enum(['report', 'checklist']),
  citations: z.array(citationSchema).max(2_000),
  followUps: z.array(z.string().max(10_000)).max(200),
  generatedAt: z.iso.datetime({ offset: true }).optional(),
});

export type RenderReportInput = z.input<typeof renderInputSchema>;

export type RenderReportResult = ReportArtifacts;

function invalidReport(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'InvalidReport', message, nonRetryable: true });
}

/** Drops a leading `# Title` from the body when it only repeats the report title. */
function withoutRepeatedTitle(markdown: string, title: string): string {
  const match = /^\s*#\s+(.+?)\s*#*\s*(?:\n|$)/.exec(markdown);
  if (match && match[1]?.trim().toLowerCase() === title.trim().toLowerCase()) {
    return markdown.slice(match[0].length);
  }
  return markdown;
}

/** Validates the input; any problem is a non-retryable `InvalidReport` failure. */
export function parseRenderInput(input: unknown): { workflowId: string; report: ReportContent } {
  const parsed = renderInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
    throw invalidReport(`render input is invalid — ${problems.slice(0, 5).join('; ')}`);
  }
  const value = parsed.data;
  if (!value.markdown.trim() && !value.summary.trim()) {
    throw invalidReport('nothing to render: both the report markdown and the summary are empty');
  }
  const generatedAt = value.generatedAt ? new Date(value.generatedAt) : new Date();
  return {
    workflowId: value.workflowId,
    report: {
      title: value.title,
      question: value.question,
      summary: value.summary,
      markdown: withoutRepeatedTitle(value.markdown, value.title),
      format: value.format,
      citations: value.citations.map((c) => ({ ...c, title: c.title ?? '' })),
      followUps: value.followUps,
      generatedAt,
    },
  };
}

/**
 * Writes `report.md` and `report.pdf` for the workflow and returns their references.
 * Pass `generatedAt` from the workflow: with it, the same input yields the same bytes.
 */
export async function renderReport(input: RenderReportInput): Promise<RenderReportResult> {
  const { workflowId, report } = parseRenderInput(input);
  const markdown = composeReportMarkdown(report);
  const pdf = await renderReportPdf(report);
  const [markdownRef, pdfRef] = await Promise.all([
    writeArtifact(workflowId, REPORT_MARKDOWN, markdown),
    writeArtifact(workflowId, REPORT_PDF, pdf.buffer),
  ]);
  return { markdown: markdownRef, pdf: { ...pdfRef, pages: pdf.pages } };
}

export const renderActivities = { renderReport };
