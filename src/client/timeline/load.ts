import type { Client } from '@temporalio/client';
import { UserError } from '../../common/errors.js';
import { workflowUiLink, type TemporalSettings } from '../../common/temporal-settings.js';
import { runChain, runHistorySize } from './history-size.js';
import { attachPayloads } from './payload-fields.js';
import { readSpans } from './spans.js';
import { buildTimeline } from './timeline.js';
import type { TimelineResponse } from '../../common/api-types.js';

/**
 * History (Temporal) + spans (trace store) of one run, joined, with the run's history size, where
 * each step's payloads live, and the chain of runs when the workflow continued as new: shared by
 * the API and `steadfast inspect`. Without `runId`, the latest run.
 */
export async function loadTimeline(
  client: Client,
  settings: Pick<TemporalSettings, 'uiUrl' | 'namespace'>,
  workflowId: string,
  options: { runId?: string } = {}
): Promise<TimelineResponse> {
  const handle = client.workflow.getHandle(workflowId, options.runId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if ((err as { name?: string }).name === 'WorkflowNotFoundError') {
      if (options.runId)
        throw new UserError(
          `no research run with id ${workflowId} and run id ${options.runId}`,
          'the timeline lists the run ids of its chain (chain.runs)'
        );
      throw new UserError(`no research run with id ${workflowId}`, '`npx steadfast list` shows recent runs');
    }
    throw err;
  }
  // Pinned to the described run: without a run id the latest may change between the two calls.
  const pinned = client.workflow.getHandle(workflowId, description.runId);
  const [history, spans] = await Promise.all([pinned.fetchHistory(), readSpans(workflowId)]);
  const events = history.events ?? [];
  const pending = (description.raw.pendingActivities ?? []).map((a) => ({
    activityId: a.activityId ?? undefined,
    activityType: a.activityType?.name ?? '',
    attempt: a.attempt ?? 1,
    lastFailure: a.lastFailure?.message ?? undefined,
  }));
  const timeline = buildTimeline({
    workflowId,
    runId: description.runId,
    events,
    spans,
    pending,
    workflowLink: workflowUiLink(settings, workflowId),
  });
  attachPayloads(timeline, events, description.runId);
  const chain = await runChain(client, workflowId, { description, events });
  return {
    ...timeline,
    execution: description.status.name,
    history: runHistorySize(description, events),
    chain,
  };
}
