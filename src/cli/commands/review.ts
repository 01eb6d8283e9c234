import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import type { Command } from 'commander';
import type { ResearchClient } from '../../client/research.js';
import { UserError } from '../../common/errors.js';
import type { ResearchStatus, ReviewDecision } from '../../common/research-types.js';
import { ReplacementPlan, REVIEW_LIMITS, type ApprovePlan } from '../../workflows/review-input.js';
import { onRun } from './on-run.js';

type WithRun = (
  needsWorker: boolean,
  fn: (ctx: { research: ResearchClient }) => Promise<void>
) => Promise<void>;

const PLAN_FILE_BYTES = 64 * 1024;
/** Lines of a pending diff that `status` prints (the API and the UI show all of it). */
const DIFF_LINES = 200;

/** Who decides from this shell: recorded with every decision, in the status and in the history. */
export function cliReviewer(): string {
  let user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name stands.
  }
  return `cli:${user}@${os.hostname()}`.slice(0, REVIEW_LIMITS.byChars);
}

/** A replacement plan: a JSON array of queries, each a string or {"query": "…", "reason": "…"}. */
export async function readPlanFile(file: string): Promise<NonNullable<ApprovePlan['plan']>> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UserError(`cannot read plan file ${file}: no such file`);
  if (info.size > PLAN_FILE_BYTES)
    throw new UserError(`plan file ${file} is ${info.size} bytes; the limit is ${PLAN_FILE_BYTES}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UserError(`plan file ${file} is not valid JSON: ${(err as Error).message}`, PLAN_HINT);
  }
  if (!Array.isArray(parsed))
    throw new UserError(`plan file ${file} must hold a JSON array of queries`, PLAN_HINT);
  const searches = parsed.map((entry) => (typeof entry === 'string' ? { query: entry } : entry));
  const checked = ReplacementPlan.safeParse(searches);
  if (!checked.success)
    throw new UserError(
      `plan file ${file}: ${checked.error.issues
        .slice(0, 3)
        .map(
          (i) =>
            `${i.path.length ? `search ${Number(i.path[0]) + 1}${i.path.length > 1 ? `.${i.path.slice(1).join('.')}` : ''}: ` : ''}${i.message}`
        )
        .join('; ')}`,
      PLAN_HINT
    );
  return searches as NonNullable<ApprovePlan['plan']>;
}

const PLAN_HINT = `e.g. ["retry policy for activities", {"query": "workflow updates", "reason": "approval"}] (1-${REVIEW_LIMITS.planSearches} searches)`;

/** The review section of `steadfast status`: what waits, the diff, and every decision. */
export function describeReview(s: ResearchStatus): string[] {
  const review = s.review;
  if (!review) return [];
  const lines: string[] = [];
  const plan = review.plan;
  if (plan) {
    lines.push(
      `plan review: ${plan.state}${plan.state === 'pending' && plan.deadline ? ` (until ${plan.deadline}, then ${review.onTimeout})` : ''}`
    );
    plan.proposed.forEach((p, i) => lines.push(`  ${i + 1}. ${p.query} — ${p.reason}`));
  }
  for (const call of review.calls.filter((c) => c.state === 'pending' && c.callId !== review.write?.callId)) {
    lines.push(
      `tool call ${call.callId} [${call.state}]: ${call.agent} → ${call.tool} ${call.arguments.slice(0, 300)}`
    );
  }
  const write = review.write;
  if (write) {
    const diff = write.diff;
    lines.push(
      `write: ${write.path} [${write.state}]${diff ? ` +${diff.added} -${diff.removed}, ${diff.before ? `replaces ${diff.before.bytes} bytes` : 'a new file'}` : ''}${write.callId ? ` (call ${write.callId})` : ''}`
    );
    if (write.error) lines.push(`  ${write.error}`);
    if (diff && write.state === 'pending') {
      const shown = diff.diff.split('\n');
      lines.push(...shown.slice(0, DIFF_LINES).map((l) => `  ${l}`));
      if (shown.length > DIFF_LINES)
        lines.push(`  … ${shown.length - DIFF_LINES} more lines (status --json has all)`);
    }
    const done = write.written?.rolledBack;
    if (done)
      lines.push(
        `  rolled back (${done.action}) by ${done.by} at ${done.at}${done.forced ? ' (forced)' : ''}`
      );
  }
  if (review.decisions.length > 0) lines.push('decisions:');
  for (const d of review.decisions)
    lines.push(
      `  ${d.at}  ${d.by}  ${d.stage} ${d.decision}${d.detail ? ` — ${d.detail}` : ''}${d.reason ? ` (${d.reason})` : ''}`
    );
  const notice = reviewNotice(s);
  if (notice) lines.push(notice.trimEnd());
  return lines;
}

/** One decision on one line: what, by whom, when, why. */
export function describeDecision(d: ReviewDecision): string {
  const what = d.stage === 'tool' ? `${d.tool ?? 'tool call'} ${d.decision}` : `${d.stage} ${d.decision}`;
  return `${what}${d.detail && d.stage !== 'tool' ? ` (${d.detail})` : ''} by ${d.by} at ${d.at}${d.reason ? `: ${d.reason}` : ''}`;
}

/** How to decide what the run waits for, or undefined when it waits for no review. */
export function reviewNotice(s: ResearchStatus): string | undefined {
  const id = s.workflowId;
  if (s.phase === 'awaiting_plan_approval')
    return `waiting for the plan's approval (${s.review?.plan?.proposed.length ?? 0} searches):\n  npx steadfast approve ${id} [--plan FILE]   or   npx steadfast reject ${id} [--reason TEXT]\n`;
  if (s.phase === 'awaiting_write_approval')
    return `waiting for approval to write ${s.review?.write?.path} (diff: npx steadfast status ${id}):\n  npx steadfast approve ${id}   or   npx steadfast reject ${id} [--reason TEXT]\n`;
  const pending = s.review?.calls.filter((c) => c.state === 'pending') ?? [];
  if (s.phase === 'awaiting_tool_approval' && pending.length > 0)
    return `waiting for approval of ${pending.map((c) => `${c.tool} (call ${c.callId})`).join(', ')}:\n  npx steadfast approve ${id} --call ID   or   npx steadfast reject ${id} --call ID\n`;
  return undefined;
}

export function registerReviewCommands(program: Command, withRun: WithRun): void {
  onRun(
    program,
    'approve',
    'Approve what a run waits for: its plan (or --plan FILE instead), or a tool call such as the file write.'
  )
    .option(
      '--plan <file>',
      'run these searches instead: a JSON array of queries (strings or {query, reason})'
    )
    .option('--call <callId>', 'the tool call to approve, when several wait')
    .option('--reason <text>', 'why (kept with the decision)')
    .option('--json', 'print the decision as JSON')
    .action(
      async (workflowId: string, opts: { plan?: string; call?: string; reason?: string; json?: boolean }) => {
        const plan = opts.plan ? await readPlanFile(opts.plan) : undefined;
        await withRun(true, async ({ research }) => {
          const decided = await research.approve(workflowId, {
            ...decision(opts),
            ...(plan ? { plan } : {}),
          });
          printDecision(workflowId, decided, opts.json);
        });
      }
    );

  onRun(
    program,
    'reject',
    'Reject what a run waits for: its plan (the run ends as rejected, no search) or a tool call (nothing written).'
  )
    .option('--reason <text>', 'why (kept with the decision)')
    .option('--call <callId>', 'the tool call to reject, when several wait')
    .option('--json', 'print the decision as JSON')
    .action(async (workflowId: string, opts: { reason?: string; call?: string; json?: boolean }) => {
      await withRun(true, async ({ research }) => {
        const decided = await research.reject(workflowId, decision(opts));
        printDecision(workflowId, decided, opts.json);
      });
    });

  onRun(
    program,
    'rollback',
    "Undo a run's approved write: restore the file's previous bytes (or remove a file the run created)."
  )
    .option('--force', 'roll back even though the file changed after the write (its current content is kept)')
    .option('--reason <text>', 'why (kept with the rollback)')
    .option('--json', 'print the write record as JSON')
    .action(async (workflowId: string, opts: { force?: boolean; reason?: string; json?: boolean }) => {
      await withRun(true, async ({ research }) => {
        const done = await research.rollback(workflowId, {
          by: cliReviewer(),
          force: opts.force === true,
          ...(opts.reason ? { reason: opts.reason } : {}),
        });
        const r = done.record.rolledBack!;
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ workflowId, rollbackWorkflowId: done.rollbackWorkflowId, already: done.already, ...done.record })}\n`
          );
          return;
        }
        process.stdout.write(
          `${workflowId}: ${done.already ? 'already rolled back' : 'rolled back'}: ${done.record.path} ${r.action === 'removed' ? 'removed (the run had created it)' : `restored to its previous content (sha256 ${done.record.before?.sha256.slice(0, 12)})`}\n` +
            `  by ${r.by} at ${r.at}${r.forced ? ' (forced over later changes, kept in the artifact store)' : ''}; history: npx steadfast inspect ${done.rollbackWorkflowId}\n`
        );
      });
    });
}

/** What approve and reject both send: who decides, why, and which tool call when several wait. */
function decision(opts: { reason?: string; call?: string }) {
  return {
    by: cliReviewer(),
    ...(opts.reason ? { reason: opts.reason } : {}),
    ...(opts.call ? { callId: opts.call } : {}),
  };
}

function printDecision(
  workflowId: string,
  decided: Awaited<ReturnType<ResearchClient['approve']>>,
  json?: boolean
) {
  const d = decided.decision;
  const s = decided.status;
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ workflowId, stage: decided.stage, decision: d, phase: s.phase })}\n`
    );
    return;
  }
  const subject = decided.stage === 'plan' ? 'plan' : (d?.tool ?? 'tool call');
  const what = `${subject} ${d?.decision ?? 'decided'}${decided.stage === 'plan' && d?.detail ? ` (${d.detail})` : ''}`;
  const next =
    decided.stage === 'plan'
      ? d?.decision === 'rejected'
        ? 'the run ends as rejected'
        : 'the searches start'
      : d?.decision === 'rejected'
        ? `${d.tool} does not run${d.tool === 'writeFile' ? ': nothing is written' : ''}`
        : d?.tool === 'writeFile'
          ? `the file is written next (\`npx steadfast status ${workflowId}\`)`
          : 'the call runs next';
  process.stdout.write(`${workflowId}: ${what} by ${d?.by ?? cliReviewer()}; ${next}\n`);
}
