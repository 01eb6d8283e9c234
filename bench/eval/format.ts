/** The terminal view of an evaluation: one table of figures, then one line per question that missed. */
import type { EvalFigures, EvalQuestionResult, EvalResult } from './result.js';
import { RECALL_AT } from './recall.js';

function cell(n: number, pct: number): string {
  return `${n} (${pct.toFixed(0)}%)`;
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '—';
}

function row(name: string, f: EvalFigures): string[] {
  return [
    name,
    String(f.questions),
    cell(f.cited, f.citedPct),
    cell(f.answered, f.answeredPct),
    cell(f.both, f.bothPct),
    cell(f.recallAt5, f.recallAt5Pct),
    seconds(f.medianWallMs),
  ];
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!)))
      .join('  ')
      .trimEnd()
  );
}

function quote(terms: readonly string[]): string {
  return terms.map((t) => `"${t}"`).join(', ');
}

/** What went wrong for one question, or undefined when it was cited, answered and recalled. */
export function describeMiss(r: EvalQuestionResult, maxSummaryChars: number): string | undefined {
  const parts: string[] = [];
  if (r.error) parts.push(`run failed: ${r.error.split('\n')[0]}`);
  else {
    if (!r.cited) {
      parts.push(
        r.citedSources.length
          ? `cited ${r.citedSources.join(', ')} instead of ${r.expectedSource}`
          : `cited nothing (expected ${r.expectedSource})`
      );
    }
    if (r.missingTerms.length) parts.push(`summary lacks ${quote(r.missingTerms)}`);
    if (r.summaryChars > maxSummaryChars) {
      parts.push(`summary is ${r.summaryChars} chars (limit ${maxSummaryChars})`);
    }
  }
  if (!r.recall.hit) {
    const file = r.recall.fileRank ? `file first at ${r.recall.fileRank}` : 'file not in the top 10';
    if (!r.recall.indexed) parts.push(`evidence is in no indexed passage of ${r.expectedSource}`);
    else if (r.recall.evidenceRank) parts.push(`evidence ranked ${r.recall.evidenceRank} (${file})`);
    else parts.push(`evidence not in the top 10 (${file})`);
  }
  return parts.length ? parts.join(' · ') : undefined;
}

export function formatEvalResult(result: EvalResult): string {
  const lines: string[] = [];
  const header = ['set', 'n', 'cited', 'answered', 'both', `recall@${RECALL_AT}`, 'median run'];
  const rows = [header, ...result.sets.map((s) => row(s.name, s.figures))];
  if (result.sets.length > 1) rows.push(row('overall', result.overall));
  lines.push(...table(rows));
  lines.push(
    '',
    `${result.overall.questions} questions (${result.subset}), concurrency ${result.concurrency}` +
      `${result.model ? `, model ${result.model}` : ''}, wall ${seconds(result.wallMs)}`
  );
  const misses = result.sets.flatMap((s) =>
    s.questions.flatMap((q) => {
      const why = describeMiss(q, result.maxSummaryChars);
      return why ? [`  ${q.id}: ${why}`] : [];
    })
  );
  if (misses.length) lines.push('', `misses (${misses.length}):`, ...misses);
  return lines.join('\n');
}
