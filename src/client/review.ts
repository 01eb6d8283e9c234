import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { UserError } from '../common/errors.js';
import type { ResearchStatus, ReviewDecision, WriteRecord } from '../common/research-types.js';
import {
  approvePlanUpdate,
  approveToolCallUpdate,
  rejectPlanUpdate,
  rejectToolCallUpdate,
} from '../workflows/messages.js';
import type { research } from '../workflows/research.js';
import {
  ApprovePlan,
  checkPlanDecision,
  checkToolCallDecision,
  RejectPlan,
  type ApprovePlan as ApprovePlanRequest,
} from '../workflows/review-input.js';
import { rollbackWorkflowId, rollbackWrite, type RollbackInput } from '../workflows/rollback.js';
import { workflowTaskTimeout } from '../common/workflow-start.js';

/** A decision at whatever review point the run waits at: its plan, or one of its tool calls. */
export interface ReviewRequest {
  /** Who decides: "cli:<user>@<host>", "api:<token label>@<address>"… (recorded in status and history). */
  by: string;
  reason?: string;
  /** approve only: the searches to run instead of the proposed plan. */
  plan?: ApprovePlanRequest['plan'];
  /** The tool call decided; needed only when several wait. */
  callId?: string;
}

export interface Decided {
  stage: 'plan' | 'tool';
  status: ResearchStatus;
  decision?: ReviewDecision;
}

export interface RollbackRequest {
  by: string;
  force: boolean;
  reason?: string;
}

export interface RolledBack {
  record: WriteRecord;
  rollbackWorkflowId: string;
  /** The rollback had been done before this request (by `record.rolledBack.by`). */
  already: boolean;
}

/** What the review operations need from the ResearchClient. */
export interface ReviewContext {
  client: Client;
  handle(workflowId: string): WorkflowHandle<typeof research>;
  query(workflowId: string): Promise<ResearchStatus>;
  /** Runs an Update, turning a validator's rejection into a UserError. */
  update(workflowId: string, fn: () => Promise<ResearchStatus>): Promise<ResearchStatus>;
  taskQueue: string;
  toolQueue?: string;
}

/**
 * Approves (`approve: true`) or rejects what the run waits for. The same checks as the workflow's
 * validators run here first, so that the user reads why before anything is sent.
 */
export async function decide(
  ctx: ReviewContext,
  workflowId: string,
  approve: boolean,
  request: ReviewRequest
): Promise<Decided> {
  const status = await ctx.query(workflowId);
  const handle = ctx.handle(workflowId);
  const { by, reason } = request;
  const base = { by, ...(reason !== undefined ? { reason } : {}) };
  if (status.review?.plan?.state === 'pending' && request.callId === undefined) {
    const body = approve ? { ...base, ...(request.plan ? { plan: request.plan } : {}) } : base;
    const problem = checkPlanDecision(status, body, approve ? ApprovePlan : RejectPlan);
    if (problem)
      throw new UserError(`cannot ${approve ? 'approve' : 'reject'} the plan of ${workflowId}: ${problem}`);
    const after = await ctx.update(workflowId, () =>
      approve
        ? handle.executeUpdate(approvePlanUpdate, { args: [body] })
        : handle.executeUpdate(rejectPlanUpdate, { args: [body] })
    );
    return {
      stage: 'plan',
      status: after,
      decision: after.review?.decisions.findLast((d) => d.stage === 'plan'),
    };
  }
  if (request.plan)
    throw new UserError(
      `no plan of ${workflowId} is waiting for approval (phase ${status.phase})`,
      waitingHint(status)
    );
  const pending = (status.review?.calls ?? []).filter((c) => c.state === 'pending');
  const callId = request.callId ?? (pending.length === 1 ? pending[0]!.callId : undefined);
  if (callId === undefined) {
    if (pending.length === 0)
      throw new UserError(
        `nothing of ${workflowId} is waiting for approval (phase ${status.phase})`,
        waitingHint(status)
      );
    throw new UserError(
      `${pending.length} tool calls of ${workflowId} wait for a decision: name one with --call`,
      pending.map((c) => `${c.callId}: ${c.tool} ${c.arguments.slice(0, 120)}`).join('\n')
    );
  }
  const body = { ...base, callId };
  const problem = checkToolCallDecision(status, body);
  if (problem)
    throw new UserError(
      `cannot ${approve ? 'approve' : 'reject'} ${workflowId}: ${problem}`,
      waitingHint(status)
    );
  const after = await ctx.update(workflowId, () =>
    handle.executeUpdate(approve ? approveToolCallUpdate : rejectToolCallUpdate, { args: [body] })
  );
  return {
    stage: 'tool',
    status: after,
    decision: after.review?.decisions.findLast((d) => d.callId === callId),
  };
}

function waitingHint(status: ResearchStatus): string {
  if (status.clarification === 'pending')
    return `the run waits for answers: npx steadfast answer ${status.workflowId} …`;
  if (['completed', 'rejected', 'failed', 'cancelled'].includes(status.phase)) return 'the run has ended';
  return `review points are set when a run starts (--review-plan, --write-to); \`npx steadfast status ${status.workflowId}\` shows where it is`;
}

/**
 * Undoes a finished run's approved write through the rollback workflow (one per run: a refused
 * rollback may be asked again, e.g. with --force; a done one is reported, not repeated).
 */
export async function rollback(
  ctx: ReviewContext,
  workflowId: string,
  request: RollbackRequest
): Promise<RolledBack> {
  const description = await ctx.handle(workflowId).describe();
  if (description.status.name !== 'COMPLETED')
    throw new UserError(
      `${workflowId} has not completed (${description.status.name}): it has written nothing to roll back`,
      `\`npx steadfast status ${workflowId}\` shows where it is`
    );
  const outcome = await ctx.handle(workflowId).result();
  const write = outcome.review?.write;
  if (write?.state !== 'written')
    throw new UserError(
      `${workflowId} wrote no file${write ? ` (its write to ${write.path} was ${write.state})` : ''}: there is nothing to roll back`
    );
  const id = rollbackWorkflowId(workflowId);
  const input: RollbackInput = {
    researchWorkflowId: workflowId,
    by: request.by,
    force: request.force,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(ctx.toolQueue ? { taskQueue: ctx.toolQueue } : {}),
  };
  let already = false;
  let handle;
  try {
    handle = await ctx.client.workflow.start(rollbackWrite, {
      taskQueue: ctx.taskQueue,
      workflowId: id,
      args: [input],
      // One rollback per run; a refused (failed) one may be asked again.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      staticSummary: `rollback of ${write.path} (written by ${workflowId}) by ${request.by}`.slice(0, 200),
      workflowTaskTimeout: workflowTaskTimeout(),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    already = true;
    handle = ctx.client.workflow.getHandle<(i: RollbackInput) => Promise<WriteRecord>>(id);
  }
  try {
    return { record: await handle.result(), rollbackWorkflowId: id, already };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = (err.cause?.cause as Error | undefined) ?? err.cause;
    const type = (cause as { type?: string } | undefined)?.type;
    throw new UserError(
      `rollback of ${workflowId} refused: ${cause?.message ?? err.message}`,
      type === 'FileChangedSinceWrite'
        ? `npx steadfast rollback ${workflowId} --force restores the previous content anyway`
        : `the refused rollback is in Temporal as workflow ${id}`
    );
  }
}

/** The rollback of a run's write, when one completed (read from the rollback workflow's result). */
export async function rollbackOf(client: Client, workflowId: string): Promise<WriteRecord | undefined> {
  const handle = client.workflow.getHandle<(i: RollbackInput) => Promise<WriteRecord>>(
    rollbackWorkflowId(workflowId)
  );
  try {
    const { status } = await handle.describe();
    return status.name === 'COMPLETED' ? await handle.result() : undefined;
  } catch (err) {
    if ((err as { name?: string }).name === 'WorkflowNotFoundError') return undefined;
    throw err;
  }
}
