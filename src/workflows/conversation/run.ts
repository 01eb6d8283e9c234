import { TemporalOpenAIRunner } from '@temporalio/openai-agents/workflow';
import { ApplicationFailure, condition, currentUpdateInfo, uuid4 } from '@temporalio/workflow';
import type { WorkflowStream } from '@temporalio/workflow-streams/workflow';
import type {
  AskResult,
  ClosedReason,
  ConversationPhase,
  ConversationView,
} from '../../common/conversation-types.js';
import { durationMs } from '../../common/duration.js';
import type { Evidence } from '../citations.js';
import { MODEL_ACTIVITY } from '../model-params.js';
import { researchActivities } from '../research/activities.js';
import { answer, streamOffset, type Answerer } from './answer.js';
import { agentContext, reportBrief, reportEvidence, type ReportBrief } from './context.js';
import { handoverDue } from './handover.js';
import { checkQuestion, closedBecause, CONVERSATION_LIMITS, type ConversationParams } from './input.js';
import { ConversationMemory } from './memory.js';
import { CLOSED, HANDING_OVER, TOKENS_TOPIC, type AskRequest } from './messages.js';
import { QuestionQueue, Transcript } from './transcript.js';

/**
 * How often the streaming model activity sends the model's events to the workflow. Each batch is a
 * signal, and mostly a workflow task, in the conversation's history (about 0.8 KB): a model that
 * streams for 10 s adds 8 KB at 1 s, 40 KB at 200 ms.
 */
const STREAM_BATCH_INTERVAL = '1 second';

/**
 * One run of a conversation: its questions (answered one at a time), what it keeps of its turns,
 * and its phase. The workflow function (conversation.ts) tells the story of a run; this holds its
 * state and answers its messages.
 */
export class ConversationRun {
  phase: ConversationPhase = 'open';
  closedReason?: ClosedReason;
  readonly queue = new QuestionQueue();
  readonly transcript: Transcript;
  /** This run's number in the chain of continue-as-new runs (1 for a new conversation). */
  readonly run: number;
  readonly note?: string;
  private readonly answerer: Answerer;
  private readonly brief: ReportBrief;
  private readonly reportEvidence: Map<string, Evidence>;
  private readonly idleMs: number;

  constructor(
    private readonly input: ConversationParams,
    private readonly workflowId: string,
    private readonly stream: WorkflowStream
  ) {
    const memoryTurns = Math.min(input.memoryTurns, input.keepTurns);
    this.transcript = new Transcript(input.keepTurns, memoryTurns, input.carried);
    this.run = input.carried?.run ?? 1;
    this.note = input.carried?.note ?? previousNote(input);
    this.idleMs = durationMs(input.idleTimeout);
    this.brief = reportBrief(input.report, input.modelContextTokens);
    this.reportEvidence = reportEvidence(input.report);
    const models = input.taskQueues?.models;
    this.answerer = {
      runner: new TemporalOpenAIRunner({
        defaultModelParams: {
          ...MODEL_ACTIVITY,
          ...(models ? { taskQueue: models } : {}),
          streamingTopic: TOKENS_TOPIC,
          streamingBatchInterval: STREAM_BATCH_INTERVAL,
        },
      }),
      stream,
      memory: new ConversationMemory(workflowId, memoryTurns, this.transcript.rememberedExchanges()),
      corpus: researchActivities(input.taskQueues?.tools).corpus,
      corpusPath: input.corpus,
      model: input.model,
      workflowId,
    };
  }

  /** The `ask` validator: nothing enters history for a question it rejects. */
  check(request: AskRequest): void {
    const problem = checkQuestion(request?.question);
    if (problem)
      throw ApplicationFailure.create({ type: 'InvalidQuestion', message: problem, nonRetryable: true });
    if (this.phase === 'closing' || this.phase === 'closed') {
      throw ApplicationFailure.create({
        type: CLOSED,
        nonRetryable: true,
        message:
          `this conversation is closed: ${closedBecause(this.closedReason, this.idleMs)}. ` +
          'Ask again to start a new conversation about the same report.',
      });
    }
    if (this.phase === 'handing_over') {
      throw ApplicationFailure.create({
        type: HANDING_OVER,
        nonRetryable: true,
        message: 'this conversation is handing over to its next run; ask again in a moment',
      });
    }
    if (this.queue.pending.length >= CONVERSATION_LIMITS.waitingQuestions) {
      throw ApplicationFailure.create({
        type: 'TooManyQuestions',
        nonRetryable: true,
        message: `${this.queue.pending.length} questions are waiting for their answers; ask again when they are answered`,
      });
    }
  }

  /** The `ask` handler: waits for the questions before it, then answers. */
  async ask(request: AskRequest): Promise<AskResult> {
    const updateId = currentUpdateInfo()?.id ?? uuid4();
    const pending = this.queue.enqueue({
      updateId,
      question: request.question.trim(),
      askedAt: new Date().toISOString(),
      state: 'waiting',
      offset: streamOffset(this.stream),
    });
    try {
      await condition(() => this.queue.isNext(pending));
      // Subscribers finishing the previous turn had until now; its events are no longer needed.
      this.stream.truncate(streamOffset(this.stream));
      pending.state = 'answering';
      pending.turn = this.transcript.turns + 1;
      pending.offset = streamOffset(this.stream);
      const turn = await answer(this.answerer, {
        turn: pending.turn,
        updateId,
        question: pending.question,
        askedAt: pending.askedAt,
        context: this.context(),
        evidence: new Map([...this.reportEvidence, ...this.transcript.rememberedEvidence()]),
      });
      this.transcript.add(turn);
      if (this.phase === 'open' && handoverDue(this.input.handover)) this.phase = 'handing_over';
      return {
        ...turn,
        conversationId: this.workflowId,
        ...(this.note && turn.turn === 1 ? { note: this.note } : {}),
      };
    } finally {
      this.queue.remove(pending);
      // A question that failed is activity too: the idle timeout runs from the last one.
      this.transcript.lastActivity = Date.now();
    }
  }

  close(reason: ClosedReason): void {
    if (this.phase === 'closing' || this.phase === 'closed') return;
    this.phase = 'closing';
    this.closedReason = reason;
  }

  idleRemainingMs(): number {
    return this.transcript.lastActivity + this.idleMs - Date.now();
  }

  view(): ConversationView {
    const t = this.transcript;
    return {
      conversationId: this.workflowId,
      researchWorkflowId: this.input.researchWorkflowId,
      phase: this.phase,
      ...(this.closedReason ? { closedReason: this.closedReason } : {}),
      run: this.run,
      turns: t.turns,
      recent: t.recent,
      earlier: t.earlier,
      pending: this.queue.pending.map((p) => ({ ...p })),
      idleTimeoutMs: this.idleMs,
      idleDeadline: new Date(t.lastActivity + this.idleMs).toISOString(),
      streamOffset: streamOffset(this.stream),
      startedAt: t.startedAt,
      ...(this.note ? { note: this.note } : {}),
      usage: t.usage,
    };
  }

  /** The agent's context for the next answer: the report, then what it knows of earlier turns. */
  private context(): string {
    return agentContext(this.brief, this.transcript.earlier, this.note);
  }
}

function previousNote(input: ConversationParams): string | undefined {
  const p = input.previous;
  if (!p) return undefined;
  const idleMs = durationMs(input.idleTimeout);
  return (
    `This is a new conversation about the report: the earlier one closed after ${p.turns} answered ` +
    `question${p.turns === 1 ? '' : 's'} because ${closedBecause(p.closedReason, idleMs)}. ` +
    'The report is still the context; the earlier questions and answers are not.'
  );
}
