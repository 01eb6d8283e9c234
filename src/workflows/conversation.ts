import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowStream } from '@temporalio/workflow-streams/workflow';
import type { ConversationView } from '../common/conversation-types.js';
import { streamOffset } from './conversation/answer.js';
import { carriedState } from './conversation/handover.js';
import { ConversationInput, type ConversationParams } from './conversation/input.js';
import { askUpdate, closeUpdate, conversationQuery } from './conversation/messages.js';
import { ConversationRun } from './conversation/run.js';

/**
 * Follow-up questions about a research report: one long-lived workflow per report. Each question
 * is an `ask` Update whose result is the answer, streamed live while it is written; the agent sees
 * the report, the latest turns (its memory) and a summary of older ones, and searches the report's
 * corpus. The conversation closes after an idle timeout (durably), and continues as new before
 * its history grows past its bounds, carrying a compact state — never the transcript.
 */
export async function conversation(rawInput: ConversationInput): Promise<ConversationView> {
  const input = parseInput(rawInput);
  const stream = new WorkflowStream(input.carried?.stream);
  const run = new ConversationRun(input, workflowInfo().workflowId, stream);
  setHandler(askUpdate, (request) => run.ask(request), { validator: (request) => run.check(request) });
  setHandler(closeUpdate, async () => {
    run.close('closed_by_request');
    await condition(() => !run.queue.busy);
    return { ...run.view(), phase: 'closed' as const };
  });
  setHandler(conversationQuery, () => run.view());

  for (;;) {
    // Idle: wait for a question, or close when none comes before the idle timeout (a durable timer).
    if (run.phase === 'open' && !run.queue.busy) {
      const remaining = run.idleRemainingMs();
      const asked =
        remaining > 0 && (await condition(() => run.queue.busy || run.phase !== 'open', remaining));
      if (!asked && !run.queue.busy) run.close('idle');
    }
    await condition(() => !run.queue.busy);
    if (run.phase === 'handing_over') await handOver(input, run, stream);
    if (run.phase === 'closing') break;
  }
  // Closed: the questions in flight were answered; stream subscribers are let go.
  stream.truncate(streamOffset(stream));
  stream.detachPollers();
  await condition(allHandlersFinished);
  run.phase = 'closed';
  return run.view();
}

/**
 * Continues as new once every question in flight is answered: new questions are rejected as
 * "handing over" meanwhile (clients ask again, and the next run answers). The stream's events are
 * all of finished turns, so none is carried. A close requested meanwhile wins.
 */
async function handOver(
  input: ConversationParams,
  run: ConversationRun,
  stream: WorkflowStream
): Promise<void> {
  stream.truncate(streamOffset(stream));
  stream.detachPollers();
  await condition(allHandlersFinished);
  if (run.phase !== 'handing_over') return;
  const { previous: _previous, carried: _carried, ...settings } = input;
  await continueAsNew<typeof conversation>({
    ...settings,
    carried: carriedState(run.transcript, run.run, stream.getState(), run.note),
  });
}

/** The input, validated: a bad one fails the run at once (non-retryable) with every problem named. */
function parseInput(raw: unknown): ConversationParams {
  const parsed = ConversationInput.safeParse(raw);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid conversation input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'InvalidInput'
    );
  }
  return parsed.data;
}
