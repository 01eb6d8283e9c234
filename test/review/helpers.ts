import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import type { ResearchClient } from '../../src/client/research.js';
import { activitiesOf } from '../../src/testing/history.js';
import type { LiveStatus, Phase } from '../../src/common/research-types.js';
import { waitFor } from '../../src/testing/fixture.js';
import type { ResearchInput } from '../../src/workflows/input.js';

export const QUESTION = 'How do I add human approval to a durable agent?';
export const ORIGINAL = '# Migration\n\nNotes kept by hand.\n\n- [ ] an old item\n';

/** A review run's usual request: no clarification, two searches, a checklist. */
export function reviewRequest(requestId: string, more: Partial<ResearchInput> = {}): ResearchInput {
  return { question: QUESTION, requestId, clarify: false, maxSearches: 2, format: 'checklist', ...more };
}

/** A file in `dir` holding ORIGINAL (or nothing with `content: null`). */
export function userFile(dir: string, content: string | null = ORIGINAL): string {
  const file = path.join(dir, `${randomUUID().slice(0, 8)}-MIGRATION.md`);
  if (content !== null) writeFileSync(file, content);
  return file;
}

/** Waits until the run is at `phase` (or has ended, which fails with its status). */
export async function atPhase(
  research: ResearchClient,
  workflowId: string,
  phase: Phase
): Promise<LiveStatus> {
  const status = await waitFor(
    async () => {
      const s = await research.status(workflowId);
      return s.phase === phase || s.execution !== 'RUNNING' ? s : undefined;
    },
    120_000,
    `${workflowId} at ${phase}`
  );
  if (status.phase !== phase)
    throw new Error(
      `${workflowId} ended ${status.execution}/${status.phase} before ${phase}: ${status.failure ?? status.errors.join('; ')}`
    );
  return status;
}

/** Waits until the run has ended and returns its status. */
export async function ended(research: ResearchClient, workflowId: string): Promise<LiveStatus> {
  return waitFor(
    async () => {
      const s = await research.status(workflowId);
      return s.execution !== 'RUNNING' ? s : undefined;
    },
    120_000,
    `${workflowId} to end`
  );
}

/**
 * The type of every activity a history ran, one entry per run: scheduled activities, and local
 * activities (recorded as markers; the corpus reads may be local).
 */
export function activitiesRun(events: temporal.api.history.v1.IHistoryEvent[]): string[] {
  const local = events.flatMap((e) => {
    const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
    const type = data ? /"activity_type":"([^"]+)"/.exec(Buffer.from(data).toString('utf8'))?.[1] : undefined;
    return type ? [type] : [];
  });
  return [...activitiesOf(events).map((a) => a.activityType), ...local];
}
