// Local activities leave no scheduled/started/completed events: each is one marker, recorded when
// the workflow task that ran it completes, holding its result (or failure) and a small JSON record
// of what ran. Read here so that the timeline shows them as steps, with their result's payload.
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payload = temporal.api.common.v1.IPayload;

/** The marker name the SDK's core writes for a local activity. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

export interface LocalActivityRecord {
  activityId: string;
  activityType: string;
  attempt: number;
  /** The failure message, when the local activity failed for good. */
  failure?: string;
  /** The result's payloads (none when it failed). */
  result: Payload[];
}

function isLocalActivityMarker(e: HistoryEvent): boolean {
  return e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER;
}

/** What a local activity marker records, or undefined for any other event (or an unreadable marker). */
export function localActivityOf(e: HistoryEvent): LocalActivityRecord | undefined {
  if (!isLocalActivityMarker(e)) return undefined;
  const m = e.markerRecordedEventAttributes!;
  const data = m.details?.data?.payloads?.[0]?.data;
  let record: { activity_id?: unknown; activity_type?: unknown; attempt?: unknown };
  try {
    record = JSON.parse(data ? Buffer.from(data).toString('utf8') : '{}');
  } catch {
    return undefined;
  }
  return {
    activityId: String(record.activity_id ?? ''),
    activityType: String(record.activity_type ?? 'local activity'),
    attempt: Number(record.attempt ?? 1) || 1,
    ...(m.failure ? { failure: m.failure.cause?.message ?? m.failure.message ?? 'failed' } : {}),
    result: m.details?.result?.payloads ?? [],
  };
}

/** A local activity marker's result payloads; undefined for any other event. */
export function localActivityResult(e: HistoryEvent): Payload[] | undefined {
  return isLocalActivityMarker(e)
    ? (e.markerRecordedEventAttributes!.details?.result?.payloads ?? [])
    : undefined;
}
