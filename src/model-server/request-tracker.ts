/**
 * Follows each model request from arrival to the end of its response: its request-log entry,
 * the server's counters, and the `onRequest` listeners.
 */
import type http from 'node:http';
import type { FaultKind } from './faults.js';
import type { RequestLogEntry, RequestLogWriter } from './request-log.js';

export interface ModelServerStats {
  /** Model requests received (POST /v1/responses and /v1/chat/completions). */
  requests: number;
  inFlight: number;
  completed: number;
  aborted: number;
  faults: Record<FaultKind, number>;
  byPath: Record<string, number>;
  byKind: Record<string, number>;
}

/**
 * A model request as it happens: `received` when it arrives (before the fault decision),
 * `finished` when its response ended or its connection closed (the entry is then complete,
 * as written to the request log).
 */
export interface ModelRequestEvent {
  phase: 'received' | 'finished';
  entry: Readonly<RequestLogEntry>;
}

export class RequestTracker {
  private seq = 0;
  private readonly counters: ModelServerStats = {
    requests: 0,
    inFlight: 0,
    completed: 0,
    aborted: 0,
    faults: { '429': 0, '500': 0, reset: 0, malformed: 0 },
    byPath: {},
    byKind: {},
  };
  private readonly listeners = new Set<(event: ModelRequestEvent) => void>();

  constructor(private readonly log?: RequestLogWriter) {}

  stats(): ModelServerStats {
    return structuredClone(this.counters);
  }

  /** Calls `listener` for every model request event, synchronously; returns the unsubscribe function. */
  onRequest(listener: (event: ModelRequestEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Starts following a model request to `pathKey`; the returned entry is filled in by the
   * handler and completed (logged, counted, announced) when the response ends.
   */
  begin(req: http.IncomingMessage, res: http.ServerResponse, pathKey: string): RequestLogEntry {
    const started = Date.now();
    const entry: RequestLogEntry = {
      ts: new Date(started).toISOString(),
      seq: ++this.seq,
      method: req.method ?? 'POST',
      path: req.url ?? '',
      hash: '',
      model: null,
      stream: false,
      status: 0,
      fault: null,
      outcome: 'aborted',
      durationMs: 0,
      kind: null,
      tool: null,
      inputTokens: 0,
      outputTokens: 0,
    };
    const stats = this.counters;
    stats.requests++;
    stats.inFlight++;
    stats.byPath[pathKey] = (stats.byPath[pathKey] ?? 0) + 1;
    let logged = false;
    const finish = (outcome: RequestLogEntry['outcome']) => {
      if (logged) return;
      logged = true;
      stats.inFlight--;
      entry.outcome = entry.fault ? 'fault' : outcome;
      entry.status = res.headersSent ? res.statusCode : 0;
      entry.durationMs = Date.now() - started;
      if (entry.outcome === 'completed') {
        stats.completed++;
        if (entry.kind) stats.byKind[entry.kind] = (stats.byKind[entry.kind] ?? 0) + 1;
      } else if (entry.outcome === 'aborted') stats.aborted++;
      this.log?.write(entry);
      this.emit('finished', entry);
    };
    res.on('finish', () => finish('completed'));
    res.on('close', () => finish('aborted'));
    this.emit('received', entry);
    return entry;
  }

  /** Records the fault planned for a request. */
  fault(entry: RequestLogEntry, fault: FaultKind | null): void {
    entry.fault = fault;
    if (fault) this.counters.faults[fault]++;
  }

  private emit(phase: ModelRequestEvent['phase'], entry: RequestLogEntry): void {
    for (const l of [...this.listeners]) {
      try {
        l({ phase, entry });
      } catch {
        /* a listener's error is its own */
      }
    }
  }
}
