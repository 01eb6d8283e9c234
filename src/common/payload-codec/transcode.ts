// Payloads as history holds them <-> payloads as the payload converter reads them, outside the SDK's
// own client and worker paths: for the codec server (the Temporal UI and CLI) and for tools and
// tests that read a raw history.
import { StorageDriverClaim, type DataConverter, type Payload } from '@temporalio/common';
import { UserError } from '../errors.js';
import { referenceOf } from '../payload-storage/references.js';

/**
 * What each payload holds: a reference to the payload store is fetched first, then the codecs are
 * undone, last first (the SDK's inbound order). Inline and stored payloads come back alike.
 */
export async function decodeForReading(converter: DataConverter, payloads: Payload[]): Promise<Payload[]> {
  let out = await Promise.all(payloads.map((payload) => fetchStored(converter, payload)));
  for (const codec of [...(converter.payloadCodecs ?? [])].reverse()) out = await codec.decode(out);
  return out;
}

/** The codecs applied in order, as a client does before sending; small payloads stay inline. */
export async function encodeForWriting(converter: DataConverter, payloads: Payload[]): Promise<Payload[]> {
  let out = payloads;
  for (const codec of converter.payloadCodecs ?? []) out = await codec.encode(out);
  return out;
}

async function fetchStored(converter: DataConverter, payload: Payload): Promise<Payload> {
  const ref = referenceOf(payload as Parameters<typeof referenceOf>[0]);
  if (!ref) return payload;
  const driver = converter.externalStorage?.getDriver(ref.driverName);
  if (!driver)
    throw new UserError(
      `a payload is kept in payload store "${ref.driverName}", which is not configured here`,
      'configure STEADFAST_PAYLOAD_STORE as the processes that wrote it are (docs/payload-storage.md)'
    );
  const [stored] = await driver.retrieve({}, [new StorageDriverClaim(ref.claimData)]);
  return stored!;
}

/**
 * Replaces, in place, every payload of a history (as `fetchHistory()` returns it) by what it
 * holds, so that a test or tool reading the history sees what the workflow saw.
 */
export async function decodeHistoryPayloads<T>(history: T, converter: DataConverter): Promise<T> {
  const found: Payload[] = [];
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (Array.isArray(value)) return value.forEach(walk);
    const record = value as Record<string, unknown>;
    if (record.metadata && typeof record.metadata === 'object' && 'data' in record) {
      found.push(record as Payload);
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(history);
  const decoded = await decodeForReading(converter, found);
  found.forEach((payload, i) => {
    const target = payload as Payload & { externalPayloads?: unknown };
    target.metadata = decoded[i]!.metadata ?? {};
    target.data = decoded[i]!.data;
    delete target.externalPayloads;
  });
  return history;
}
