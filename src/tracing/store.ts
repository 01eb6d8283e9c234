import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { safeWorkflowFolder } from '../activities/artifacts.js';
import { dataDir } from '../paths.js';

/** One finished agent span, tied to the durable execution it ran in. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentId: string | null;
  /** agents-core span type: agent, generation, response, function, handoff, guardrail, custom… */
  type: string;
  name: string;
  workflowId: string;
  runId: string;
  /** Set when the span was emitted inside an activity (a model call or a tool). */
  activityId?: string;
  activityType?: string;
  attempt?: number;
  /** Where the span was emitted: inside an activity, or in the workflow (through the plugin's sink). */
  origin: 'activity' | 'workflow';
  startedAt: string;
  endedAt: string;
  durationMs: number;
  model?: string;
  tokens?: { input: number; output: number; total: number };
  error?: string;
  /** Size-capped text of the span's input/output (secrets masked). */
  input?: string;
  output?: string;
}

export const CAPTURE_CHARS = 2048;

export function traceRoot(): string {
  return path.join(dataDir(), 'traces');
}

export function traceFile(workflowId: string): string {
  return path.join(traceRoot(), `${safeWorkflowFolder(workflowId)}.jsonl`);
}

// One append chain per file keeps the lines of one process in order.
const chains = new Map<string, Promise<void>>();

/** Appends one span as a JSON line to `<dataDir>/traces/<workflowId>.jsonl`. */
export function appendSpan(record: SpanRecord): Promise<void> {
  const file = traceFile(record.workflowId);
  const previous = chains.get(file) ?? Promise.resolve();
  const next = previous
    .then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      await appendFile(file, `${JSON.stringify(record)}\n`);
    })
    .catch(() => {
      // A trace store that cannot write must never fail the work it observes.
    });
  chains.set(file, next);
  void next.finally(() => {
    if (chains.get(file) === next) chains.delete(file);
  });
  return next;
}

/** Waits until every span appended so far by this process is on disk. */
export async function flushSpans(): Promise<void> {
  await Promise.all([...chains.values()]);
}

/** The spans stored for a workflow, in start order; a span written twice (e.g. replayed sweep) counts once. */
export async function readSpans(workflowId: string): Promise<SpanRecord[]> {
  let text: string;
  try {
    text = await readFile(traceFile(workflowId), 'utf8');
  } catch {
    return [];
  }
  const bySpan = new Map<string, SpanRecord>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as SpanRecord;
      if (r.workflowId === workflowId) bySpan.set(`${r.spanId}/${r.attempt ?? 0}`, r);
    } catch {
      // a torn last line (process killed mid-write) is skipped
    }
  }
  return [...bySpan.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
