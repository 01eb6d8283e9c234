import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { referenceOf } from '../common/payload-storage/references.js';

type Event = temporal.api.history.v1.IHistoryEvent;

export interface ActivityAttempt {
  scheduledEventId: number;
  activityType: string;
  activityId: string;
  /** Attempt number of the last start recorded (Temporal records only the final attempt's start). */
  attempt: number;
  lastFailure?: string;
  lastFailureType?: string;
  outcome: 'completed' | 'failed' | 'timed_out' | 'canceled' | 'open';
}

/** The activities of a workflow history, one entry per scheduled activity, with retries and outcome. */
export function activitiesOf(events: Event[]): ActivityAttempt[] {
  const byScheduled = new Map<number, ActivityAttempt>();
  for (const e of events) {
    const id = Number(e.eventId);
    if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      byScheduled.set(id, {
        scheduledEventId: id,
        activityType: a.activityType?.name ?? '',
        activityId: a.activityId ?? '',
        attempt: 1,
        outcome: 'open',
      });
    } else if (e.activityTaskStartedEventAttributes) {
      const a = e.activityTaskStartedEventAttributes;
      const entry = byScheduled.get(Number(a.scheduledEventId));
      if (entry) {
        entry.attempt = a.attempt ?? 1;
        if (a.lastFailure) {
          entry.lastFailure = a.lastFailure.message ?? undefined;
          entry.lastFailureType = a.lastFailure.applicationFailureInfo?.type ?? undefined;
        }
      }
    } else {
      const done =
        (e.activityTaskCompletedEventAttributes &&
          (['completed', e.activityTaskCompletedEventAttributes] as const)) ||
        (e.activityTaskFailedEventAttributes && (['failed', e.activityTaskFailedEventAttributes] as const)) ||
        (e.activityTaskTimedOutEventAttributes &&
          (['timed_out', e.activityTaskTimedOutEventAttributes] as const)) ||
        (e.activityTaskCanceledEventAttributes &&
          (['canceled', e.activityTaskCanceledEventAttributes] as const));
      if (done) {
        const entry = byScheduled.get(Number(done[1].scheduledEventId));
        if (entry) entry.outcome = done[0];
      }
    }
  }
  return [...byScheduled.values()];
}

/**
 * Decoded results of the completed activities of one type, in history order. A result stored
 * outside history must be resolved first (resolveStoredPayloads).
 */
export function activityResults(events: Event[], activityType: string): unknown[] {
  const types = new Map<number, string>();
  const out: unknown[] = [];
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes) {
      types.set(Number(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (done && types.get(Number(done.scheduledEventId)) === activityType) {
      const payload = done.result?.payloads?.[0];
      if (payload && referenceOf(payload))
        throw new Error(
          `the ${activityType} result of event ${String(e.eventId)} is stored outside history: resolve the history first (resolveStoredPayloads)`
        );
      out.push(payload ? defaultPayloadConverter.fromPayload(payload as never) : undefined);
    }
  }
  return out;
}
