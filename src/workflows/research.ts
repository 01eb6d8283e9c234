import { tool, type Agent } from '@openai/agents-core';
import { TemporalOpenAIRunner } from '@temporalio/openai-agents/workflow';
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time.js';
import type { corpusActivities } from '../activities/corpus.js';
import type { renderActivities } from '../activities/render.js';
import { clarifierAgent } from './agents/clarifier.js';
import { plannerAgent, type SearchPlan } from './agents/planner.js';
import { searcherAgent } from './agents/searcher.js';
import { triageAgent } from './agents/triage.js';
import { writerAgent, type ResearchReport } from './agents/writer.js';
import { numberCitations, type Evidence } from './citations.js';
import {
  answerClarificationsUpdate,
  cancelReasonSignal,
  skipClarificationsUpdate,
  statusQuery,
} from './messages.js';
import { MODEL_ACTIVITY } from './model-params.js';
import { boundedAll } from './concurrency.js';
import {
  checkAnswers,
  ResearchInput,
  type ResearchParams,
  type ResearchResult,
  type ResearchStatus,
  type SearchStatus,
  type Usage,
} from './types.js';

type Corpus = typeof corpusActivities;
type Render = typeof renderActivities;

const NON_RETRYABLE_INPUT = [
  'CorpusNotFound',
  'CorpusEmpty',
  'InvalidQuery',
  'SourceNotFound',
  'InvalidReport',
];

/**
 * The activities of one run, each with its own timeout and retry policy. `tools` is the task queue
 * of the corpus and render activities (the workflow's own queue unless the run names another).
 */
function activitiesOn(tools: string | undefined) {
  const queue = tools ? { taskQueue: tools } : {};
  const { prepareCorpus } = proxyActivities<Corpus>({
    ...queue,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE_INPUT },
    summary: 'index the corpus',
  });
  const corpusTools = proxyActivities<Corpus>({
    ...queue,
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '500 ms', maximumAttempts: 4, nonRetryableErrorTypes: NON_RETRYABLE_INPUT },
  });
  const { renderReport } = proxyActivities<Render>({
    ...queue,
    startToCloseTimeout: '2 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_INPUT },
    summary: 'render report.md and report.pdf',
  });
  return { prepareCorpus, corpusTools, renderReport };
}
type RunActivities = ReturnType<typeof activitiesOn>;

/**
 * Interactive deep research: triage → clarifying questions answered through an Update (minutes or
 * days later) → plan → bounded parallel searches → cited report → Markdown + PDF.
 */
export async function research(rawInput: unknown): Promise<ResearchResult> {
  const parsed = ResearchInput.safeParse(rawInput);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid research input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'InvalidInput'
    );
  }
  const input: ResearchParams = parsed.data;
  const { workflowId } = workflowInfo();
  const status: ResearchStatus = {
    workflowId,
    question: input.question,
    format: input.format,
    phase: 'starting',
    startedAt: new Date().toISOString(),
    questions: [],
    answers: null,
    clarification: input.clarify ? 'not_needed' : 'disabled',
    searches: [],
    errors: [],
    warnings: [],
    usage: { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  };
  let awaiting = false;

  setHandler(statusQuery, () => status);
  setHandler(
    answerClarificationsUpdate,
    (update) => {
      status.answers = update.answers.map((a) => a.trim());
      status.clarification = 'answered';
      awaiting = false;
      return status;
    },
    { validator: (update) => rejectIf(checkAnswers(status.questions, awaiting, update)) }
  );
  setHandler(
    skipClarificationsUpdate,
    () => {
      status.clarification = 'skipped';
      awaiting = false;
      return status;
    },
    {
      validator: () =>
        rejectIf(awaiting ? undefined : 'no clarifying questions are waiting; nothing to skip'),
    }
  );
  // Cancellation is Temporal's own (the run ends CANCELLED); this Signal only records why.
  setHandler(cancelReasonSignal, (request) => {
    status.errors.push(`cancelled: ${request.reason?.slice(0, 500) || 'by request'}`);
  });

  const { prepareCorpus, corpusTools, renderReport } = activitiesOn(input.taskQueues?.tools);
  const runner = new TemporalOpenAIRunner({
    defaultModelParams: input.taskQueues?.models
      ? { ...MODEL_ACTIVITY, taskQueue: input.taskQueues.models }
      : MODEL_ACTIVITY,
  });
  const run = async <T = any>(agent: Agent<any, any>, prompt: string, maxTurns = 6): Promise<T> => {
    const result = await runner.run(agent, prompt, {
      maxTurns,
      runConfig: { ...(input.model ? { model: input.model } : {}), workflowName: `research ${workflowId}` },
    });
    addUsage(status.usage, result.state.usage);
    return result.finalOutput as T;
  };

  try {
    return await (async () => {
      // 1. The corpus: indexed once per content hash, unreadable files reported, never fatal.
      status.phase = 'preparing';
      const corpus = await prepareCorpus({ corpus: input.corpus });
      status.corpus = { ...corpus, skipped: corpus.skipped.length };
      for (const s of corpus.skipped.slice(0, 20)) status.warnings.push(`skipped ${s.path}: ${s.reason}`);

      // 2. Triage and clarification through Updates, with a durable timeout.
      if (input.clarify) {
        status.phase = 'triage';
        const decision = await run(triageAgent(), `${input.question}${prefs(input)}`);
        if (decision.needsClarification) {
          status.phase = 'clarifying';
          const { questions } = await run<{ questions: string[] }>(
            clarifierAgent(),
            `${input.question}${prefs(input)}`
          );
          status.questions = bounded(questions, 300);
        }
        if (status.questions.length > 0) {
          status.clarification = 'pending';
          status.phase = 'awaiting_answers';
          awaiting = true;
          const deadline = Date.now() + msToNumber(input.clarificationTimeout as Duration);
          status.clarificationDeadline = new Date(deadline).toISOString();
          const answered = await condition(() => !awaiting, input.clarificationTimeout as Duration);
          if (!answered) {
            awaiting = false;
            status.clarification = 'timed_out';
            status.warnings.push(
              'no answers before the clarification timeout: proceeding with "no preference"'
            );
          }
        }
      }
      const context = clarificationContext(status);

      // 3. The plan.
      status.phase = 'planning';
      const plan = await run<SearchPlan>(
        plannerAgent(input.maxSearches),
        `${input.question}${prefs(input)}${context}`
      );
      const planned = plan.searches
        .map((s) => ({ query: s.query.trim().slice(0, 200), reason: s.reason.trim().slice(0, 400) }))
        .filter((s) => s.query.length >= 2)
        .slice(0, input.maxSearches);
      // A plan with no usable query still searches for the question itself.
      if (planned.length === 0)
        planned.push({ query: input.question.slice(0, 200), reason: 'the question as asked' });
      status.searches = planned.map((s, index) => ({ index, ...s, state: 'pending', attempts: 0, found: 0 }));

      // 4. Bounded parallel searches; each one's state is visible; partial failure is reported.
      status.phase = 'searching';
      const evidence = new Map<string, Evidence>();
      await boundedAll(status.searches, input.searchConcurrency, (search) =>
        runSearch(search, input, corpusTools, evidence, (agent, prompt) => run(agent, prompt, 8))
      );
      const failed = status.searches.filter((s) => s.state === 'failed');
      if (evidence.size === 0) {
        throw ApplicationFailure.nonRetryable(
          `No search produced any evidence (${failed.length} of ${status.searches.length} failed: ` +
            `${failed.map((s) => `"${s.query}": ${s.error}`).join('; ') || 'no passages matched'}). ` +
            'Check the corpus path and that it holds documents about the question.',
          'NoEvidence'
        );
      }

      // 5. The cited report.
      status.phase = 'writing';
      const passages = [...evidence.values()].slice(0, 24);
      const brief = {
        question: input.question,
        ...(input.preferences ? { preferences: input.preferences } : {}),
        clarifications: clarificationPairs(status),
        evidence: passages.map((p) => ({ sourceId: p.sourceId, title: p.title, excerpt: p.excerpt })),
      };
      // Evidence travels as JSON: unambiguous ids for the writer to cite. The writer's output
      // guardrail rejects a report that cites none of it; one more draft is asked for, then the
      // second draft is delivered with a warning rather than nothing.
      const evidenceIds = new Set(passages.map((p) => p.sourceId));
      let report: ResearchReport;
      try {
        report = await run(writerAgent(input.format, evidenceIds), JSON.stringify(brief));
      } catch (err) {
        if (!rejectedDraft(err)) throw err;
        status.warnings.push('the first draft cited no evidence; asked for another');
        try {
          report = await run(
            writerAgent(input.format, evidenceIds),
            JSON.stringify({ ...brief, note: 'Cite the evidence: put its [sourceId] after every claim.' })
          );
        } catch (again) {
          const draft = rejectedDraft(again);
          if (!draft) throw again;
          report = draft;
          status.warnings.push('the report cites no evidence: check its claims against the sources');
        }
      }
      report = {
        title: report.title.trim().slice(0, 200) || input.question.slice(0, 200),
        summary: report.summary.trim().slice(0, 4000),
        markdown: report.markdown.trim().slice(0, 60_000),
        followUps: bounded(report.followUps, 300),
      };
      const { texts, citations } = numberCitations([report.summary, report.markdown], evidence);
      const [summary, markdown] = texts as [string, string];
      const body = failed.length > 0 ? `${markdown}\n\n${failedSearchesNote(failed)}` : markdown;

      // 6. Render Markdown + PDF into the artifact store (one report per run, whatever the retries).
      status.phase = 'rendering';
      const artifacts = await renderReport({
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
      status.artifacts = { markdown: artifacts.markdown, pdf: artifacts.pdf };
      status.phase = 'completed';
      return {
        workflowId,
        title: report.title,
        summary,
        markdown: body,
        followUps: report.followUps,
        citations,
        searches: status.searches,
        artifacts: status.artifacts,
        usage: status.usage,
        clarification: status.clarification,
        questions: status.questions,
        answers: status.answers,
      };
    })();
  } catch (err) {
    if (isCancellation(err)) {
      status.phase = 'cancelled';
      throw err;
    }
    status.phase = 'failed';
    status.errors.push(describeError(err));
    throw err;
  }
}

/** One planned search: a searcher agent whose tools are corpus activities; retried once as a whole. */
async function runSearch(
  search: SearchStatus,
  input: ResearchParams,
  corpusTools: RunActivities['corpusTools'],
  evidence: Map<string, Evidence>,
  run: (agent: Agent<any, any>, prompt: string) => Promise<{ notes: string; sourceIds: string[] }>
): Promise<void> {
  const found = new Map<string, Evidence>();
  const tools = [
    tool({
      name: 'searchCorpus',
      description:
        'Search the document corpus (BM25). Returns passages with their sourceId, path, title and excerpt.',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', description: 'Key terms to search for.' } },
        required: ['query'],
        additionalProperties: false,
      },
      errorFunction: modelFacingErrors,
      execute: async (args) => {
        const { query } = args as { query: string };
        const result = await corpusTools.searchCorpus({ corpus: input.corpus, query, limit: 5 });
        for (const r of result.results) found.set(r.sourceId, r);
        return result;
      },
    }),
    tool({
      name: 'readDocument',
      description: 'Read a passage in context (with its neighbours) by its sourceId.',
      parameters: {
        type: 'object',
        properties: { sourceId: { type: 'string', description: 'A sourceId returned by searchCorpus.' } },
        required: ['sourceId'],
        additionalProperties: false,
      },
      errorFunction: modelFacingErrors,
      execute: async (args) => {
        const { sourceId } = args as { sourceId: string };
        return corpusTools.readDocument({ corpus: input.corpus, sourceId, window: 1 });
      },
    }),
  ];
  const maxAttempts = 2;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    search.attempts = attempt;
    search.state = attempt === 1 ? 'running' : 'retrying';
    try {
      const findings = await run(
        searcherAgent(tools),
        `${search.query}\n\n(for the question: ${input.question})`
      );
      // Keep the passages the searcher found relevant first, then the rest of what it retrieved.
      const chosen = findings.sourceIds.filter((id) => found.has(id));
      for (const id of [...chosen, ...found.keys()]) if (!evidence.has(id)) evidence.set(id, found.get(id)!);
      search.found = found.size;
      search.state = 'done';
      search.error = undefined;
      return;
    } catch (err) {
      if (isCancellation(err)) throw err;
      search.error = describeError(err);
      if (attempt === maxAttempts || !isRetryable(err)) {
        search.state = 'failed';
        return;
      }
    }
  }
}

/** Mistakes the model can fix (a blank query, an unknown sourceId) go back to it; anything else fails the search. */
function modelFacingErrors(_ctx: unknown, error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (
    cause instanceof ApplicationFailure &&
    (cause.type === 'InvalidQuery' || cause.type === 'SourceNotFound')
  ) {
    return `Tool error (${cause.type}): ${cause.message}`;
  }
  throw error;
}

/** The chain of an error: `cause` links, and the `error` field the Agents SDK uses for tool failures. */
function chainOf(err: unknown): Error[] {
  const chain: Error[] = [];
  let e: unknown = err;
  while (e instanceof Error && !chain.includes(e) && chain.length < 10) {
    chain.push(e);
    e = (e as { cause?: unknown }).cause ?? (e as { error?: unknown }).error;
  }
  return chain;
}

/** The draft the writer's output guardrail rejected, when that (not a model or tool failure) stopped the run. */
function rejectedDraft(err: unknown): ResearchReport | undefined {
  const tripped = chainOf(err).find((e) => e.name === 'OutputGuardrailTripwireTriggered') as
    (Error & { result?: { agentOutput?: ResearchReport } }) | undefined;
  return tripped ? (tripped.result?.agentOutput ?? undefined) : undefined;
}

/** The innermost application failure: the error a tool or model call actually raised. */
function rootFailure(err: unknown): ApplicationFailure | undefined {
  return chainOf(err)
    .filter(
      (e): e is ApplicationFailure => e instanceof ApplicationFailure && e.type !== 'AgentsWorkflowError'
    )
    .at(-1);
}

function isRetryable(err: unknown): boolean {
  return !(rootFailure(err)?.nonRetryable ?? false);
}

function describeError(err: unknown): string {
  const root = rootFailure(err);
  if (root) return `${root.type ? `${root.type}: ` : ''}${root.message}`.slice(0, 500);
  const last = chainOf(err).at(-1);
  return (last?.message ?? String(err)).slice(0, 500);
}

function rejectIf(message: string | undefined): void {
  if (message) throw new Error(message);
}

function prefs(input: ResearchParams): string {
  return input.preferences ? `\n\nPreferences: ${input.preferences}` : '';
}

/** Trimmed, non-empty strings of at most `max` characters. */
function bounded(items: string[], max: number): string[] {
  return items.map((q) => q.trim().slice(0, max)).filter((q) => q.length > 0);
}

function clarificationPairs(status: ResearchStatus): { question: string; answer: string }[] {
  return status.questions.map((question, i) => ({
    question,
    answer: status.answers?.[i] ?? 'no preference',
  }));
}

function clarificationContext(status: ResearchStatus): string {
  const pairs = clarificationPairs(status);
  if (pairs.length === 0) return '';
  return '\n\nWhat the asker told us:\n' + pairs.map((p) => `- ${p.question} ${p.answer}`).join('\n');
}

function failedSearchesNote(failed: SearchStatus[]): string {
  return (
    '## Searches that failed\n\n' +
    'These searches produced nothing; the report above does not cover what they would have found.\n\n' +
    failed.map((s) => `- "${s.query}": ${s.error ?? 'unknown error'}`).join('\n')
  );
}

function addUsage(total: Usage, u: Usage): void {
  total.requests += u.requests;
  total.inputTokens += u.inputTokens;
  total.outputTokens += u.outputTokens;
  total.totalTokens += u.totalTokens;
}
