import type {
  Payload,
  StorageDriver,
  StorageDriverClaim,
  StorageDriverRetrieveContext,
  StorageDriverStoreContext,
} from '@temporalio/common';
import { claimedSha256, claimFor, parseStoredPayload, serializePayload } from './content.js';

/**
 * A driver that stores payloads by content: each one serialized and put under its SHA-256, which
 * its claim names; read back, the bytes are checked against that hash. A store says only where the
 * bytes go and how they come back.
 */
export abstract class ContentAddressedDriver implements StorageDriver {
  abstract readonly name: string;
  abstract readonly type: string;

  /** Puts one serialized payload under its hash; returns what its claim names besides the hash. */
  protected abstract put(
    sha: string,
    bytes: Uint8Array,
    abortSignal?: AbortSignal
  ): Promise<Record<string, string>>;

  /** The bytes stored under a claimed hash, and where they were read (named when they do not match). */
  protected abstract get(
    sha: string,
    claim: StorageDriverClaim,
    abortSignal?: AbortSignal
  ): Promise<{ bytes: Uint8Array; where: string }>;

  async store(context: StorageDriverStoreContext, payloads: Payload[]): Promise<StorageDriverClaim[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        const { sha256, bytes } = serializePayload(payload);
        return claimFor(sha256, await this.put(sha256, bytes, context.abortSignal));
      })
    );
  }

  async retrieve(context: StorageDriverRetrieveContext, claims: StorageDriverClaim[]): Promise<Payload[]> {
    return Promise.all(
      claims.map(async (claim) => {
        const sha = claimedSha256(claim, this.name);
        const { bytes, where } = await this.get(sha, claim, context.abortSignal);
        return parseStoredPayload(bytes, sha, where);
      })
    );
  }
}
