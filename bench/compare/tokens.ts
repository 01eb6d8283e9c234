/**
 * Token accounting from the model server's request log: what was billed, and what of it was
 * wasted — paid for but not part of the result that was finally delivered.
 */
import type { RequestLogEntry } from '../../src/model-server/request-log.js';

export interface TokenAccount {
  /** Input + output tokens of every completed model call (what a provider bills). */
  billed: number;
  /** Tokens of the calls the delivered result was built from (first completion of each body in the final attempt). */
  useful: number;
  /** billed − useful: repeats of identical bodies, and calls completed by an attempt that was then discarded. */
  wasted: number;
  /** Of the wasted: tokens of completions whose identical body had completed before. */
  repeated: number;
}

const tokens = (e: RequestLogEntry) => (e.inputTokens ?? 0) + (e.outputTokens ?? 0);

/**
 * `finalAttemptFromSeq`: the first request sequence number of the attempt that delivered the
 * result (a plain script restarted from scratch discards everything its earlier attempts paid
 * for); 0 when the run is one logical attempt (the durable workflow resumes, it never restarts).
 */
export function accountTokens(entries: readonly RequestLogEntry[], finalAttemptFromSeq = 0): TokenAccount {
  let billed = 0;
  let useful = 0;
  let repeated = 0;
  const seen = new Set<string>();
  const usedInFinal = new Set<string>();
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (e.outcome !== 'completed') continue;
    const t = tokens(e);
    billed += t;
    if (seen.has(e.hash)) repeated += t;
    seen.add(e.hash);
    if (e.seq >= finalAttemptFromSeq && !usedInFinal.has(e.hash)) {
      usedInFinal.add(e.hash);
      useful += t;
    }
  }
  return { billed, useful, wasted: billed - useful, repeated };
}
