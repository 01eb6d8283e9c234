/**
 * JSONL request log of the offline model server: one line per model request, written when the
 * response finished or the connection closed. Used to count model calls that were paid for
 * more than once (e.g. after a worker crash).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FaultKind } from './faults.js';

export interface RequestLogEntry {
  /** ISO time the request arrived. */
  ts: string;
  /** Sequence number of the request in this server's life (1-based). */
  seq: number;
  method: string;
  path: string;
  /** sha256 of the canonical JSON body (sorted keys). */
  hash: string;
  model: string | null;
  stream: boolean;
  /** HTTP status sent (0 when the connection was reset or closed before a status was sent). */
  status: number;
  fault: FaultKind | null;
  outcome: 'completed' | 'fault' | 'aborted';
  durationMs: number;
  kind: 'function_call' | 'json' | 'text' | 'handoff' | null;
  tool: string | null;
  /** Usage the response reported (what a provider bills); 0 when no response was built (faults, bad requests). */
  inputTokens: number;
  outputTokens: number;
}

/** Appends entries to a JSONL file (synchronously, so the file is current when a response ends). */
export class RequestLogWriter {
  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  write(entry: RequestLogEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}

/** Reads a request log; a missing file is an empty log, broken lines are skipped. */
export async function readRequestLog(file: string): Promise<RequestLogEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const entries: RequestLogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as RequestLogEntry;
      // Logs written before usage was recorded have no token fields.
      e.inputTokens ??= 0;
      e.outputTokens ??= 0;
      entries.push(e);
    } catch {
      /* a line cut by a crash */
    }
  }
  return entries;
}

/** Completed responses per request hash, for hashes completed more than once. */
export function repeatedCompletedCalls(entries: RequestLogEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) if (e.outcome === 'completed') counts.set(e.hash, (counts.get(e.hash) ?? 0) + 1);
  for (const [hash, n] of counts) if (n < 2) counts.delete(hash);
  return counts;
}

/** Number of extra completions: for each request body completed n > 1 times, adds n - 1. */
export function countRepeatedCompletedCalls(entries: RequestLogEntry[]): number {
  let extra = 0;
  for (const n of repeatedCompletedCalls(entries).values()) extra += n - 1;
  return extra;
}
