import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface RunCheckInput {
  workflowId: string;
  execution: string;
  /** Artifact folder of the run. */
  folder: string;
  /** sha256 the workflow recorded for each artifact, by file name. */
  recorded?: Record<string, string>;
  /** renderReport activities completed in the run's history. */
  renders: number;
}

export interface RunCheck {
  workflowId: string;
  completed: boolean;
  files: string[];
  onePdf: boolean;
  oneMd: boolean;
  /** Files other than report.md/report.pdf (temp leftovers, duplicates). */
  extraFiles: number;
  pdfWellFormed: boolean;
  mdHasSources: boolean;
  matchesRecorded: boolean;
  renderedOnce: boolean;
  failures: string[];
}

export function pdfWellFormed(bytes: Buffer): boolean {
  return (
    bytes.subarray(0, 5).toString('latin1') === '%PDF-' &&
    bytes.subarray(-64).toString('latin1').includes('%%EOF')
  );
}

export function markdownHasSources(text: string): boolean {
  return /^## Sources\s*$/m.test(text) && /\[1\]/.test(text);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Checks one run's outcome and artifact folder. */
export async function checkRun(input: RunCheckInput): Promise<RunCheck> {
  const files = (await readdir(input.folder).catch(() => [] as string[])).sort();
  const failures: string[] = [];
  const completed = input.execution === 'COMPLETED';
  if (!completed) failures.push(`execution ${input.execution}`);
  const onePdf = files.filter((f) => f === 'report.pdf').length === 1;
  const oneMd = files.filter((f) => f === 'report.md').length === 1;
  const extraFiles = files.filter((f) => f !== 'report.pdf' && f !== 'report.md').length;
  if (!onePdf) failures.push('no report.pdf');
  if (!oneMd) failures.push('no report.md');
  if (extraFiles > 0) failures.push(`${extraFiles} extra file(s): ${files.join(', ')}`);
  let pdfOk = false;
  let mdOk = false;
  let matches = true;
  if (onePdf) {
    const pdf = await readFile(path.join(input.folder, 'report.pdf'));
    pdfOk = pdfWellFormed(pdf);
    if (input.recorded?.['report.pdf'] && input.recorded['report.pdf'] !== sha(pdf)) matches = false;
  }
  if (oneMd) {
    const md = await readFile(path.join(input.folder, 'report.md'));
    mdOk = markdownHasSources(md.toString('utf8'));
    if (input.recorded?.['report.md'] && input.recorded['report.md'] !== sha(md)) matches = false;
  }
  if (onePdf && !pdfOk) failures.push('report.pdf is not a well-formed PDF');
  if (oneMd && !mdOk) failures.push('report.md has no Sources section with citations');
  if (!matches) failures.push('artifact on disk differs from the one the workflow recorded');
  const renderedOnce = input.renders === 1;
  if (!renderedOnce) failures.push(`renderReport completed ${input.renders} times`);
  return {
    workflowId: input.workflowId,
    completed,
    files,
    onePdf,
    oneMd,
    extraFiles,
    pdfWellFormed: pdfOk,
    mdHasSources: mdOk,
    matchesRecorded: matches,
    renderedOnce,
    failures,
  };
}
