import type { temporal } from '@temporalio/proto';
import { reviewDecisionOf } from './decisions.js';
import { localActivityOf } from './local-activities.js';
import type { SpanRecord, Timeline, TimelineEntry, TimelineEvent } from '../../common/timeline-types.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface PendingActivityInfo {
  activityId?: string;
  activityType: string;
  attempt: number;
  lastFailure?: string;
}

function eventTime(e: HistoryEvent): string {
  const t = e.eventTime;
  if (!t) return new Date(0).toISOString();
  return new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

const ms = (iso: string) => Date.parse(iso);

function durationOf(d: { seconds?: unknown; nanos?: number | null } | null | undefined): string {
  if (!d) return '';
  const total = Number(d.seconds ?? 0) + (d.nanos ?? 0) / 1e9;
  if (total >= 3600) return `${+(total / 3600).toFixed(1)} h`;
  if (total >= 60) return `${+(total / 60).toFixed(1)} min`;
  return `${+total.toFixed(1)} s`;
}

function close(entry: TimelineEntry, status: string, time: string, eventId: number, detail?: string): void {
  entry.status = status;
  entry.endTime = time;
  entry.durationMs = ms(time) - ms(entry.time);
  entry.events.push({ type: status as TimelineEvent['type'], time, eventId, detail });
}

/** How an event ends the workflow (its status and detail), or undefined when it does not. */
function workflowEnding(e: HistoryEvent): { status: string; detail?: string } | undefined {
  if (e.workflowExecutionCompletedEventAttributes) return { status: 'completed' };
  if (e.workflowExecutionFailedEventAttributes)
    return {
      status: 'failed',
      detail: e.workflowExecutionFailedEventAttributes.failure?.message ?? undefined,
    };
  if (e.workflowExecutionCanceledEventAttributes) return { status: 'canceled' };
  if (e.workflowExecutionTerminatedEventAttributes)
    return { status: 'terminated', detail: e.workflowExecutionTerminatedEventAttributes.reason ?? undefined };
  if (e.workflowExecutionTimedOutEventAttributes) return { status: 'timed_out' };
  if (e.workflowExecutionContinuedAsNewEventAttributes)
    return {
      status: 'continued_as_new',
      detail: e.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId
        ? `next run ${e.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId}`
        : undefined,
    };
  return undefined;
}

/**
 * Joins a run's event history with its stored spans. The join key is the durable execution:
 * spans emitted inside an activity carry (workflowId, runId, activityId) and land in that
 * activity's step — every attempt, so retries show what failed; spans forwarded from the
 * workflow carry (workflowId, runId): a function span joins the tool activity of the same name
 * scheduled while it was open; agent/handoff/guardrail spans become entries of their own.
 */
export function buildTimeline(input: {
  workflowId: string;
  runId?: string;
  events: HistoryEvent[];
  spans: SpanRecord[];
  pending?: PendingActivityInfo[];
  /** workflowUiLink(settings, workflowId), when the UI is known. */
  workflowLink?: string;
}): Timeline {
  const uiLink =
    input.workflowLink && input.runId ? `${input.workflowLink}/${input.runId}/history` : input.workflowLink;
  const entries: TimelineEntry[] = [];
  const activities = new Map<number, TimelineEntry>();
  const locals: TimelineEntry[] = [];
  const timers = new Map<number, TimelineEntry>();
  const updates = new Map<string, TimelineEntry>();
  let workflow: TimelineEntry | undefined;
  const add = (
    entry: Omit<TimelineEntry, 'events' | 'spans' | 'uiLink'> & { events?: TimelineEvent[] }
  ): TimelineEntry => {
    const full: TimelineEntry = { events: [], spans: [], uiLink, ...entry };
    entries.push(full);
    return full;
  };

  for (const e of input.events) {
    const id = Number(e.eventId);
    const time = eventTime(e);
    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      workflow = add({
        kind: 'workflow',
        source: 'history',
        title: `workflow ${a.workflowType?.name ?? ''}`.trim(),
        status: 'started',
        time,
        eventId: id,
      });
      workflow.events.push({
        type: 'started',
        time,
        eventId: id,
        detail: a.taskQueue?.name ? `task queue ${a.taskQueue.name}` : undefined,
      });
    } else if (workflow && workflowEnding(e)) {
      const ending = workflowEnding(e)!;
      close(workflow, ending.status, time, id, ending.detail);
    } else if (e.workflowExecutionCancelRequestedEventAttributes && workflow) {
      workflow.events.push({
        type: 'requested',
        time,
        eventId: id,
        detail: `cancel requested${e.workflowExecutionCancelRequestedEventAttributes.cause ? `: ${e.workflowExecutionCancelRequestedEventAttributes.cause}` : ''}`,
      });
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      const type = a.activityType?.name ?? '';
      const entry = add({
        kind: 'activity',
        source: 'history',
        title: type,
        status: 'scheduled',
        time,
        eventId: id,
        activityId: a.activityId ?? undefined,
        activityType: type,
        attempt: 1,
      });
      entry.events.push({
        type: 'scheduled',
        time,
        eventId: id,
        detail: a.startToCloseTimeout ? `start-to-close ${durationOf(a.startToCloseTimeout)}` : undefined,
      });
      activities.set(id, entry);
    } else if (e.activityTaskStartedEventAttributes) {
      const a = e.activityTaskStartedEventAttributes;
      const entry = activities.get(Number(a.scheduledEventId));
      if (!entry) continue;
      entry.attempt = a.attempt ?? 1;
      entry.status = 'started';
      if (entry.attempt > 1) {
        entry.lastFailure = a.lastFailure?.message ?? undefined;
        entry.events.push({
          type: 'retried',
          time,
          eventId: id,
          attempt: entry.attempt,
          detail: `${entry.attempt - 1} failed attempt(s); last failure: ${entry.lastFailure ?? 'unknown'}`,
        });
      }
      entry.events.push({
        type: 'started',
        time,
        eventId: id,
        attempt: entry.attempt,
        detail: a.identity ? `worker ${a.identity}` : undefined,
      });
    } else if (e.activityTaskCompletedEventAttributes) {
      const entry = activities.get(Number(e.activityTaskCompletedEventAttributes.scheduledEventId));
      if (entry) close(entry, 'completed', time, id);
    } else if (e.activityTaskFailedEventAttributes) {
      const a = e.activityTaskFailedEventAttributes;
      const entry = activities.get(Number(a.scheduledEventId));
      if (entry)
        close(entry, 'failed', time, id, a.failure?.cause?.message ?? a.failure?.message ?? undefined);
    } else if (e.activityTaskTimedOutEventAttributes) {
      const a = e.activityTaskTimedOutEventAttributes;
      const entry = activities.get(Number(a.scheduledEventId));
      if (entry) close(entry, 'timed_out', time, id, a.failure?.message ?? undefined);
    } else if (e.activityTaskCanceledEventAttributes) {
      const entry = activities.get(Number(e.activityTaskCanceledEventAttributes.scheduledEventId));
      if (entry) close(entry, 'canceled', time, id);
    } else if (e.timerStartedEventAttributes) {
      const a = e.timerStartedEventAttributes;
      const entry = add({
        kind: 'timer',
        source: 'history',
        title: `timer ${durationOf(a.startToFireTimeout)}`,
        status: 'started',
        time,
        eventId: id,
      });
      entry.events.push({ type: 'started', time, eventId: id, detail: `timer ${a.timerId}` });
      timers.set(id, entry);
    } else if (e.timerFiredEventAttributes) {
      const entry = timers.get(Number(e.timerFiredEventAttributes.startedEventId));
      if (entry) close(entry, 'fired', time, id);
    } else if (e.timerCanceledEventAttributes) {
      const entry = timers.get(Number(e.timerCanceledEventAttributes.startedEventId));
      if (entry) close(entry, 'canceled', time, id);
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const a = e.workflowExecutionUpdateAcceptedEventAttributes;
      const name = a.acceptedRequest?.input?.name ?? 'update';
      const decision = reviewDecisionOf(name, a.acceptedRequest?.input?.args);
      const entry = add({
        kind: 'update',
        source: 'history',
        title: `update ${name}${decision ? ` by ${decision.by}` : ''}`,
        status: 'accepted',
        time,
        eventId: id,
      });
      entry.events.push({ type: 'accepted', time, eventId: id, detail: decision?.detail });
      if (a.protocolInstanceId) updates.set(a.protocolInstanceId, entry);
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      const a = e.workflowExecutionUpdateCompletedEventAttributes;
      const entry = updates.get(a.meta?.updateId ?? '');
      if (entry)
        close(
          entry,
          a.outcome?.failure ? 'failed' : 'completed',
          time,
          id,
          a.outcome?.failure?.message ?? undefined
        );
    } else if (e.markerRecordedEventAttributes) {
      const local = localActivityOf(e);
      if (!local) continue;
      const entry = add({
        kind: 'activity',
        source: 'history',
        title: `${local.activityType} (local)`,
        status: local.failure ? 'failed' : 'completed',
        time,
        eventId: id,
        activityId: local.activityId,
        activityType: local.activityType,
        attempt: local.attempt,
        ...(local.failure ? { lastFailure: local.failure } : {}),
      });
      entry.events.push({
        type: local.failure ? 'failed' : 'completed',
        time,
        eventId: id,
        attempt: local.attempt,
        detail: `local activity, recorded as a marker${local.failure ? `: ${local.failure}` : ''}`,
      });
      // Their ids count apart from regular activities': joined to spans by name and time only.
      locals.push(entry);
    } else if (e.workflowExecutionSignaledEventAttributes) {
      const a = e.workflowExecutionSignaledEventAttributes;
      const entry = add({
        kind: 'signal',
        source: 'history',
        title: `signal ${a.signalName ?? ''}`,
        status: 'signaled',
        time,
        eventId: id,
      });
      entry.events.push({ type: 'signaled', time, eventId: id });
    }
  }

  // Activities still in flight: Temporal records their start only when they end, so the live
  // attempt count and last failure come from the execution's pending activities.
  for (const p of input.pending ?? []) {
    const entry = [...activities.values()].find((a) => a.activityId === p.activityId && !a.endTime);
    if (!entry) continue;
    entry.attempt = p.attempt;
    if (p.attempt > 1) {
      entry.status = 'retrying';
      entry.lastFailure = p.lastFailure;
      entry.events.push({
        type: 'retrying',
        time: new Date().toISOString(),
        attempt: p.attempt,
        detail: `attempt ${p.attempt}; last failure: ${p.lastFailure ?? 'unknown'}`,
      });
    } else if (entry.status === 'scheduled') {
      entry.status = 'running';
    }
  }

  // The join.
  const byActivityId = new Map<string, TimelineEntry>();
  for (const a of activities.values()) if (a.activityId) byActivityId.set(a.activityId, a);
  const runMatches = (s: SpanRecord) => !input.runId || !s.runId || s.runId === input.runId;
  for (const span of input.spans) {
    if (!runMatches(span)) continue;
    if (span.origin === 'activity' && span.activityId) {
      const entry = byActivityId.get(span.activityId);
      if (entry) {
        entry.spans.push(span);
        continue;
      }
    }
    if (span.type === 'function') {
      const start = ms(span.startedAt) - 1000;
      const end = ms(span.endedAt) + 1000;
      const entry = [...activities.values(), ...locals].find(
        (a) =>
          a.activityType === span.name &&
          ms(a.time) >= start &&
          ms(a.time) <= end &&
          !a.spans.some((s) => s.type === 'function')
      );
      if (entry) {
        entry.spans.push(span);
        continue;
      }
      add({
        kind: 'tool',
        source: 'trace',
        title: `tool ${span.name}`,
        status: span.error ? 'failed' : 'completed',
        time: span.startedAt,
        endTime: span.endedAt,
        durationMs: span.durationMs,
      }).spans.push(span);
    } else if (span.type === 'agent' || span.type === 'handoff' || span.type === 'guardrail') {
      add({
        kind: span.type,
        source: 'trace',
        title: `${span.type} ${span.name}`,
        status: span.error ? 'failed' : 'completed',
        time: span.startedAt,
        endTime: span.endedAt,
        durationMs: span.durationMs,
      }).spans.push(span);
    }
  }
  for (const entry of entries)
    entry.spans.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || (a.attempt ?? 0) - (b.attempt ?? 0));
  entries.sort((a, b) => a.time.localeCompare(b.time) || (a.eventId ?? 1e12) - (b.eventId ?? 1e12));
  return { workflowId: input.workflowId, runId: input.runId, uiLink, entries, spans: input.spans.length };
}
