import type { LiveStatus } from '../common/research-types.js';

const PHASES: Record<string, string> = {
  starting: 'starting',
  preparing: 'indexing the corpus',
  triage: 'triage',
  clarifying: 'writing clarifying questions',
  awaiting_answers: 'waiting for answers',
  planning: 'planning searches',
  awaiting_plan_approval: 'waiting for the plan to be approved',
  searching: 'searching',
  writing: 'writing the report',
  rendering: 'rendering Markdown + PDF',
  awaiting_write_approval: 'waiting for the write to be approved',
  awaiting_tool_approval: 'waiting for a tool call to be approved',
  applying_write: 'writing the approved file',
  completed: 'completed',
  rejected: 'rejected',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** One line of progress: phase, searches by state, model calls, tokens, elapsed time, retries. */
export function progressLine(status: LiveStatus, elapsedMs: number): string {
  const counts = { done: 0, failed: 0, retrying: 0, running: 0, pending: 0 };
  for (const s of status.searches) counts[s.state]++;
  const parts = [PHASES[status.phase] ?? status.phase];
  if (status.searches.length > 0) {
    const bits = [`${counts.done}/${status.searches.length} searches done`];
    if (counts.running) bits.push(`${counts.running} running`);
    if (counts.retrying) bits.push(`${counts.retrying} retrying`);
    if (counts.failed) bits.push(`${counts.failed} failed`);
    parts.push(bits.join(', '));
  }
  parts.push(
    `${status.usage.requests} model calls`,
    `${status.usage.totalTokens} tokens`,
    `${(elapsedMs / 1000).toFixed(1)} s`
  );
  if (status.stale) parts.push('waiting for a worker to answer');
  const retrying = status.pendingActivities.filter((a) => a.attempt > 1);
  if (retrying.length > 0) {
    const a = retrying[0]!;
    parts.push(
      `retrying ${a.activityType} (attempt ${a.attempt}${a.lastFailure ? `: ${a.lastFailure.slice(0, 80)}` : ''})`
    );
  }
  return parts.join(' · ');
}

/** Writes progress on one self-updating line on a terminal, or one line per change otherwise. */
export class ProgressPrinter {
  private last = '';
  private lastPhase = '';
  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true
  ) {}

  update(status: LiveStatus, elapsedMs: number): void {
    if (!this.enabled) return;
    const line = progressLine(status, elapsedMs);
    if (this.out.isTTY) {
      if (line !== this.last) this.out.write(`\r\x1b[2K${line.slice(0, (this.out.columns ?? 120) - 1)}`);
    } else if (status.phase !== this.lastPhase) {
      this.out.write(`${line}\n`);
    }
    this.last = line;
    this.lastPhase = status.phase;
  }

  /** Ends the self-updating line before other output. */
  break(): void {
    if (this.enabled && this.out.isTTY && this.last) this.out.write('\n');
    this.last = '';
  }
}
