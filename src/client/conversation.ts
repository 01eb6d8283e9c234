import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
  type WorkflowUpdateHandle,
} from '@temporalio/client';
import { WorkflowStreamClient } from '@temporalio/workflow-streams/client';
import type {
  AskResponse,
  AskResult,
  ChatEvent,
  ConversationResponse,
  ConversationView,
} from '../common/conversation-types.js';
import { NoWorkerError, UserError } from '../common/errors.js';
import { packageRoot } from '../common/paths.js';
import type { conversation } from '../workflows/conversation.js';
import {
  checkQuestion,
  conversationWorkflowId,
  type ConversationInput,
} from '../workflows/conversation/input.js';
import {
  askUpdate,
  CLOSED,
  closeUpdate,
  conversationQuery,
  EVENTS_TOPIC,
  HANDING_OVER,
  TOKENS_TOPIC,
} from '../workflows/conversation/messages.js';
import { ChatRenderer } from '../workflows/conversation/stream-text.js';
import type { ResearchClient } from './research.js';
import { workflowTaskTimeout } from '../common/workflow-start.js';
import { abortedBy, cancelsLateCalls } from '../common/abort-signals.js';

export interface ConversationClientOptions {
  client: Client;
  taskQueue: string;
  /** Reads the report a conversation is about. */
  research: ResearchClient;
  /** Model name for new conversations (the CLI and API pass the endpoint's, or STEADFAST_MODEL). */
  defaultModel?: string;
  taskQueues?: { models?: string; tools?: string };
  modelContextTokens?: number;
  /** Settings of new conversations: idle timeout, hand-over bounds, turns kept (tests force hand-overs). */
  settings?: Pick<ConversationInput, 'idleTimeout' | 'handover' | 'keepTurns' | 'memoryTurns'>;
  /** How long an accepted question waits for a worker to take over the conversation (default 2 minutes). */
  workerWaitMs?: number;
}

/** A question the conversation accepted: follow its stream from `offset`, then read its answer. */
export interface Submitted {
  conversationId: string;
  updateId: string;
  question: string;
  /** A stream offset at or before the turn's first event. */
  offset: number;
  handle: WorkflowUpdateHandle<AskResult>;
}

/** One item of the conversation stream, rendered: its offset (resume after it) and its display events. */
export interface ChatItem {
  offset: number;
  events: ChatEvent[];
}

const QUERY_DEADLINE_MS = 3000;
/**
 * How long a question the conversation accepted waits for a worker to read it back: after a
 * worker dies the next one takes over within seconds (its process start and the replay of the
 * history); with no worker at all, `ask` says so after this.
 */
const WORKER_WAIT_MS = 120_000;
const ACCEPTED_READ_PAUSE_MS = 500;
/** How long a question keeps being offered while the conversation hands over or closes. */
const RETRY_REJECTED_MS = 60_000;
/** Polls of the stream, at most this often per subscriber: each poll is an Update in the conversation's history. */
const POLL_COOLDOWN = '250 milliseconds';
/** How long `ask` waits, after the answer, for the stream to deliver the turn's end. */
const FOLLOW_GRACE_MS = 2000;

/**
 * Follow-up questions about research reports: one conversation workflow per report, started by
 * the first question (update-with-start) and answered turn by turn. Shared by the CLI and the HTTP
 * API; errors meant for the user are UserError with a hint.
 */
export class ConversationClient {
  private readonly inputs = new Map<string, Promise<ConversationInput>>();

  constructor(private readonly opts: ConversationClientOptions) {}

  handle(researchWorkflowId: string): WorkflowHandle<typeof conversation> {
    return this.opts.client.workflow.getHandle(conversationWorkflowId(researchWorkflowId));
  }

  /**
   * Asks a question and waits for the answer. `onEvent` receives the turn's display events as they
   * are streamed (text, citations); the answer it ends with equals the returned one.
   */
  async ask(
    researchWorkflowId: string,
    question: string,
    options: { updateId?: string; onEvent?: (event: ChatEvent) => void } = {}
  ): Promise<AskResponse> {
    const submitted = await this.submit(researchWorkflowId, question, options);
    const stop = new AbortController();
    const following = options.onEvent
      ? this.followTurn(submitted, options.onEvent, stop.signal).catch(() => undefined)
      : undefined;
    try {
      const answer = await this.answerOf(submitted);
      // The turn's last events were published with the answer: give the stream a moment to deliver
      // them; whatever it has not said by then is in the answer anyway.
      if (following) await Promise.race([following, sleep(FOLLOW_GRACE_MS)]);
      return answer;
    } finally {
      stop.abort();
      await following;
    }
  }

  /**
   * Sends the question, starting the conversation when none runs (update-with-start: the same id
   * for every question about this report), and returns once the conversation accepted it. A
   * question the conversation turns away while it hands over to its next run or closes is sent
   * again, to the next run or a new conversation.
   */
  async submit(
    researchWorkflowId: string,
    question: string,
    options: { updateId?: string } = {}
  ): Promise<Submitted> {
    const problem = checkQuestion(question);
    if (problem) throw new UserError(`cannot ask: ${problem}`);
    const conversationId = conversationWorkflowId(researchWorkflowId);
    const updateId = options.updateId ?? randomUUID();
    const deadline = Date.now() + RETRY_REJECTED_MS;
    for (;;) {
      const input = await this.startInput(researchWorkflowId);
      try {
        const handle = await this.opts.client.workflow.startUpdateWithStart(askUpdate, {
          args: [{ question }],
          updateId,
          waitForStage: 'ACCEPTED',
          startWorkflowOperation: new WithStartWorkflowOperation<typeof conversation>('conversation', {
            workflowId: conversationId,
            taskQueue: this.opts.taskQueue,
            args: [input],
            workflowIdConflictPolicy: 'USE_EXISTING',
            staticSummary: `conversation about ${researchWorkflowId}`,
            workflowTaskTimeout: workflowTaskTimeout(),
          }),
        });
        const accepted = settledOnce(handle);
        const offset = await this.acceptedOffset(conversationId, accepted);
        return { conversationId, updateId, question, offset, handle: accepted };
      } catch (err) {
        const type = rejectionType(err);
        if ((type === HANDING_OVER || type === CLOSED) && Date.now() < deadline) {
          await sleep(300);
          continue;
        }
        throw explain(err, conversationId);
      }
    }
  }

  /**
   * Where the stream of a question the conversation took starts. A question the validator turned
   * away comes back as a handle whose result fails at once; one that was accepted is pending or
   * answered in the conversation's view. Reading the view may fail for a while after the Update
   * was accepted — the worker holding the conversation died, and the next one has yet to take
   * over — and the question is answered all the same: the reads are retried until the answer
   * comes or `workerWaitMs` passes without any worker answering.
   */
  private async acceptedOffset(
    conversationId: string,
    handle: WorkflowUpdateHandle<AskResult>
  ): Promise<number> {
    const waitMs = this.opts.workerWaitMs ?? WORKER_WAIT_MS;
    const deadline = Date.now() + waitMs;
    type Outcome = { answer: AskResult } | { error: unknown };
    const settled: Promise<Outcome> = handle.result().then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error })
    );
    // The Update's outcome, as long as it may still tell something: a lost connection tells nothing.
    let outcome: Promise<Outcome> = settled;
    for (;;) {
      const next = await Promise.race([
        outcome,
        this.query(conversationId).then(
          (view) => ({ view }),
          (readError: unknown) => ({ readError })
        ),
      ]);
      if ('answer' in next) return next.answer.stream.from;
      if ('error' in next) {
        // Turned away, or its answer failed: the caller explains it.
        if (next.error instanceof WorkflowUpdateFailedError) throw next.error;
        outcome = new Promise(() => {});
        continue;
      }
      if ('view' in next) {
        const pending = next.view.pending.find((p) => p.updateId === handle.updateId);
        if (pending) return pending.offset;
        const turn = next.view.recent.find((t) => t.updateId === handle.updateId);
        if (turn) return turn.stream.from;
        // Neither waiting nor answered (among the turns kept): its outcome says what became of it.
        const known = await settled;
        if ('answer' in known) return known.answer.stream.from;
        throw known.error;
      }
      if (next.readError instanceof UserError && !(next.readError instanceof NoWorkerError))
        throw next.readError;
      if (Date.now() >= deadline) {
        throw new NoWorkerError(
          `the conversation ${conversationId} accepted the question (update id ${handle.updateId}), but no ` +
            `worker has read it back for ${Math.round(waitMs / 1000)} s`,
          'is a steadfast worker running? start one with `npx steadfast worker`; asking again with the same ' +
            'update id gets this answer, written once'
        );
      }
      await Promise.race([outcome, sleep(ACCEPTED_READ_PAUSE_MS)]);
    }
  }

  /** The answer of a submitted question, with the conversation's history size after it. */
  async answerOf(submitted: Submitted): Promise<AskResponse> {
    const { conversationId, updateId } = submitted;
    let result: AskResult;
    try {
      result = await submitted.handle.result();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw explain(err, conversationId);
      // The connection failed while waiting (the server restarted, the network dropped): the
      // turn goes on in the workflow; find its answer by the Update id.
      result = await this.recover(conversationId, updateId, err);
    }
    const description = await this.opts.client.workflow.getHandle(conversationId).describe();
    return {
      conversationId,
      turn: result.turn,
      updateId,
      question: result.question,
      answer: result.answer,
      citations: result.citations.map((c) => ({
        n: c.n,
        path: c.path,
        excerpt: c.excerpt,
        sourceId: c.sourceId,
        title: c.title,
      })),
      historyBytes: description.historySize ?? 0,
      ...(result.note ? { note: result.note } : {}),
    };
  }

  /** The conversation about a report: Temporal's view of its current run and the workflow's own. */
  async view(researchWorkflowId: string): Promise<ConversationResponse> {
    const conversationId = conversationWorkflowId(researchWorkflowId);
    const handle = this.opts.client.workflow.getHandle<typeof conversation>(conversationId);
    let description;
    try {
      description = await handle.describe();
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return { conversationId, execution: 'NONE', view: null, historyBytes: 0, historyEvents: 0 };
    }
    const execution = description.status.name;
    let view: ConversationView | null = null;
    if (execution === 'RUNNING') view = await this.query(conversationId);
    else if (execution === 'COMPLETED') view = await handle.result();
    return {
      conversationId,
      execution,
      view,
      historyBytes: description.historySize ?? 0,
      historyEvents: description.historyLength,
    };
  }

  /** Closes the conversation now (questions in flight are answered first). */
  async close(researchWorkflowId: string): Promise<ConversationView> {
    const conversationId = conversationWorkflowId(researchWorkflowId);
    try {
      return await this.opts.client.workflow.getHandle(conversationId).executeUpdate(closeUpdate);
    } catch (err) {
      if (isNotFound(err) || /already completed/i.test((err as Error).message))
        throw new UserError(`no open conversation about ${researchWorkflowId}`);
      throw explain(err, conversationId);
    }
  }

  /**
   * The conversation's stream from `from`, rendered. When `from` is inside a turn (being answered,
   * or answered since), rendering starts at the turn's beginning, so that what follows is numbered
   * as it was; only items at or after `from` are yielded. Follows continue-as-new; ends when the
   * conversation closes or `signal` aborts.
   */
  async *follow(researchWorkflowId: string, from: number, signal?: AbortSignal): AsyncGenerator<ChatItem> {
    const conversationId = conversationWorkflowId(researchWorkflowId);
    const view = await this.query(conversationId);
    const starts = [
      ...view.pending.filter((p) => p.state === 'answering').map((p) => p.offset),
      ...view.recent.filter((t) => from < t.stream.to).map((t) => t.stream.from),
    ].filter((offset) => offset < from);
    yield* this.rendered(conversationId, Math.min(from, ...starts), from, signal);
  }

  private async *rendered(
    conversationId: string,
    start: number,
    from: number,
    signal?: AbortSignal
  ): AsyncGenerator<ChatItem> {
    const renderer = new ChatRenderer();
    const items = WorkflowStreamClient.create(this.opts.client, conversationId).subscribe<unknown>(
      [EVENTS_TOPIC, TOKENS_TOPIC],
      start,
      { resultType: true, pollCooldown: POLL_COOLDOWN }
    );
    // Each poll runs under `signal`: aborting cancels the one in flight (an Update long-poll that
    // would otherwise wait for the conversation's next event).
    const cancellable = async <T>(fn: () => Promise<T>): Promise<T> => {
      if (!signal) return fn();
      // A signal per step: the calls of a step listen to it, and it is dropped with the step.
      const step = new AbortController();
      const cancel = () => step.abort();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        return await this.opts.client.connection.withAbortSignal(cancelsLateCalls(step.signal), fn);
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    };
    for await (const item of abortable(items, signal, cancellable)) {
      const events = renderer.feed(item.topic, item.data);
      if (item.offset >= from && events.length > 0) yield { offset: item.offset, events };
    }
  }

  /** Passes the display events of one submitted question's turn to `onEvent`, until it ends. */
  private async followTurn(
    submitted: Submitted,
    onEvent: (event: ChatEvent) => void,
    signal: AbortSignal
  ): Promise<void> {
    let turn: number | undefined;
    for await (const item of this.rendered(submitted.conversationId, submitted.offset, 0, signal)) {
      for (const event of item.events) {
        if (event.type === 'turn' && event.updateId === submitted.updateId) turn = event.turn;
        if (turn === undefined || event.turn !== turn) continue;
        onEvent(event);
        if (event.type === 'answered' || event.type === 'failed') return;
      }
    }
  }

  private async query(conversationId: string): Promise<ConversationView> {
    const handle = this.opts.client.workflow.getHandle<typeof conversation>(conversationId);
    try {
      return await this.opts.client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        handle.query(conversationQuery)
      );
    } catch (err) {
      if (isNotFound(err)) throw new UserError(`no conversation ${conversationId}`);
      throw new NoWorkerError(
        `cannot read the conversation ${conversationId}: ${(err as Error).message}`,
        'is a steadfast worker running? start one with `npx steadfast worker`'
      );
    }
  }

  /** After a lost connection: the answer of `updateId`, from the Update itself or the conversation's turns. */
  private async recover(conversationId: string, updateId: string, cause: unknown): Promise<AskResult> {
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      await sleep(1000);
      try {
        const view = await this.query(conversationId);
        const turn = view.recent.find((t) => t.updateId === updateId);
        if (turn)
          return { ...turn, conversationId, ...(view.note && turn.turn === 1 ? { note: view.note } : {}) };
        if (!view.pending.some((p) => p.updateId === updateId)) {
          return await this.opts.client.workflow
            .getHandle(conversationId)
            .getUpdateHandle<AskResult>(updateId)
            .result();
        }
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) throw explain(err, conversationId);
        if (Date.now() > deadline) throw cause;
      }
    }
  }

  /** The start input of the conversation about a report: the report itself, and its corpus. */
  private async startInput(researchWorkflowId: string): Promise<ConversationInput> {
    let base = this.inputs.get(researchWorkflowId);
    if (!base) {
      base = this.reportInput(researchWorkflowId);
      this.inputs.set(researchWorkflowId, base);
      base.catch(() => this.inputs.delete(researchWorkflowId));
      if (this.inputs.size > 100) this.inputs.delete(this.inputs.keys().next().value!);
    }
    const previous = await this.previousConversation(researchWorkflowId);
    return { ...(await base), ...(previous ? { previous } : {}) };
  }

  private async reportInput(researchWorkflowId: string): Promise<ConversationInput> {
    const { research } = this.opts;
    const status = await research.status(researchWorkflowId);
    if (status.execution !== 'COMPLETED') {
      throw new UserError(
        status.execution === 'RUNNING'
          ? `research ${researchWorkflowId} has not finished yet (phase ${status.phase}): there is no report to ask about`
          : `research ${researchWorkflowId} ended ${status.execution} without a report`,
        status.execution === 'RUNNING'
          ? `wait for it: \`npx steadfast result ${researchWorkflowId}\``
          : '`npx steadfast list` shows runs that completed'
      );
    }
    const result = await research.result(researchWorkflowId);
    const root = status.corpus?.root;
    const model = this.opts.defaultModel ?? process.env.STEADFAST_MODEL;
    return {
      researchWorkflowId,
      report: {
        title: result.title,
        question: status.question,
        summary: result.summary,
        markdown: result.markdown,
        citations: result.citations,
      },
      ...(root && root !== packageRoot ? { corpus: root } : {}),
      ...(model ? { model } : {}),
      ...(this.opts.taskQueues ? { taskQueues: this.opts.taskQueues } : {}),
      ...(this.opts.modelContextTokens ? { modelContextTokens: this.opts.modelContextTokens } : {}),
      ...this.opts.settings,
    };
  }

  /** An earlier conversation about the report that closed: the new one says so. */
  private async previousConversation(researchWorkflowId: string): Promise<ConversationInput['previous']> {
    const handle = this.handle(researchWorkflowId);
    try {
      const description = await handle.describe();
      if (description.status.name !== 'COMPLETED') return undefined;
      const closed = await handle.result();
      return {
        turns: closed.turns,
        ...(closed.closedReason ? { closedReason: closed.closedReason } : {}),
        ...(description.closeTime ? { closedAt: description.closeTime.toISOString() } : {}),
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

/**
 * The handle with its result awaited once: the wait that tells an accepted question from a rejected
 * one is the wait for the answer.
 */
function settledOnce<T>(handle: WorkflowUpdateHandle<T>): WorkflowUpdateHandle<T> {
  const result = handle.result();
  result.catch(() => undefined); // awaited by the caller; not an unhandled rejection meanwhile
  return { ...handle, result: () => result };
}

/** The validator's failure type when the conversation turned the question away. */
function rejectionType(err: unknown): string | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  return (err.cause as { type?: string } | undefined)?.type;
}

function explain(err: unknown, conversationId: string): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    const message = (err.cause as Error | undefined)?.message ?? err.message;
    return new UserError(`${conversationId}: ${message}`);
  }
  return err;
}

function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || (err as { name?: string })?.name === 'WorkflowNotFoundError';
}

/** `source`, ended when `signal` aborts; each step runs through `run` (which may tie its calls to the signal). */
async function* abortable<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
  run: <R>(fn: () => Promise<R>) => Promise<R>
): AsyncGenerator<T> {
  if (signal?.aborted) return;
  const iterator = source[Symbol.asyncIterator]();
  const aborted = abortedBy(signal);
  try {
    for (;;) {
      if (signal?.aborted) return;
      const next = await Promise.race([run(() => iterator.next()), aborted]);
      if (next === 'aborted' || next.done) return;
      yield next.value;
    }
  } finally {
    void iterator.return?.()?.catch(() => undefined);
  }
}
