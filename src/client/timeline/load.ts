import type { Client } from '@temporalio/client';
import { UserError } from '../../common/errors.js';
import { workflowUiLink, type TemporalSettings } from '../../common/temporal-settings.js';
import { readSpans } from './spans.js';
import { buildTimeline } from './timeline.js';
import type { TimelineResponse } from '../../common/api-types.js';

/** History (Temporal) + spans (trace store) of one run, joined: shared by the API and `steadfast inspect`. */
export async function loadTimeline(
  client: Client,
  settings: Pick<TemporalSettings, 'uiUrl' | 'namespace'>,
  workflowId: string
): Promise<TimelineResponse> {
  const handle = client.workflow.getHandle(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if ((err as { name?: string }).name === 'WorkflowNotFoundError') {
      throw new UserError(`no research run with id ${workflowId}`, '`npx steadfast list` shows recent runs');
    }
    throw err;
  }
  const [history, spans] = await Promise.all([handle.fetchHistory(), readSpans(workflowId)]);
  const pending = (description.raw.pendingActivities ?? []).map((a) => ({
    activityId: a.activityId ?? undefined,
    activityType: a.activityType?.name ?? '',
    attempt: a.attempt ?? 1,
    lastFailure: a.lastFailure?.message ?? undefined,
  }));
  const timeline = buildTimeline({
    workflowId,
    runId: description.runId,
    events: history.events ?? [],
    spans,
    pending,
    workflowLink: workflowUiLink(settings, workflowId),
  });
  return { ...timeline, execution: description.status.name };
}
