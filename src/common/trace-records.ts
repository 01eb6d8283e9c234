import path from 'node:path';
import { dataDir } from './paths.js';
import { safeWorkflowFolder } from './run-folders.js';

// The trace store's format: one JSON line per finished agent span, in
// `<dataDir>/traces/<workflow folder>.jsonl`. Written by workers (src/worker/tracing), read by
// clients (src/client/timeline).

export const CAPTURE_CHARS = 2048;

export function traceRoot(): string {
  return path.join(dataDir(), 'traces');
}

export function traceFile(workflowId: string): string {
  return path.join(traceRoot(), `${safeWorkflowFolder(workflowId)}.jsonl`);
}
