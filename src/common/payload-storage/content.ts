// What a stored object is: one Payload message, serialized as protobuf and named by its SHA-256.
import { createHash } from 'node:crypto';
import { ApplicationFailure, StorageDriverClaim, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';

const PayloadMessage = proto.temporal.api.common.v1.Payload;

/** The claim keys, named as Temporal's own S3 drivers name theirs (Go, Python), so claims read alike. */
export const HASH_ALGORITHM = 'hash_algorithm';
export const HASH_VALUE = 'hash_value';

export interface StoredObject {
  sha256: string;
  bytes: Uint8Array;
}

/** The payload as stored: its protobuf bytes (metadata and data, exactly what history held) and their hash. */
export function serializePayload(payload: Payload): StoredObject {
  const bytes = PayloadMessage.encode(payload).finish();
  return { sha256: sha256(bytes), bytes };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Parses stored bytes back into the payload, after checking they still hash to the claim: a payload
 * that changed would change what the workflow replays.
 */
export function parseStoredPayload(bytes: Uint8Array, expectedSha256: string, where: string): Payload {
  const actual = sha256(bytes);
  if (actual !== expectedSha256) {
    throw ApplicationFailure.create({
      type: 'PayloadCorrupted',
      nonRetryable: true,
      message: `stored payload ${where} does not match its content hash (sha256 ${actual}, expected ${expectedSha256}): it was changed or truncated after it was written; restore it from a backup`,
    });
  }
  const decoded = PayloadMessage.decode(bytes);
  return { metadata: decoded.metadata, data: decoded.data };
}

export function claimFor(sha: string, extra: Record<string, string> = {}): StorageDriverClaim {
  return new StorageDriverClaim({ [HASH_ALGORITHM]: 'sha256', [HASH_VALUE]: sha, ...extra });
}

/** The hash a claim names, checked to be one (it also becomes a file name or key: nothing else may pass). */
export function claimedSha256(claim: StorageDriverClaim, driver: string): string {
  const algorithm = claim.claimData[HASH_ALGORITHM];
  const value = claim.claimData[HASH_VALUE];
  if (algorithm !== 'sha256' || !value || !/^[0-9a-f]{64}$/.test(value)) {
    throw ApplicationFailure.create({
      type: 'PayloadReferenceInvalid',
      nonRetryable: true,
      message: `${driver}: a payload reference in history has no valid sha256 (claim ${JSON.stringify(claim.claimData)})`,
    });
  }
  return value;
}

/** The relative location of an object, the same in every store: sha256/ab/abcdef…  */
export function objectPath(sha: string): string {
  return `sha256/${sha.slice(0, 2)}/${sha}`;
}

/**
 * A payload that history refers to is gone. Non-retryable: the store is written before the
 * reference reaches Temporal, so a missing object does not appear later by waiting — it was deleted,
 * or this process reads another store than the one that wrote it. The message says which.
 */
export function payloadNotFound(
  driver: string,
  location: string,
  sha: string,
  hint: string
): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'PayloadNotFound',
    nonRetryable: true,
    message: `stored payload sha256:${sha} is missing from ${location} (${driver}). ${hint}`,
  });
}
