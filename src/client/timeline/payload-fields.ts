// Where each step's input and result live: inline in the event history, or in the payload store
// with a reference in history (docs/payload-storage.md). Pure: reads events, never the store.
import proto, { type temporal } from '@temporalio/proto';
import { HASH_VALUE } from '../../common/payload-storage/content.js';
import { localActivityResult } from './local-activities.js';
import { referenceOf } from '../../common/payload-storage/references.js';
import type { PayloadField, PayloadInfo, Timeline, TimelineEntry } from '../../common/timeline-types.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
export type Payload = temporal.api.common.v1.IPayload;
export type FieldName = PayloadField['field'];

const PayloadMessage = proto.temporal.api.common.v1.Payload;

/**
 * The payloads one event records and which field of its step they are: what a step received
 * (workflow, activity, Update, Signal input) or what it returned (its result, a local activity's
 * result in its marker, or the input a run hands to the next when it continues as new). Undefined for an event that records neither.
 */
export function eventPayloads(e: HistoryEvent): { field: FieldName; payloads: Payload[] } | undefined {
  const input = (payloads: Payload[] | null | undefined) => ({
    field: 'input' as const,
    payloads: payloads ?? [],
  });
  const result = (payloads: Payload[] | null | undefined) => ({
    field: 'result' as const,
    payloads: payloads ?? [],
  });
  if (e.workflowExecutionStartedEventAttributes)
    return input(e.workflowExecutionStartedEventAttributes.input?.payloads);
  if (e.workflowExecutionCompletedEventAttributes)
    return result(e.workflowExecutionCompletedEventAttributes.result?.payloads);
  if (e.workflowExecutionContinuedAsNewEventAttributes)
    return result(e.workflowExecutionContinuedAsNewEventAttributes.input?.payloads);
  if (e.activityTaskScheduledEventAttributes)
    return input(e.activityTaskScheduledEventAttributes.input?.payloads);
  if (e.activityTaskCompletedEventAttributes)
    return result(e.activityTaskCompletedEventAttributes.result?.payloads);
  if (e.workflowExecutionUpdateAcceptedEventAttributes)
    return input(e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.args?.payloads);
  if (e.workflowExecutionUpdateCompletedEventAttributes)
    return result(e.workflowExecutionUpdateCompletedEventAttributes.outcome?.success?.payloads);
  if (e.workflowExecutionSignaledEventAttributes)
    return input(e.workflowExecutionSignaledEventAttributes.input?.payloads);
  // A local activity's input is not recorded: only its result, in its marker.
  const local = localActivityResult(e);
  return local ? result(local) : undefined;
}

/** Where one payload lives and its serialized size (the size a reference records, for a stored one). */
export function payloadInfo(payload: Payload): PayloadInfo {
  const ref = referenceOf(payload);
  if (ref) {
    return {
      location: 'stored',
      sizeBytes: ref.sizeBytes,
      sha256: ref.claimData[HASH_VALUE],
      store: ref.driverName,
    };
  }
  return { location: 'inline', sizeBytes: PayloadMessage.encode(payload).finish().length };
}

/**
 * Adds to each step of a timeline built from `events` the payloads of its input and result, with
 * the event that records them: what `GET …/payloads/:runId/:eventId/:field` reads.
 */
export function attachPayloads(timeline: Timeline, events: HistoryEvent[], runId: string): Timeline {
  const byEvent = new Map<number, TimelineEntry>();
  for (const entry of timeline.entries) {
    if (entry.source !== 'history') continue;
    if (entry.eventId !== undefined) byEvent.set(entry.eventId, entry);
    for (const ev of entry.events) if (ev.eventId !== undefined) byEvent.set(ev.eventId, entry);
  }
  for (const e of events) {
    const found = eventPayloads(e);
    if (!found || found.payloads.length === 0) continue;
    const eventId = Number(e.eventId);
    const entry = byEvent.get(eventId);
    if (!entry) continue;
    (entry.payloads ??= []).push({
      field: found.field,
      runId,
      eventId,
      payloads: found.payloads.map(payloadInfo),
    });
  }
  return timeline;
}
