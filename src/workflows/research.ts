import { ApplicationFailure, condition, isCancellation, patched, workflowInfo } from '@temporalio/workflow';
import type {
  ResearchOutcome,
  ResearchStatus,
  RejectedResult,
  ReviewDecision,
  WebStatus,
} from '../common/research-types.js';
import { durationMs } from '../common/duration.js';
import { clarifierAgent } from './agents/clarifier.js';
import { plannerAgent, type SearchPlan } from './agents/planner.js';
import { triageAgent } from './agents/triage.js';
import { numberCitations, type Evidence } from './citations.js';
import { fitEvidence, mergeEvidence } from './evidence.js';
import { plainProse } from './plain-text.js';
import { boundedAll } from './concurrency.js';
import { describeError, isUnusableModelOutput } from './failures.js';
import { ResearchInput, type ResearchParams } from './input.js';
import { validatedInput } from './validated-input.js';
import { researchActivities, type WebToolActivities } from './research/activities.js';
import { agentRunner, type RunAgent } from './research/agent-runner.js';
import { toolApprovals } from './research/approvals.js';
import { publishReport } from './research/publish.js';
import { reviewGate } from './research/review.js';
import { runSearch } from './research/search.js';
import {
  bounded,
  clarificationContext,
  clarificationPairs,
  failedSearchesNote,
  unreadPagesNote,
  handleMessages,
  initialStatus,
  type ClarificationGate,
} from './research/status.js';
import { verifyReport } from './research/verify.js';
import { withSourcesListed } from './research/digest.js';
import { usableFollowUps, usablePlan } from './research/plan-checks.js';
import { writeReport } from './research/write.js';

/**
 * Interactive deep research: triage → clarifying questions answered through an Update (minutes or
 * days later) → plan (approved by a person with --review-plan) → bounded parallel searches → cited
 * report → Markdown + PDF → (with --write-to) the approved write into the user's file.
 */
export async function research(rawInput: ResearchInput): Promise<ResearchOutcome> {
  const input = validatedInput(ResearchInput, rawInput, 'research');
  const { workflowId } = workflowInfo();
  const status = initialStatus(workflowId, input);
  const gate = handleMessages(status);
  const review = reviewGate(status, input);
  const approvals = toolApprovals(review);
  const { prepareCorpus, corpus, web, renderReport, files } = researchActivities(input.taskQueues?.tools);
  // --web alone searches the web only; with a corpus folder, both.
  const useCorpus = !input.web || input.corpus !== undefined;
  const runAgent = agentRunner(input, workflowId, status.usage, approvals);
  const asked = `${input.question}${preferences(input)}`;

  try {
    // 1. The sources: the corpus indexed once per content hash (unreadable files reported, never
    //    fatal); for web research, the worker's search provider.
    status.phase = 'preparing';
    if (useCorpus) {
      const prepared = await prepareCorpus({ corpus: input.corpus });
      status.corpus = { ...prepared, skipped: prepared.skipped.length };
      for (const s of prepared.skipped.slice(0, 20)) status.warnings.push(`skipped ${s.path}: ${s.reason}`);
    }
    if (input.web) status.web = await webProvider(web);

    // 2. Triage and clarification through Updates, with a durable timeout.
    if (input.clarify) await clarify(input, asked, status, gate, runAgent);

    // 3. The plan.
    status.phase = 'planning';
    // Each query once; a plan with no query about the question still searches for the question.
    let planned = usablePlan(
      await plan(input, `${asked}${clarificationContext(status)}`, status, runAgent),
      input.question,
      input.maxSearches,
      // Runs planned before duplicate queries were merged keep their plan as it was.
      patched('plan-queries-once') ? 'once' : 'as-planned'
    );
    // 3b. With --review-plan, a person approves, replaces or rejects the plan before any search.
    if (input.reviewPlan) {
      const decided = await review.reviewPlan(planned);
      if ('rejected' in decided) return rejectedRun(input, status, decided.rejected);
      planned = decided.searches;
    }
    status.searches = planned.map((s, index) => ({ index, ...s, state: 'pending', attempts: 0, found: 0 }));

    // 4. Bounded parallel searches; each one's state is visible; partial failure is reported.
    status.phase = 'searching';
    const found: Evidence[][] = status.searches.map(() => []);
    const searchContext = {
      question: input.question,
      corpus: useCorpus ? input.corpus : (false as const),
      activities: corpus,
      ...(status.web ? { web: { activities: web, unread: status.web.unread } } : {}),
      runAgent,
      corpusFirst: patched('search-reads-the-corpus-first'),
    };
    await boundedAll(status.searches, input.searchConcurrency, async (search) => {
      found[search.index] = await runSearch(search, searchContext);
    });
    const evidence = mergeEvidence(found);
    const failed = status.searches.filter((s) => s.state === 'failed');
    if (evidence.size === 0) {
      throw ApplicationFailure.nonRetryable(
        `No search produced any evidence (${failed.length} of ${status.searches.length} failed: ` +
          `${failed.map((s) => `"${s.query}": ${s.error}`).join('; ') || 'no passages matched'}). ` +
          'Check the corpus path and that it holds documents about the question.',
        'NoEvidence'
      );
    }

    // 5. The cited report: the writer cites `[sourceId]`s; they become numbered citations.
    status.phase = 'writing';
    const passages = fitEvidence(
      [...evidence.values()],
      { contextTokens: input.modelContextTokens, maxOutputTokens: input.modelMaxOutputTokens },
      status.warnings
    );
    const brief = {
      question: input.question,
      ...(input.preferences ? { preferences: input.preferences } : {}),
      clarifications: clarificationPairs(status),
      evidence: passages.map((p) => ({ sourceId: p.sourceId, title: p.title, excerpt: p.excerpt })),
    };
    const draft = await writeReport(runAgent, input.format, brief, status);
    const report = {
      title: draft.title.trim().slice(0, 200) || input.question.slice(0, 200),
      summary: plainProse(draft.summary).slice(0, 4000),
      markdown: draft.markdown.trim().slice(0, 60_000),
      followUps: usableFollowUps(draft.followUps),
    };
    let numbered = numberCitations([report.summary, report.markdown], evidence);
    // A report that cites nothing still shows what it was written from, so a reader can check it.
    if (numbered.citations.length === 0) {
      report.markdown = withSourcesListed(report, brief).markdown;
      numbered = numberCitations([report.summary, report.markdown], evidence);
    }
    const { citations } = numbered;

    // 6. Verification: every cited claim checked against its passages; unsupported ones are marked.
    status.phase = 'verifying';
    const checked = await verifyReport(
      { summary: numbered.texts[0]!, markdown: numbered.texts[1]! },
      citations,
      evidence,
      input.verifier ? { verifier: runAgent } : {}
    );
    status.verification = checked.verification;
    const { summary } = checked;
    const notes = [
      ...(failed.length > 0 ? [failedSearchesNote(failed)] : []),
      ...(status.web && status.web.unread.length > 0 ? [unreadPagesNote(status.web.unread)] : []),
    ];
    const body = [checked.markdown, ...notes].join('\n\n');

    // 7. Render Markdown + PDF into the artifact store (one report per run, whatever the retries).
    status.phase = 'rendering';
    status.artifacts = await renderReport({
      workflowId,
      title: report.title,
      question: input.question,
      summary,
      markdown: body,
      format: input.format,
      citations,
      followUps: report.followUps,
      generatedAt: status.startedAt,
    });
    // 8. With --write-to, the approved write of report.md into the user's file (docs/review.md).
    const outcome =
      input.writeTo === undefined
        ? 'completed'
        : (await publishReport({
              workflowId,
              path: input.writeTo,
              report: status.artifacts.markdown,
              status,
              runAgent,
              approvals,
              files,
            })) === 'written'
          ? 'completed'
          : 'rejected';
    status.phase = outcome;
    return {
      workflowId,
      title: report.title,
      summary,
      markdown: body,
      followUps: report.followUps,
      citations,
      searches: status.searches,
      artifacts: status.artifacts,
      verification: checked.verification,
      ...(status.web ? { web: status.web } : {}),
      usage: status.usage,
      clarification: status.clarification,
      questions: status.questions,
      answers: status.answers,
      ...(status.review ? { outcome, review: status.review } : {}),
    };
  } catch (err) {
    status.phase = isCancellation(err) ? 'cancelled' : 'failed';
    if (!isCancellation(err)) status.errors.push(describeError(err));
    throw err;
  }
}

/**
 * Triage, then (when needed) the clarifier's questions, then a durable wait for the
 * answerClarifications or skipClarifications Update — or the timeout, after which the run
 * proceeds with "no preference".
 */
async function clarify(
  input: ResearchParams,
  asked: string,
  status: ResearchStatus,
  gate: ClarificationGate,
  runAgent: RunAgent
): Promise<void> {
  status.phase = 'triage';
  const decision = await runAgent(triageAgent(), asked);
  if (decision.needsClarification) {
    status.phase = 'clarifying';
    const { questions } = await runAgent(clarifierAgent(), asked);
    status.questions = bounded(questions, 300);
  }
  if (status.questions.length === 0) return;
  status.clarification = 'pending';
  status.phase = 'awaiting_answers';
  gate.awaiting = true;
  const timeout = durationMs(input.clarificationTimeout);
  status.clarificationDeadline = new Date(Date.now() + timeout).toISOString();
  const answered = await condition(() => !gate.awaiting, timeout);
  if (!answered) {
    gate.awaiting = false;
    status.clarification = 'timed_out';
    status.warnings.push('no answers before the clarification timeout: proceeding with "no preference"');
  }
}

/** A run whose plan was rejected: it completes with no search performed and no report. */
function rejectedRun(
  input: ResearchParams,
  status: ResearchStatus,
  rejection: ReviewDecision
): RejectedResult {
  status.phase = 'rejected';
  return {
    workflowId: status.workflowId,
    outcome: 'rejected',
    question: input.question,
    rejection,
    review: status.review!,
    usage: status.usage,
  };
}

/** The worker's search provider for a --web run; without one the run stops here, saying how to set one. */
async function webProvider(web: WebToolActivities): Promise<WebStatus> {
  const { search } = await web.describeWebTools();
  if (search.provider === null) {
    throw ApplicationFailure.nonRetryable(
      `web research needs a search provider: ${search.reason}`,
      'WebSearchNotConfigured'
    );
  }
  return { provider: search.provider, unread: [] };
}

/** The planner's searches; when its output is unusable, the question itself is the one search. */
async function plan(
  input: ResearchParams,
  prompt: string,
  status: ResearchStatus,
  runAgent: RunAgent
): Promise<SearchPlan['searches']> {
  try {
    return (await runAgent(plannerAgent(input.maxSearches), prompt)).searches;
  } catch (err) {
    if (!isUnusableModelOutput(err)) throw err;
    status.warnings.push(
      `the planner's output was unusable (${describeError(err)}): searching for the question`
    );
    return [];
  }
}

function preferences(input: ResearchParams): string {
  return input.preferences ? `\n\nPreferences: ${input.preferences}` : '';
}
