/**
 * Accounting of model calls against kills. Each worker incarnation gets its own offline model
 * server (and request log), so every model request is attributed to exactly one worker process.
 *
 * A model call is "in flight at a kill" when the killed worker had sent it and Temporal never
 * recorded its result:
 *   - open:  the request was still open at the server when the worker died (read synchronously
 *            from the server's own counter right before the SIGKILL), or
 *   - unacknowledged: the server finished the response, but the worker died before reporting the
 *            activity completion (server completions − model activities Temporal recorded as
 *            completed by that worker's identity).
 * Only such calls can be paid twice: the retry on another worker sends the identical request.
 */
import type { RequestLogEntry } from '../../src/model-server/request-log.js';

export interface Incarnation {
  /** e.g. "w1#3": slot 1, third process in that slot. */
  name: string;
  identity: string;
  entries: RequestLogEntry[];
  /** Set when the harness SIGKILLed it. */
  killedAt?: number;
  /** The model server's open-request count read right before the SIGKILL. */
  openAtKill?: number;
  /** True when this process was alive across a Temporal server restart. */
  spannedServerRestart?: boolean;
}

export interface IncarnationAccount {
  name: string;
  killed: boolean;
  requests: number;
  completedAtServer: number;
  acknowledged: number;
  /** Completed at the server, result never recorded by Temporal. */
  unacknowledged: number;
  open: number;
  inFlight: number;
}

export interface CallAccounting {
  incarnations: IncarnationAccount[];
  /** Calls in flight at the kills (open + unacknowledged, summed over killed workers). */
  inFlightAtKills: number;
  /** Results lost by workers that were not killed (e.g. across a Temporal server restart). */
  lostElsewhere: number;
  /** Extra completions of identical requests (n − 1 per request completed n > 1 times). */
  repeated: number;
  /** Repeated requests whose earlier completion was on a killed worker. */
  repeatedExplainedByKills: number;
  totalRequests: number;
  completedCalls: number;
  /** repeated ≤ calls in flight at the kills (+ results lost elsewhere, e.g. at a server restart). */
  ok: boolean;
}

/**
 * @param acknowledgedByIdentity model activities completed per worker identity (from histories)
 */
export function accountCalls(
  incarnations: Incarnation[],
  acknowledgedByIdentity: Map<string, number>
): CallAccounting {
  const accounts: IncarnationAccount[] = incarnations.map((inc) => {
    const completedAtServer = inc.entries.filter((e) => e.outcome === 'completed').length;
    const acknowledged = acknowledgedByIdentity.get(inc.identity) ?? 0;
    const unacknowledged = Math.max(0, completedAtServer - acknowledged);
    const open = inc.killedAt !== undefined ? (inc.openAtKill ?? 0) : 0;
    return {
      name: inc.name,
      killed: inc.killedAt !== undefined,
      requests: inc.entries.length,
      completedAtServer,
      acknowledged,
      unacknowledged,
      open,
      inFlight: open + unacknowledged,
    };
  });
  // Completions per request hash, in time order, remembering which incarnation served each.
  const completions = new Map<string, { at: number; killed: boolean }[]>();
  for (const inc of incarnations) {
    for (const e of inc.entries) {
      if (e.outcome !== 'completed') continue;
      const list = completions.get(e.hash) ?? [];
      list.push({ at: Date.parse(e.ts) + e.durationMs, killed: inc.killedAt !== undefined });
      completions.set(e.hash, list);
    }
  }
  let repeated = 0;
  let explained = 0;
  for (const list of completions.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.at - b.at);
    repeated += list.length - 1;
    // Every completion but the last was a result that got lost; count those served by killed workers.
    explained += list.slice(0, -1).filter((c) => c.killed).length;
  }
  const inFlightAtKills = accounts.filter((a) => a.killed).reduce((s, a) => s + a.inFlight, 0);
  const lostElsewhere = accounts.filter((a) => !a.killed).reduce((s, a) => s + a.unacknowledged, 0);
  return {
    incarnations: accounts,
    inFlightAtKills,
    lostElsewhere,
    repeated,
    repeatedExplainedByKills: explained,
    totalRequests: accounts.reduce((s, a) => s + a.requests, 0),
    completedCalls: accounts.reduce((s, a) => s + a.completedAtServer, 0),
    ok: repeated <= inFlightAtKills + lostElsewhere,
  };
}
