import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { traceFile } from '../../common/trace-records.js';
import type { SpanRecord } from '../../common/timeline-types.js';

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
