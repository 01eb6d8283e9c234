import { Agent, tool, type Tool } from '@openai/agents-core';
import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { ArtifactRef, ResearchStatus, WriteReview } from '../../common/research-types.js';
import { describeError, rootFailure } from '../failures.js';
import type { FileActivities } from './activities.js';
import type { RunAgent } from './agent-runner.js';
import type { ToolApprovals } from './approvals.js';
import { stringParameters } from '../agents/tool-parameters.js';

/** The write tool: the one tool of the publisher, and the one that changes the user's files. */
export const WRITE_TOOL = 'writeFile';
/** Rounds of diff → approval → write when the file keeps changing under review. */
const MAX_ROUNDS = 3;

export interface PublishContext {
  workflowId: string;
  /** The file the run's input allows it to write. */
  path: string;
  /** The rendered report.md: what is written. */
  report: ArtifactRef;
  status: ResearchStatus;
  runAgent: RunAgent;
  approvals: ToolApprovals;
  files: FileActivities;
}

/**
 * Writes the rendered report into the user's file, after a person approves its diff. The write is
 * a tool call of the Publisher agent, `writeFile`, marked needsApproval: the agent's run stops on
 * the call (the Agents SDK's interruption), the workflow computes the diff and waits for the
 * decision, then resumes the run from its RunState and the tool writes — or is told it may not.
 * What is written and where is fixed by the run, not by the model: a call naming another path or
 * other content is refused before anyone is asked. A file that changed between the diff and the
 * write is not written; its new diff is put up for approval again.
 */
export async function publishReport(ctx: PublishContext): Promise<'written' | 'rejected'> {
  const write: WriteReview = { path: ctx.path, state: 'proposed' };
  ctx.status.review!.write = write;
  const writeTool = writeFileTool(ctx, write);
  ctx.approvals.register(WRITE_TOOL, {
    phase: 'awaiting_write_approval',
    prepare: async (args, callId) => {
      const refusal = checkArguments(args, ctx);
      if (refusal) return refusal;
      write.callId = callId;
      write.diff = await ctx.files.diffFile({
        workflowId: ctx.workflowId,
        path: ctx.path,
        source: ctx.report,
      });
      write.state = 'pending';
      return undefined;
    },
    decided: (decision) => {
      if (decision.decision === 'approved') write.state = 'approved';
      else if (decision.decision === 'timed_out') write.state = 'timed_out';
      else if (decision.decision === 'rejected') write.state = 'rejected';
    },
  });
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    write.state = 'proposed';
    await ctx.runAgent(publisherAgent(writeTool), publisherBrief(ctx, round), 2);
    // Set by the reviewer's hooks and the tool while the agent ran.
    const state = write.state as WriteReview['state'];
    if (state === 'written') return 'written';
    if (state === 'rejected' || state === 'timed_out') return 'rejected';
    if (state === 'stale') {
      ctx.status.warnings.push(
        `${ctx.path} changed after its diff was shown: nothing written; here is the new diff`
      );
      continue;
    }
    // The model did not call writeFile, or called it with other arguments (refused).
    ctx.status.warnings.push(`round ${round}: the publisher did not propose the declared write; asked again`);
  }
  write.state = 'failed';
  write.error = `no approved write after ${MAX_ROUNDS} rounds`;
  throw ApplicationFailure.nonRetryable(
    `${ctx.path} was not written: ${write.error} (${ctx.status.warnings.at(-1) ?? ''})`,
    'WriteNotApplied'
  );
}

function publisherAgent(writeTool: Tool): Agent {
  return new Agent({
    name: 'Publisher',
    instructions:
      'You publish a finished report into the one file the user allowed. Call writeFile once with exactly ' +
      'the path and sha256 you are given. A person reviews the diff and approves or rejects the call.',
    tools: [writeTool],
    modelSettings: { toolChoice: WRITE_TOOL },
    // The tool's result is the run's result: no second model call after the decision.
    toolUseBehavior: 'stop_on_first_tool',
  });
}

function publisherBrief(ctx: PublishContext, round: number): string {
  return JSON.stringify({
    task: 'Write the rendered report to the file.',
    path: ctx.path,
    sha256: ctx.report.sha256,
    bytes: ctx.report.bytes,
    ...(round > 1 ? { round } : {}),
  });
}

/** Why a call may not even be put before a person: it names another file or other content. */
function checkArguments(args: unknown, ctx: PublishContext): string | undefined {
  const { path, sha256 } = (args ?? {}) as { path?: unknown; sha256?: unknown };
  if (path !== ctx.path) return `this run may write only ${ctx.path}, not ${JSON.stringify(path)}`;
  if (sha256 !== ctx.report.sha256)
    return `the content must be the rendered report (sha256 ${ctx.report.sha256}), not ${JSON.stringify(sha256)}`;
  return undefined;
}

function writeFileTool(ctx: PublishContext, write: WriteReview): Tool {
  return tool({
    name: WRITE_TOOL,
    description:
      'Write the rendered report (named by its sha256) into the file the run may write. Needs approval.',
    parameters: stringParameters({
      path: 'The absolute path of the file to write.',
      sha256: 'The sha256 of the rendered report to write.',
    }),
    needsApproval: true,
    // Failures are the workflow's to handle (retries are Temporal's), not the model's to read.
    errorFunction: null,
    execute: async () => {
      ctx.status.phase = 'applying_write';
      try {
        write.written = await ctx.files.writeFile({
          workflowId: ctx.workflowId,
          path: ctx.path,
          source: ctx.report,
          expectBefore: write.diff?.before?.sha256 ?? null,
          by: ctx.status.review?.decisions.findLast((d) => d.callId === write.callId)?.by,
        });
        write.state = 'written';
        return `written: ${ctx.path} (sha256 ${write.written.after.sha256})`;
      } catch (err) {
        if (isCancellation(err)) throw err;
        write.error = describeError(err);
        if (rootFailure(err)?.type === 'FileChangedSinceReview') {
          write.state = 'stale';
          return `not written: ${write.error}`;
        }
        write.state = 'failed';
        throw err;
      }
    },
  });
}
