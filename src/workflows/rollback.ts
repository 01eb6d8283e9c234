import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { fileActivities } from '../activities/files.js';
import type { WriteRecord } from '../common/research-types.js';
import { FILE_ACTIVITY_OPTIONS } from './research/activities.js';

export interface RollbackInput {
  /** The research run whose approved write is undone. */
  researchWorkflowId: string;
  /** Who asks: "cli:<user>@<host>", "api:…". */
  by: string;
  /** Roll back even though the file changed after the write (what it holds is kept). */
  force: boolean;
  reason?: string;
  /** The task queue of file activities (the tools queue when workers are split by role). */
  taskQueue?: string;
}

/**
 * Undoes the approved write of a research run: the previous bytes go back, or the file the run
 * created is removed. A short workflow of its own (id `rollback-<research id>`), so that Temporal's
 * history says who undid what and when, and a repeated request finds the rollback already done.
 */
export async function rollbackWrite(input: RollbackInput): Promise<WriteRecord> {
  const { rollbackFile } = proxyActivities<typeof fileActivities>({
    ...(input.taskQueue ? { taskQueue: input.taskQueue } : {}),
    ...FILE_ACTIVITY_OPTIONS,
    summary: `roll back the write of ${input.researchWorkflowId}`,
  });
  return rollbackFile({
    workflowId: input.researchWorkflowId,
    by: input.by,
    force: input.force,
    ...(input.reason ? { reason: input.reason } : {}),
    rollbackWorkflowId: workflowInfo().workflowId,
  });
}

export function rollbackWorkflowId(researchWorkflowId: string): string {
  return `rollback-${researchWorkflowId}`;
}
