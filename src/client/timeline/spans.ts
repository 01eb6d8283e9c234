import { readFile } from 'node:fs/promises';
import { traceFile } from '../../common/trace-records.js';
import type { SpanRecord } from '../../common/timeline-types.js';

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
