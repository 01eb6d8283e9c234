// The references that external storage leaves in history, read from a history as `fetchHistory()`
// returns it (bytes) or as the Temporal CLI writes it (base64 JSON), without the SDK's internals.
import { StorageDriverClaim, type ExternalStorage, type Payload } from '@temporalio/common';
import { HASH_VALUE } from './content.js';
import { LocalPayloadDriver } from './local-driver.js';

const REFERENCE_TYPE = 'temporal.api.sdk.v1.ExternalStorageReference';

export interface StoredReference {
  driverName: string;
  claimData: Record<string, string>;
  /** The payload's serialized size, as the reference records it. */
  sizeBytes: number;
}

type PayloadLike = { metadata?: Record<string, unknown> | null; data?: unknown; externalPayloads?: unknown };

function text(value: unknown): string | undefined {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'string') return Buffer.from(value, 'base64').toString('utf8');
  return undefined;
}

/** The reference a payload is, or undefined for an inline payload. */
export function referenceOf(payload: PayloadLike): StoredReference | undefined {
  const metadata = payload.metadata;
  if (!metadata || text(metadata.encoding) !== 'json/protobuf') return undefined;
  if (text(metadata.messageType) !== REFERENCE_TYPE) return undefined;
  const body = JSON.parse(text(payload.data) ?? '{}') as Partial<StoredReference>;
  const details = (payload.externalPayloads as { sizeBytes?: unknown }[] | undefined)?.[0];
  return {
    driverName: body.driverName ?? '',
    claimData: body.claimData ?? {},
    sizeBytes: Number(details?.sizeBytes ?? 0),
  };
}

/** Calls `visit` on every payload-shaped object of a history (or of any part of one). */
function eachPayload(value: unknown, visit: (payload: PayloadLike) => void): void {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
  if (Array.isArray(value)) {
    for (const item of value) eachPayload(item, visit);
    return;
  }
  const record = value as Record<string, unknown>;
  if (record.metadata && typeof record.metadata === 'object' && 'data' in record) {
    visit(record as PayloadLike);
    return;
  }
  for (const child of Object.values(record)) eachPayload(child, visit);
}

/** Every distinct stored payload a history refers to (by driver and content hash). */
export function storedReferencesOf(history: unknown): StoredReference[] {
  const found = new Map<string, StoredReference>();
  eachPayload(history, (payload) => {
    const ref = referenceOf(payload);
    if (ref)
      found.set(`${ref.driverName}/${ref.claimData[HASH_VALUE] ?? JSON.stringify(ref.claimData)}`, ref);
  });
  return [...found.values()];
}

/**
 * Replaces, in place, each reference in a history read by `fetchHistory()` by the payload it
 * names, so that code reading results from history (tests, tools) sees what the workflow saw.
 */
export async function resolveStoredPayloads<T>(history: T, storage: ExternalStorage): Promise<T> {
  const pending: Promise<void>[] = [];
  eachPayload(history, (payload) => {
    const ref = referenceOf(payload);
    if (!ref) return;
    pending.push(
      retrieve(storage, ref).then((resolved) => {
        payload.metadata = resolved.metadata ?? {};
        payload.data = resolved.data;
        delete payload.externalPayloads;
      })
    );
  });
  await Promise.all(pending);
  return history;
}

/** Reads every payload a history refers to, so that one missing or changed is named before anything uses them. */
export async function checkStoredPayloads(history: unknown, storage: ExternalStorage): Promise<number> {
  const refs = storedReferencesOf(history);
  await Promise.all(refs.map((ref) => retrieve(storage, ref)));
  return refs.length;
}

/** The payload a reference names, read from the store its driver name selects. */
export async function retrieve(storage: ExternalStorage, ref: StoredReference): Promise<Payload> {
  const driver = storage.getDriver(ref.driverName);
  if (!driver)
    throw new Error(`history refers to payload store "${ref.driverName}", which is not configured here`);
  const [payload] = await driver.retrieve({}, [new StorageDriverClaim(ref.claimData)]);
  return payload!;
}

/**
 * Copies every payload a history refers to from `storage` into `dir` (the layout of the local
 * store), checking each lands under the hash its reference names: a fixture's payloads travel with it.
 */
export async function copyStoredPayloads(
  history: unknown,
  storage: ExternalStorage,
  dir: string
): Promise<number> {
  const target = new LocalPayloadDriver(dir);
  const refs = storedReferencesOf(history);
  for (const ref of refs) {
    const payload = await retrieve(storage, ref);
    const [claim] = await target.store({}, [payload]);
    if (claim!.claimData[HASH_VALUE] !== ref.claimData[HASH_VALUE]) {
      throw new Error(
        `payload ${ref.claimData[HASH_VALUE]} re-serialized to another hash; it cannot be copied`
      );
    }
  }
  return refs.length;
}
