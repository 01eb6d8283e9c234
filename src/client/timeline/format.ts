// The joined timeline as terminal text (`steadfast inspect`).
import type {
  PayloadField,
  RunChain,
  RunHistorySize,
  SpanRecord,
  Timeline,
  TimelineEntry,
} from '../../common/timeline-types.js';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const ms = (iso: string) => Date.parse(iso);
const count = (n: number) => n.toLocaleString('en-US');

function secs(msValue: number | undefined): string {
  if (msValue === undefined) return '';
  return msValue >= 1000 ? `${(msValue / 1000).toFixed(1)} s` : `${Math.round(msValue)} ms`;
}

/** 930 B, 12.3 KB, 4.1 MB (powers of 1024, as Temporal's limits are stated). */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Describes one span on one line: type, name, attempt, tokens, latency, error. */
export function describeSpan(s: SpanRecord): string {
  const parts = [`${s.type} ${s.name}`];
  if (s.attempt && s.attempt > 1) parts.push(`attempt ${s.attempt}`);
  if (s.tokens) parts.push(`${s.tokens.input} in / ${s.tokens.output} out tokens`);
  parts.push(secs(s.durationMs));
  if (s.error) parts.push(`error: ${s.error}`);
  return parts.join(' · ');
}

/** "history 30,324 B · 92 events · 21 stored payloads (93,411 B)": the figures of one run, or of a chain's total. */
export function describeWeight(w: Omit<RunHistorySize, 'runId' | 'execution'>): string {
  const stored =
    w.storedPayloads === 0
      ? 'no stored payloads'
      : `${count(w.storedPayloads)} stored payload${w.storedPayloads === 1 ? '' : 's'} (${count(w.storedBytes)} B)`;
  return `history ${count(w.historyBytes)} B · ${count(w.events)} events · ${stored}`;
}

/** The runs of a continue-as-new chain, one a line, and their total; nothing for a run without one. */
function chainLines(chain: RunChain, shownRunId: string | undefined): string[] {
  if (chain.runs.length < 2) return [];
  const lines = [`${chain.runs.length} runs (continued as new): ${describeWeight(chain.total)} in total`];
  if (chain.truncated) lines.push(`  ${chain.truncated}`);
  for (const [i, r] of chain.runs.entries()) {
    const shown = r.runId === shownRunId ? '  ◂ shown' : '';
    lines.push(
      `  run ${pad(String(i + 1), 3)} ${r.runId}  ${pad(r.execution, 16)} ${describeWeight(r)}${shown}`
    );
  }
  return lines;
}

/** " · input stored 12.3 KB · result inline 310 B": where a step's payloads are, when any is stored. */
function payloadSuffix(fields: PayloadField[] | undefined): string {
  if (!fields?.some((f) => f.payloads.some((p) => p.location === 'stored'))) return '';
  return fields
    .map((f) => {
      const size = f.payloads.reduce((sum, p) => sum + p.sizeBytes, 0);
      const stored = f.payloads.filter((p) => p.location === 'stored').length;
      const where = stored === 0 ? 'inline' : stored === f.payloads.length ? 'stored' : `${stored} stored`;
      return ` · ${f.field} ${where} ${bytes(size)} (event ${f.eventId})`;
    })
    .join('');
}

function entryLine(e: TimelineEntry, t0: number): string {
  const when = `+${((ms(e.time) - t0) / 1000).toFixed(1)}s`;
  const retry =
    e.attempt && e.attempt > 1
      ? `  attempt ${e.attempt}${e.lastFailure ? ` (retried after: ${e.lastFailure})` : ''}`
      : '';
  return `  ${pad(when, 8)} ${pad(e.kind, 9)} ${pad(e.title + (e.activityId ? ` #${e.activityId}` : ''), 34)} ${pad(e.status, 10)} ${secs(e.durationMs)}${retry}${payloadSuffix(e.payloads)}`;
}

/** The joined timeline as terminal text (used by `steadfast inspect`). */
export function formatTimeline(t: Timeline, opts: { status?: string } = {}): string {
  const lines: string[] = [];
  lines.push(`${t.workflowId}${t.runId ? ` (run ${t.runId})` : ''}${opts.status ? `  ${opts.status}` : ''}`);
  if (t.uiLink) lines.push(`Temporal UI: ${t.uiLink}`);
  if (t.history) lines.push(describeWeight(t.history));
  if (t.chain) lines.push(...chainLines(t.chain, t.runId));
  lines.push(`${t.entries.filter((e) => e.source === 'history').length} durable steps, ${t.spans} spans`);
  const t0 = t.entries.length ? ms(t.entries[0]!.time) : 0;
  for (const e of t.entries) {
    if (e.source === 'trace' && e.kind === 'agent') {
      lines.push(
        `  +${pad(((ms(e.time) - t0) / 1000).toFixed(1) + 's', 7)} ${pad('· agent', 9)} ${e.title.replace(/^agent /, '')} (${secs(e.durationMs)})`
      );
      continue;
    }
    lines.push(entryLine(e, t0));
    for (const [i, s] of e.spans.entries()) {
      if (e.source === 'trace' && e.spans.length === 1) continue;
      lines.push(`             ${i === e.spans.length - 1 ? '└' : '├'} ${describeSpan(s)}`);
    }
  }
  return lines.join('\n');
}
