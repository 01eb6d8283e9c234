// The content of one step's input or result, wherever it lives: a payload inline in history is
// decoded from the event, a stored one is read from the payload store its reference names; both go
// through the client's codecs (decryption). Only the decoded data and its encoding are shown —
// never the event's headers or other metadata.
import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';
import { UserError } from '../../common/errors.js';
import { referenceOf, retrieve } from '../../common/payload-storage/references.js';
import type { PayloadContent, PayloadView } from '../../common/timeline-types.js';
import { localActivityOf } from './local-activities.js';
import { eventPayloads, payloadInfo, type FieldName, type Payload } from './payload-fields.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Bytes of decoded content one view shows by default, and at most when asked. */
export const DEFAULT_VIEW_BYTES = 256 * 1024;
export const MAX_VIEW_BYTES = 4 * 1024 * 1024;

/** The run, the event or the field a view asks for does not exist. */
export class NoSuchPayload extends UserError {
  override name = 'NoSuchPayload';
}

export interface PayloadRequest {
  workflowId: string;
  runId: string;
  eventId: number;
  field: FieldName;
  /** Bytes of decoded content shown at most, over all payloads of the field. */
  maxBytes?: number;
}

// As the trace store masks span text: payloads never hold keys, and a view never shows one that slipped in.
const SECRET = /\b(sk-[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._~+/-]{8,}=*)/g;

function mask(text: string, masked: { n: number }): string {
  return text.replace(SECRET, () => {
    masked.n++;
    return '[redacted]';
  });
}

function maskValue(value: unknown, masked: { n: number }): unknown {
  if (typeof value === 'string') return mask(value, masked);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, masked));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v, masked)]));
  return value;
}

const utf8 = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : '');

/** "ActivityTaskScheduled" for EVENT_TYPE_ACTIVITY_TASK_SCHEDULED. */
function eventTypeOf(e: HistoryEvent): string {
  const name = proto.temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED';
  return name
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());
}

/** The step an event belongs to, as the timeline titles it. */
function stepOf(e: HistoryEvent, events: HistoryEvent[]): string {
  const byId = (id: unknown) => events.find((x) => Number(x.eventId) === Number(id));
  const activity = (scheduledId: unknown) => {
    const s = byId(scheduledId)?.activityTaskScheduledEventAttributes;
    return s ? `${s.activityType?.name ?? 'activity'} #${s.activityId}` : 'activity';
  };
  if (e.activityTaskScheduledEventAttributes) return activity(e.eventId);
  if (e.activityTaskCompletedEventAttributes)
    return activity(e.activityTaskCompletedEventAttributes.scheduledEventId);
  if (e.workflowExecutionUpdateAcceptedEventAttributes)
    return `update ${e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? ''}`;
  if (e.workflowExecutionUpdateCompletedEventAttributes) {
    const id = e.workflowExecutionUpdateCompletedEventAttributes.meta?.updateId;
    const accepted = events.find(
      (x) => x.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === id
    );
    return `update ${accepted?.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? id}`;
  }
  if (e.workflowExecutionSignaledEventAttributes)
    return `signal ${e.workflowExecutionSignaledEventAttributes.signalName ?? ''}`;
  const local = localActivityOf(e);
  if (local) return `${local.activityType} (local) #${local.activityId}`;
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  return `workflow ${started?.workflowType?.name ?? ''}`.trim();
}

/** The payload's content, within `budget` bytes: whole and parsed, or its beginning as text. */
function decode(
  payload: Payload,
  budget: number,
  maxBytes: number
): Pick<PayloadContent, 'encoding' | 'state' | 'value' | 'text' | 'note'> & { used: number } {
  const encoding = utf8(payload.metadata?.encoding as Uint8Array | undefined) || undefined;
  const data = payload.data ?? new Uint8Array();
  if (encoding === 'binary/null') return { encoding, state: 'ok', value: null, used: 0 };
  if (encoding !== 'json/plain' && encoding !== 'json/protobuf') {
    return {
      encoding,
      state: 'unreadable',
      note:
        encoding === 'binary/plain'
          ? `${data.length} bytes of binary data, not shown`
          : `encoded as ${encoding ?? 'nothing known'} (e.g. by a codec): not decoded here`,
      used: 0,
    };
  }
  const masked = { n: 0 };
  const maskNote = () =>
    masked.n ? ` ${masked.n} string(s) that look like credentials are shown as [redacted].` : '';
  if (data.length <= budget) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8(data));
    } catch (err) {
      return { encoding, state: 'unreadable', note: `not valid JSON: ${(err as Error).message}`, used: 0 };
    }
    const value = maskValue(parsed, masked);
    return {
      encoding,
      state: 'ok',
      value,
      used: data.length,
      ...(masked.n ? { note: maskNote().trim() } : {}),
    };
  }
  // Cut on a character boundary: a partial UTF-8 sequence at the end decodes to U+FFFD, dropped.
  const shown = Buffer.from(data)
    .subarray(0, budget)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  const text = mask(shown, masked);
  return {
    encoding,
    state: 'truncated',
    text,
    note:
      `cut: the first ${Buffer.byteLength(shown)} of ${data.length} bytes are shown (a view shows at most ` +
      `${maxBytes} bytes; up to ${MAX_VIEW_BYTES} may be asked for).${maskNote()}`,
    used: budget,
  };
}

/**
 * The payload as the workflow or activity received it: read from the store when history holds a
 * reference, then through the client's codecs (decryption), in the order the SDK reads them. A
 * missing object, a store or key this process lacks, is described, not thrown.
 */
async function resolve(
  client: Client,
  payload: Payload
): Promise<{ payload: Payload; encodedAs?: string } | { state: 'missing' | 'unreadable'; note: string }> {
  const converter = client.options.loadedDataConverter;
  let raw = payload;
  const ref = referenceOf(payload);
  if (ref) {
    if (!converter.externalStorage)
      return {
        state: 'unreadable',
        note: `stored in ${ref.driverName}, but this process has no payload store configured (STEADFAST_PAYLOAD_STORE)`,
      };
    try {
      raw = await retrieve(converter.externalStorage, ref);
    } catch (err) {
      const type = (err as { type?: string }).type;
      return { state: type === 'PayloadNotFound' ? 'missing' : 'unreadable', note: (err as Error).message };
    }
  }
  let decoded = [raw];
  try {
    for (const codec of [...converter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  } catch (err) {
    return { state: 'unreadable', note: (err as Error).message };
  }
  const before = utf8(raw.metadata?.encoding as Uint8Array | undefined);
  const after = utf8(decoded[0]?.metadata?.encoding as Uint8Array | undefined);
  return { payload: decoded[0]!, ...(before !== after ? { encodedAs: before } : {}) };
}

/**
 * The decoded input or result recorded by one event of one run. Throws NoSuchPayload when the
 * run, the event or the field does not exist; a stored payload that cannot be read is reported in
 * the view (state `missing` or `unreadable`, with the store's message), not thrown.
 */
export async function viewPayload(client: Client, request: PayloadRequest): Promise<PayloadView> {
  const { workflowId, runId, eventId, field } = request;
  const maxBytes = Math.min(MAX_VIEW_BYTES, Math.max(0, request.maxBytes ?? DEFAULT_VIEW_BYTES));
  let events: HistoryEvent[];
  try {
    events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'WorkflowNotFoundError' || /not ?found/i.test((err as Error).message ?? ''))
      throw new NoSuchPayload(
        `no run ${runId} of ${workflowId}`,
        'the timeline names the run of each payload (entries[].payloads[].runId)'
      );
    throw err;
  }
  const event = events.find((e) => Number(e.eventId) === eventId);
  if (!event) throw new NoSuchPayload(`run ${runId} of ${workflowId} has no event ${eventId}`);
  const found = eventPayloads(event);
  if (!found || found.payloads.length === 0 || found.field !== field) {
    const has = found?.payloads.length ? `it records the ${found.field}` : 'it records no input or result';
    throw new NoSuchPayload(
      `event ${eventId} (${eventTypeOf(event)}) of run ${runId} has no ${field}: ${has}`,
      'the timeline lists, for each step, the events that record its input and result'
    );
  }
  let budget = maxBytes;
  const payloads: PayloadContent[] = [];
  for (const [index, payload] of found.payloads.entries()) {
    const info = payloadInfo(payload);
    const resolved = await resolve(client, payload);
    if (!('payload' in resolved)) {
      payloads.push({ index, ...info, state: resolved.state, note: resolved.note });
      continue;
    }
    const { used, ...content } = decode(resolved.payload, budget, maxBytes);
    budget -= used;
    if (resolved.encodedAs) {
      const held = `${info.location === 'stored' ? 'the store' : 'history'} holds it as ${resolved.encodedAs}; shown decoded.`;
      content.note = content.note ? `${held} ${content.note}` : held;
    }
    payloads.push({ index, ...info, ...content });
  }
  return {
    workflowId,
    runId,
    eventId,
    field,
    eventType: eventTypeOf(event),
    step: stepOf(event, events),
    maxBytes,
    payloads,
  };
}
