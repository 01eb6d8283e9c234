/**
 * Faults triggered on progress, not on the clock: "after the Nth completed model call" is a point
 * that all three approaches share, whatever their start-up time. The offline model server reports
 * each request as it arrives and finishes (`onRequest`), so the trigger fires in the same tick the
 * Nth response ends.
 */
import type { ModelServerHandle } from '../../src/model-server/server.js';

/**
 * The call after which a fault lands: a seeded fraction `f` (0..1) of the baseline's model calls.
 * A crash needs at least one completed call to lose (1 ≤ N ≤ calls); an outage may begin before
 * the first call (0 ≤ N < calls) and must leave at least one call for it to hit.
 */
export function faultCall(kind: 'crash' | 'outage', f: number, baselineCalls: number): number {
  const calls = Math.max(1, Math.round(baselineCalls));
  if (kind === 'crash') return Math.min(calls, Math.max(1, Math.round(f * calls)));
  return Math.min(calls - 1, Math.max(0, Math.floor(f * calls)));
}

/** Calls `fire` once, synchronously, when the Nth model call completes (N = 0 fires now). Returns the unsubscribe function. */
export function afterCompletedCalls(model: ModelServerHandle, n: number, fire: () => void): () => void {
  if (n <= 0) {
    fire();
    return () => {};
  }
  let completed = 0;
  const off = model.onRequest(({ phase, entry }) => {
    if (phase !== 'finished' || entry.outcome !== 'completed') return;
    if (++completed === n) {
      off();
      fire();
    }
  });
  return off;
}

export interface OutageWindow {
  /** When the endpoint went down (first request that found it down), ms since epoch. */
  startedAt?: number;
  endedAt?: number;
  /** Requests answered with a connection reset during the window. */
  resets: number;
}

/**
 * After the Nth completed call, every model request gets a connection reset; the window lasts
 * `ms` from the first request that finds the endpoint down (so a process still starting up does
 * not spend the outage before it needs the model).
 */
export function outageAfter(
  model: ModelServerHandle,
  n: number,
  ms: number
): { window: OutageWindow; cancel: () => void } {
  const window: OutageWindow = { resets: 0 };
  let offWatch = () => {};
  let timer: NodeJS.Timeout | undefined;
  const end = () => {
    offWatch();
    if (window.startedAt !== undefined && window.endedAt === undefined) window.endedAt = Date.now();
    model.configure({ rateReset: 0 });
  };
  const offTrigger = afterCompletedCalls(model, n, () => {
    model.configure({ rateReset: 1 });
    offWatch = model.onRequest(({ phase, entry }) => {
      if (phase === 'received' && window.startedAt === undefined) {
        window.startedAt = Date.now();
        timer = setTimeout(end, ms);
      }
      if (phase === 'finished' && entry.fault === 'reset') window.resets++;
    });
  });
  return {
    window,
    cancel: () => {
      offTrigger();
      if (timer) clearTimeout(timer);
      end();
    },
  };
}
