import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseResearchRequest, ResearchClient } from '../../client/research.js';
import { UserError } from '../../common/errors.js';
import { splitQueues, workflowUiLink, type TemporalSettings } from '../../common/temporal-settings.js';
import { attach, readAnswersFile, type AttachOutcome } from '../attach.js';
import { openEnvironment } from '../environment.js';
import { modelLimits } from '../../common/model-endpoint.js';
import { resolveWriteTarget } from '../../client/write-target.js';
import { describeDecision, describeReview } from './review.js';
import type { LiveStatus, ResearchResult } from '../../common/research-types.js';

/** `--corpus` names one folder: a second one would silently replace the first. */
function oneCorpus(dir: string, previous: string | undefined): string {
  if (previous !== undefined && previous !== dir)
    throw new InvalidArgumentError(
      `a run searches one folder, and both ${previous} and ${dir} were given: pass the folder that holds both ` +
        '(links that point outside the corpus folder are not followed).'
    );
  return dir;
}

interface ResearchFlags {
  corpus?: string;
  answers?: string;
  clarify: boolean;
  format: 'report' | 'checklist';
  out?: string;
  json?: boolean;
  model?: string;
  requestId?: string;
  preferences?: string;
  maxSearches?: number;
  searchConcurrency?: number;
  verifier?: boolean;
  web?: boolean;
  clarificationTimeout?: string;
  reviewPlan?: boolean;
  writeTo?: string;
  reviewTimeout?: string;
  onTimeout?: 'proceed' | 'reject';
  approveTool: string[];
  worker: boolean;
  wait: boolean;
}

export function registerResearchCommand(program: Command): void {
  program
    .command('research')
    .description(
      'Research a question over a document corpus: clarifying questions, parallel searches, a cited report (Markdown + PDF).'
    )
    .argument('<question>', 'what to research')
    .option(
      '--corpus <dir>',
      'folder of .md/.txt/.html/.pdf documents (default: the docs installed with steadfast)',
      oneCorpus
    )
    .option('--answers <file>', 'answers to the clarifying questions: a JSON list or one per line')
    .option('--no-clarify', 'skip triage and clarifying questions')
    .addOption(
      new Option('--format <format>', 'report or checklist')
        .choices(['report', 'checklist'])
        .default('report')
    )
    .option('--out <dir>', 'copy report.md and report.pdf into this folder')
    .option('--json', 'print exactly one JSON object at the end')
    .option('--model <name>', 'model name for every agent (env STEADFAST_MODEL)')
    .option('--preferences <text>', 'preferences to take into account')
    .option('--request-id <id>', 'idempotency key: the same id returns the same run')
    .option('--max-searches <n>', 'upper bound on planned searches (1–8)', (v) => Number.parseInt(v, 10))
    .option(
      '--search-concurrency <n>',
      "searches in flight at once (1–8; match a local model server's slots)",
      (v) => Number.parseInt(v, 10)
    )
    .option(
      '--web',
      'research the web too (a search provider configured on the workers); alone, the web only'
    )
    .option('--verifier', 'ask a verifier agent about claims the support check doubts (for real models)')
    .option(
      '--clarification-timeout <duration>',
      'how long to wait for answers, e.g. "24 hours", "10 minutes"'
    )
    .option('--review-plan', 'wait for `steadfast approve|reject` of the plan before any search')
    .option(
      '--write-to <file>',
      'write the report or checklist into this file after `steadfast approve` of its diff (undo: `steadfast rollback`)'
    )
    .option('--review-timeout <duration>', 'how long each review waits for a decision (default "24 hours")')
    .addOption(
      new Option(
        '--on-timeout <action>',
        'when the plan review times out: proceed with the plan, or reject the run'
      ).choices(['proceed', 'reject'])
    )
    .option(
      '--approve-tool <name>',
      'ask before every call of this agent tool, e.g. searchCorpus (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[]
    )
    .option('--no-worker', 'do not run a worker in this process (use separately started `steadfast worker`s)')
    .option('--no-wait', 'start the run, print its id and return')
    .action(async (question: string, flags: ResearchFlags) => {
      const answers = flags.answers ? await readAnswersFile(flags.answers) : undefined;
      const request = {
        question,
        format: flags.format,
        clarify: flags.clarify,
        ...(flags.corpus ? { corpus: path.resolve(flags.corpus) } : {}),
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.preferences ? { preferences: flags.preferences } : {}),
        ...(flags.requestId ? { requestId: flags.requestId } : {}),
        ...(flags.maxSearches ? { maxSearches: flags.maxSearches } : {}),
        ...(flags.searchConcurrency ? { searchConcurrency: flags.searchConcurrency } : {}),
        ...(flags.verifier ? { verifier: true } : {}),
        ...(flags.web ? { web: true } : {}),
        ...(flags.clarificationTimeout ? { clarificationTimeout: flags.clarificationTimeout } : {}),
        ...reviewRequest(flags),
      };
      parseResearchRequest(request); // bad input fails here, before any server starts
      const env = await openEnvironment({ worker: flags.worker ? 'auto' : false, clientPlugin: true });
      try {
        const research = new ResearchClient({
          client: env.client,
          taskQueue: env.settings.taskQueue,
          defaultModel: env.endpoint?.model,
          modelLimits: modelLimits(env.endpoint),
          taskQueues: splitQueues(env.settings),
        });
        const { workflowId, existing } = await research.start(request);
        const ui = workflowUiLink(env.settings, workflowId);
        process.stderr.write(
          `research ${existing ? 're-attached to' : 'started'}: ${workflowId}${ui ? `\nTemporal UI: ${ui}` : ''}\n`
        );
        if (!flags.wait) {
          if (flags.json) process.stdout.write(`${JSON.stringify({ workflowId, status: 'RUNNING', ui })}\n`);
          return;
        }
        const outcome = await attach(research, workflowId, {
          answers,
          interactive: !answers && !flags.json && process.stdin.isTTY === true,
          showProgress: true,
        });
        await report(outcome, workflowId, env.settings, flags);
      } finally {
        await env.close();
      }
    });
}

/** The review fields of a research request, from the flags (a bad combination is a usage error). */
function reviewRequest(flags: ResearchFlags) {
  if (flags.onTimeout === 'proceed' && !flags.reviewPlan)
    throw new UserError(
      '--on-timeout proceed applies to the plan review: add --review-plan',
      'a write is never made without a decision: at its timeout it is rejected'
    );
  if (
    (flags.reviewTimeout || flags.onTimeout) &&
    !flags.reviewPlan &&
    !flags.writeTo &&
    flags.approveTool.length === 0
  )
    throw new UserError('--review-timeout and --on-timeout need --review-plan, --write-to or --approve-tool');
  return {
    ...(flags.reviewPlan ? { reviewPlan: true } : {}),
    ...(flags.writeTo !== undefined ? { writeTo: resolveWriteTarget(flags.writeTo) } : {}),
    ...(flags.reviewTimeout ? { reviewTimeout: flags.reviewTimeout } : {}),
    ...(flags.onTimeout ? { onReviewTimeout: flags.onTimeout } : {}),
    ...(flags.approveTool.length > 0 ? { approveTools: flags.approveTool } : {}),
  };
}

/** Prints how a run ended, in text or as the one JSON object of --json; sets the exit code. */
export async function report(
  outcome: AttachOutcome,
  workflowId: string,
  settings: TemporalSettings,
  flags: { json?: boolean; out?: string }
): Promise<void> {
  const ui = workflowUiLink(settings, workflowId);
  if (outcome.kind === 'detached') {
    process.stderr.write(
      `\ndetached; the run goes on whenever a worker runs (\`npx steadfast worker\`).\n` +
        `  re-attach: npx steadfast result ${workflowId}\n  status:    npx steadfast status ${workflowId}\n`
    );
    return;
  }
  if (outcome.kind === 'ended') {
    const s = outcome.status;
    const rejection =
      s.phase === 'rejected' ? s.review?.decisions.findLast((d) => d.decision !== 'approved') : undefined;
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ workflowId, status: s.execution, phase: s.phase, ...(rejection ? { outcome: 'rejected', rejection } : {}), error: s.failure ?? s.errors.at(-1), searches: s.searches, usage: s.usage, ui })}\n`
      );
    } else {
      process.stderr.write(
        `research ${workflowId} ended: ${s.execution} (${s.phase})${s.failure ? `\n  ${s.failure}` : ''}${rejection ? `\n  ${describeDecision(rejection)}` : ''}\n`
      );
      if (ui) process.stderr.write(`Temporal UI: ${ui}\n`);
    }
    process.exitCode = 1;
    return;
  }
  const result = outcome.result;
  const paths = await placeArtifacts(result, flags.out);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(resultJson(result, paths))}\n`);
    return;
  }
  printResult(result, paths, ui);
}

export function resultJson(result: ResearchResult, paths: { reportPath: string; pdfPath: string }) {
  return {
    workflowId: result.workflowId,
    status: 'COMPLETED',
    title: result.title,
    summary: result.summary,
    markdown: result.markdown,
    reportPath: paths.reportPath,
    pdfPath: paths.pdfPath,
    citations: result.citations.map((c) => ({
      n: c.n,
      path: c.path,
      sourceId: c.sourceId,
      excerpt: c.excerpt,
      ...(c.fetchedAt ? { fetchedAt: c.fetchedAt } : {}),
    })),
    followUps: result.followUps,
    searches: result.searches,
    verification: result.verification,
    ...(result.web ? { web: result.web } : {}),
    ...(result.review ? { outcome: result.outcome, review: result.review } : {}),
    usage: result.usage,
  };
}

async function placeArtifacts(
  result: ResearchResult,
  out?: string
): Promise<{ reportPath: string; pdfPath: string }> {
  if (!out) return { reportPath: result.artifacts.markdown.path, pdfPath: result.artifacts.pdf.path };
  const dir = path.resolve(out);
  await mkdir(dir, { recursive: true });
  const reportPath = path.join(dir, 'report.md');
  const pdfPath = path.join(dir, 'report.pdf');
  try {
    await copyFile(result.artifacts.markdown.path, reportPath);
    await copyFile(result.artifacts.pdf.path, pdfPath);
  } catch (err) {
    throw new UserError(
      `cannot copy the report into ${dir}: ${(err as Error).message}`,
      'the artifacts live on the worker machine; run the CLI where the workers share its data dir, or omit --out'
    );
  }
  return { reportPath, pdfPath };
}

function printResult(
  result: ResearchResult,
  paths: { reportPath: string; pdfPath: string },
  ui?: string
): void {
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w(`\n${result.title}\n${'='.repeat(Math.min(result.title.length, 80))}\n`);
  w(result.summary);
  w('');
  const failed = result.searches.filter((s) => s.state === 'failed');
  w(
    `searches: ${result.searches.length - failed.length}/${result.searches.length} done${failed.length ? ` (${failed.length} failed: see the report)` : ''} · citations: ${result.citations.length} · model calls: ${result.usage.requests} · tokens: ${result.usage.totalTokens}`
  );
  const v = result.verification;
  if (v && v.unsupported.length > 0) {
    w(
      `unsupported claims (marked in the report): ${v.unsupported.length} of ${v.checked + v.uncitedSummary}`
    );
    for (const c of v.unsupported.slice(0, 5)) w(`  - ${c.claim.slice(0, 120)} — ${c.note ?? ''}`);
  }
  const write = result.review?.write;
  if (write?.state === 'written')
    w(`written:  ${write.path} (undo: npx steadfast rollback ${result.workflowId})`);
  w(`report:   ${paths.reportPath}`);
  w(`pdf:      ${paths.pdfPath}`);
  w(`workflow: ${result.workflowId}`);
  if (ui) w(`Temporal UI: ${ui}`);
}

export function describeStatus(s: LiveStatus): string {
  const lines = [`${s.workflowId}: ${s.execution} · phase ${s.phase}`, `question: ${s.question}`];
  if (s.questions.length > 0) {
    lines.push(`clarification: ${s.clarification}`);
    s.questions.forEach((q, i) => lines.push(`  ${i + 1}. ${q}${s.answers ? `  → ${s.answers[i]}` : ''}`));
  }
  for (const search of s.searches) {
    lines.push(
      `  search ${search.index + 1} [${search.state}${search.attempts > 1 ? `, attempt ${search.attempts}` : ''}] ${search.query}${search.error ? ` — ${search.error}` : ''}`
    );
  }
  for (const a of s.pendingActivities) {
    lines.push(
      `  in flight: ${a.activityType} attempt ${a.attempt}${a.lastFailure ? ` (last failure: ${a.lastFailure})` : ''}`
    );
  }
  lines.push(`usage: ${s.usage.requests} model calls, ${s.usage.totalTokens} tokens`);
  if (s.artifacts) lines.push(`report: ${s.artifacts.markdown.path}`, `pdf:    ${s.artifacts.pdf.path}`);
  if (s.verification) {
    const v = s.verification;
    lines.push(
      `verification: ${v.supported}/${v.checked} cited claims supported, ${v.unsupported.length} unsupported`
    );
  }
  if (s.review) lines.push(...describeReview(s));
  for (const w of s.warnings.slice(0, 5)) lines.push(`warning: ${w}`);
  for (const e of s.errors) lines.push(`error: ${e}`);
  if (s.failure) lines.push(`failure: ${s.failure}`);
  return lines.join('\n');
}
