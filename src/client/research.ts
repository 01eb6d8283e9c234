import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { NoWorkerError, UserError } from '../common/errors.js';
import {
  answerClarificationsUpdate,
  cancelReasonSignal,
  skipClarificationsUpdate,
  statusQuery,
} from '../workflows/messages.js';
import { checkAnswers, ResearchInput, researchWorkflowId, type ResearchParams } from '../workflows/input.js';
import type {
  LiveStatus,
  RejectedResult,
  ResearchOutcome,
  ResearchResult,
  ResearchStatus,
  SearchStatus,
} from '../common/research-types.js';
import type { RunSummary } from '../common/api-types.js';
import type { research } from '../workflows/research.js';
import type { ModelLimits } from '../common/model-endpoint.js';
import {
  decide,
  rollback,
  rollbackOf,
  type Decided,
  type ReviewContext,
  type ReviewRequest,
  type RollbackRequest,
  type RolledBack,
} from './review.js';
import { workflowTaskTimeout } from '../common/workflow-start.js';

/**
 * Every operation on research runs, shared by the CLI and the HTTP API (one implementation each).
 * Errors meant for the user are UserError with a hint.
 */
export interface ResearchClientOptions {
  client: Client;
  taskQueue: string;
  /** Model name for runs that do not name one (the CLI and API pass the endpoint's, or STEADFAST_MODEL). */
  defaultModel?: string;
  /** Task queues of model calls and tools when workers are split by role (see splitQueues). */
  taskQueues?: { models?: string; tools?: string };
  /** What the model endpoint allows, for runs to fit their prompts into (see modelLimits). */
  modelLimits?: ModelLimits;
}

const QUERY_DEADLINE_MS = 3000;
/** The workflow type name, as Temporal visibility lists it (the name of the `research` function). */
const RESEARCH_WORKFLOW_TYPE = 'research';

export class ResearchClient {
  private readonly lastKnown = new Map<string, ResearchStatus>();

  constructor(private readonly opts: ResearchClientOptions) {}

  /** Starts a run; idempotent by requestId: a repeated start returns the same run. */
  async start(raw: unknown): Promise<{ workflowId: string; runId: string; existing: boolean }> {
    const model = this.opts.defaultModel ?? process.env.STEADFAST_MODEL;
    const input = parseResearchRequest({
      ...(model ? { model } : {}),
      ...(this.opts.taskQueues ? { taskQueues: this.opts.taskQueues } : {}),
      ...(this.opts.modelLimits?.contextTokens
        ? { modelContextTokens: this.opts.modelLimits.contextTokens }
        : {}),
      ...(this.opts.modelLimits?.maxOutputTokens
        ? { modelMaxOutputTokens: this.opts.modelLimits.maxOutputTokens }
        : {}),
      ...(raw as object),
    });
    const workflowId = researchWorkflowId(input.requestId);
    try {
      // The workflow module loads the Agents SDK: only starting a run pays for it.
      const { research } = await import('../workflows/research.js');
      const handle = await this.opts.client.workflow.start(research, {
        taskQueue: this.opts.taskQueue,
        workflowId,
        args: [input],
        // A running or closed run with this id is the same request: return it, never start a second.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `research: ${input.question.slice(0, 120)}`,
        workflowTaskTimeout: workflowTaskTimeout(),
      });
      return { workflowId, runId: handle.firstExecutionRunId, existing: false };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const description = await this.handle(workflowId).describe();
        return { workflowId, runId: description.runId, existing: true };
      }
      throw err;
    }
  }

  /** The status Query, given up after a few seconds when no worker answers (NoWorkerError). */
  async queryStatus(workflowId: string): Promise<ResearchStatus> {
    const handle = this.handle(workflowId);
    try {
      return await guard(workflowId, () =>
        this.opts.client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
          handle.query(statusQuery)
        )
      );
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new NoWorkerError(
        `cannot read the status of ${workflowId}: ${(err as Error).message}`,
        'is a steadfast worker running? start one with `npx steadfast worker`'
      );
    }
  }

  handle(workflowId: string): WorkflowHandle<typeof research> {
    return this.opts.client.workflow.getHandle<typeof research>(workflowId);
  }

  /** The workflow's own status (Query) merged with what Temporal knows: execution state and activity retries. */
  async status(workflowId: string): Promise<LiveStatus> {
    const handle = this.handle(workflowId);
    const description = await guard(workflowId, () => handle.describe());
    let status: ResearchStatus;
    let stale: string | undefined;
    try {
      // A Query needs a worker; while none answers (one just died, the next is starting) give up
      // quickly and show the last known status with Temporal's own view of the activities.
      status = await this.queryStatus(workflowId);
      this.lastKnown.set(workflowId, status);
      if (this.lastKnown.size > 500) this.lastKnown.delete(this.lastKnown.keys().next().value!);
    } catch (err) {
      const known = this.lastKnown.get(workflowId);
      if (!known || description.status.name !== 'RUNNING') throw err;
      status = known;
      stale = `no worker answered the status query (${(err as Error).message.slice(0, 120)}); showing the last known status`;
    }
    const pending = (description.raw.pendingActivities ?? []).map((a) => ({
      activityType: a.activityType?.name ?? '',
      attempt: a.attempt ?? 1,
      state: String(a.state ?? ''),
      lastFailure: a.lastFailure?.message ?? undefined,
    }));
    const live: LiveStatus = {
      ...structuredClone(status),
      execution: description.status.name,
      pendingActivities: pending,
      ...(stale ? { stale } : {}),
    };
    markRetryingSearches(live);
    if (
      description.status.name === 'FAILED' ||
      description.status.name === 'TERMINATED' ||
      description.status.name === 'TIMED_OUT'
    ) {
      live.phase = status.phase === 'cancelled' ? 'cancelled' : 'failed';
      live.failure = await this.failureOf(workflowId);
    }
    if (description.status.name === 'CANCELLED') live.phase = 'cancelled';
    const written = live.review?.write?.written;
    if (written && !written.rolledBack) {
      const rolledBack = (await rollbackOf(this.opts.client, workflowId).catch(() => undefined))?.rolledBack;
      if (rolledBack) written.rolledBack = rolledBack;
    }
    return live;
  }

  private reviewContext(): ReviewContext {
    return {
      client: this.opts.client,
      handle: (id) => this.handle(id),
      query: (id) => this.queryStatus(id),
      update: updateOrExplain,
      taskQueue: this.opts.taskQueue,
      toolQueue: this.opts.taskQueues?.tools,
    };
  }

  /** Approves what the run waits for: its plan (optionally replaced), or a tool call such as the write. */
  async approve(workflowId: string, request: ReviewRequest): Promise<Decided> {
    return decide(this.reviewContext(), workflowId, true, request);
  }

  /** Rejects the plan (the run ends `rejected`, no search) or a tool call (the write is not made). */
  async reject(workflowId: string, request: Omit<ReviewRequest, 'plan'>): Promise<Decided> {
    return decide(this.reviewContext(), workflowId, false, request);
  }

  /** Undoes a finished run's approved write (a rollback workflow; refused when the file changed, unless forced). */
  async rollback(workflowId: string, request: RollbackRequest): Promise<RolledBack> {
    return rollback(this.reviewContext(), workflowId, request);
  }

  async answer(workflowId: string, answers: string[]): Promise<ResearchStatus> {
    const handle = this.handle(workflowId);
    const current = await this.queryStatus(workflowId);
    const problem = checkAnswers(current.questions, current.clarification === 'pending', { answers });
    if (problem) throw new UserError(`cannot answer ${workflowId}: ${problem}`, hintFor(current));
    return updateOrExplain(workflowId, () =>
      handle.executeUpdate(answerClarificationsUpdate, { args: [{ answers }] })
    );
  }

  async skip(workflowId: string): Promise<ResearchStatus> {
    return updateOrExplain(workflowId, () =>
      this.handle(workflowId).executeUpdate(skipClarificationsUpdate, { args: [] })
    );
  }

  /** Records the reason (Signal), then asks Temporal to cancel: work in flight stops, the run ends CANCELLED. */
  async cancel(workflowId: string, reason?: string): Promise<void> {
    const handle = this.handle(workflowId);
    const description = await guard(workflowId, () => handle.describe());
    if (description.status.name !== 'RUNNING') {
      throw new UserError(`${workflowId} has already ended (${description.status.name}); nothing to cancel`);
    }
    await handle.signal(cancelReasonSignal, { reason });
    await handle.cancel();
  }

  /**
   * Waits for the run's report; a failed run, or one whose plan was rejected (no report), becomes a
   * UserError carrying why.
   */
  async result(workflowId: string): Promise<ResearchResult> {
    const outcome = await this.outcome(workflowId);
    if (isRejectedPlan(outcome)) {
      const r = outcome.rejection;
      throw new UserError(
        `research ${workflowId} was rejected at its plan review by ${r.by} (${r.at})${r.reason ? `: ${r.reason}` : ''}; no search was performed`
      );
    }
    return outcome;
  }

  /** Waits for the run's outcome: its result, or how its plan was rejected. */
  async outcome(workflowId: string): Promise<ResearchOutcome> {
    try {
      return await guard(workflowId, () => this.handle(workflowId).result());
    } catch (err) {
      if (err instanceof WorkflowFailedError) {
        throw new UserError(`research ${workflowId} did not complete: ${failureMessage(err)}`);
      }
      throw err;
    }
  }

  /** Recent research runs from Temporal visibility, newest first. */
  async list(limit = 20): Promise<RunSummary[]> {
    const out: RunSummary[] = [];
    for await (const w of this.opts.client.workflow.list({
      query: `WorkflowType = '${RESEARCH_WORKFLOW_TYPE}'`,
      pageSize: limit,
    })) {
      out.push({
        workflowId: w.workflowId,
        runId: w.runId,
        status: w.status.name,
        startTime: w.startTime.toISOString(),
        closeTime: w.closeTime?.toISOString(),
      });
      if (out.length >= limit) break;
    }
    return out;
  }

  private async failureOf(workflowId: string): Promise<string | undefined> {
    try {
      await this.handle(workflowId).result();
      return undefined;
    } catch (err) {
      return err instanceof WorkflowFailedError ? failureMessage(err) : (err as Error).message;
    }
  }
}

/** Validates a research request (a requestId is generated when absent); a UserError says what is wrong. */
export function parseResearchRequest(raw: unknown): ResearchParams {
  const parsed = ResearchInput.safeParse({ requestId: randomUUID(), ...(raw as object) });
  if (!parsed.success) {
    throw new UserError(
      `invalid research request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`
    );
  }
  return parsed.data;
}

function markRetryingSearches(live: LiveStatus): void {
  // Temporal retries a failed tool attempt on its own; the workflow does not see it until the
  // activity ends. Show the search as retrying only when it is unambiguous which search the
  // activity belongs to (one search running); otherwise the retry shows in pendingActivities.
  const retrying = live.pendingActivities.find((a) => a.attempt > 1 && /search|read/i.test(a.activityType));
  const running = live.searches.filter((s: SearchStatus) => s.state === 'running');
  if (!retrying || running.length !== 1) return;
  running[0]!.state = 'retrying';
  running[0]!.error = retrying.lastFailure;
}

export function failureMessage(err: WorkflowFailedError): string {
  const parts: string[] = [];
  let e: unknown = err.cause;
  while (e instanceof Error && parts.length < 3) {
    parts.push(e.message);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join(' ← ') || err.message;
}

function hintFor(status: ResearchStatus): string | undefined {
  if (status.clarification === 'pending') {
    return `send ${status.questions.length} answers, one per question:\n${status.questions.map((q, i) => `    ${i + 1}. ${q}`).join('\n')}`;
  }
  return `the run is ${status.phase}; \`npx steadfast status ${status.workflowId}\` shows where it is`;
}

async function guard<T>(workflowId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { name?: string }).name === 'WorkflowNotFoundError') {
      throw new UserError(`no research run with id ${workflowId}`, '`npx steadfast list` shows recent runs');
    }
    throw err;
  }
}

/** A run that ended at its plan review: no search, no report. */
export function isRejectedPlan(outcome: ResearchOutcome): outcome is RejectedResult {
  return !('artifacts' in outcome);
}

export async function updateOrExplain(
  workflowId: string,
  fn: () => Promise<ResearchStatus>
): Promise<ResearchStatus> {
  try {
    return await guard(workflowId, fn);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = (err.cause as Error | undefined)?.message ?? err.message;
      throw new UserError(`rejected by ${workflowId}: ${cause}`);
    }
    throw err;
  }
}
