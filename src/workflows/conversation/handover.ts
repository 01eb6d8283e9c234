import { workflowInfo } from '@temporalio/workflow';
import type { WorkflowStreamState } from '@temporalio/workflow-streams/workflow';
import type { CarriedState, ConversationParams } from './input.js';
import type { Transcript } from './transcript.js';

/**
 * Time to continue as new: Temporal suggests it, or this run's history passed one of the
 * conversation's bounds (configurable, so that tests can force a hand-over after a few turns).
 */
export function handoverDue(bounds: ConversationParams['handover']): boolean {
  const info = workflowInfo();
  return (
    info.continueAsNewSuggested ||
    info.historySize >= bounds.historyBytes ||
    info.historyLength >= bounds.historyEvents
  );
}

/** The compact state the next run starts from. */
export function carriedState(
  transcript: Transcript,
  run: number,
  stream: WorkflowStreamState,
  note: string | undefined
): CarriedState {
  return {
    run: run + 1,
    turns: transcript.turns,
    recent: transcript.recent,
    earlier: transcript.earlier,
    stream,
    startedAt: transcript.startedAt,
    lastActivity: new Date(transcript.lastActivity).toISOString(),
    usage: transcript.usage,
    ...(note ? { note } : {}),
  };
}
