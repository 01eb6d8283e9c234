import type { Citation } from '../../common/research-types.js';

/** What the render activity turns into report.md and report.pdf. */
export interface ReportContent {
  title: string;
  question: string;
  summary: string;
  /** Body in Markdown, with numbered citation markers like `[1]`. */
  markdown: string;
  format: 'report' | 'checklist';
  citations: Citation[];
  followUps: string[];
  /** When the report was generated (ISO 8601); fixed by the workflow for determinism. */
  generatedAt: Date;
}
