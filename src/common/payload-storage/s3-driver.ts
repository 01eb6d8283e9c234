import type { S3Client } from '@aws-sdk/client-s3';
import type { StorageDriverClaim } from '@temporalio/common';
import { UserError } from '../errors.js';
import type { S3Settings } from './config.js';
import { ContentAddressedDriver } from './content-driver.js';
import { objectPath, payloadNotFound } from './content.js';

export const S3_DRIVER = 'steadfast.s3';

type S3Module = typeof import('@aws-sdk/client-s3');

/**
 * Payloads as objects in an S3-compatible bucket, content-addressed like the local store:
 * `<prefix>/sha256/ab/abcdef…`. A payload already there is not uploaded again (one HEAD first).
 * The claim also names bucket and key, so a reader configured with another prefix still finds it.
 * The AWS SDK is loaded on first use: processes on the local store never load it.
 */
export class S3PayloadDriver extends ContentAddressedDriver {
  readonly name = S3_DRIVER;
  readonly type = 'steadfast.s3';
  private client?: Promise<{ s3: S3Client; sdk: S3Module }>;

  /**
   * An object stored again after this long is copied onto itself, so that its S3 age means "last
   * referenced", as a local file's mtime does, and a lifecycle rule never expires what a new run
   * just referred to (docs/payload-storage.md, garbage collection).
   */
  readonly refreshAfterMs: number;

  constructor(
    readonly settings: S3Settings,
    options: { refreshAfterMs?: number } = {}
  ) {
    super();
    this.refreshAfterMs = options.refreshAfterMs ?? 24 * 60 * 60 * 1000;
  }

  keyOf(sha: string): string {
    return this.settings.prefix ? `${this.settings.prefix}/${objectPath(sha)}` : objectPath(sha);
  }

  protected async put(sha: string, bytes: Uint8Array, signal?: AbortSignal): Promise<Record<string, string>> {
    const { s3, sdk } = await this.connect();
    const { bucket } = this.settings;
    const key = this.keyOf(sha);
    try {
      const stored = await this.lastModified(key, signal);
      if (stored && Date.now() - stored.getTime() >= this.refreshAfterMs) {
        // Copied onto itself: its age (what a lifecycle rule expires by) restarts, without an upload.
        await s3.send(
          new sdk.CopyObjectCommand({
            Bucket: bucket,
            Key: key,
            CopySource: `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
            MetadataDirective: 'REPLACE',
            ContentType: 'application/x-protobuf',
          }),
          { abortSignal: signal }
        );
      } else if (!stored) {
        await s3.send(
          new sdk.PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentType: 'application/x-protobuf',
          }),
          { abortSignal: signal }
        );
      }
    } catch (err) {
      throw this.explain(err, `store s3://${bucket}/${key}`);
    }
    return { bucket, key };
  }

  protected async get(
    sha: string,
    claim: StorageDriverClaim,
    abortSignal?: AbortSignal
  ): Promise<{ bytes: Uint8Array; where: string }> {
    const { s3, sdk } = await this.connect();
    const bucket = claim.claimData.bucket || this.settings.bucket;
    // A key that does not end in its own hash could point anywhere: only ours are followed.
    const key = claim.claimData.key?.endsWith(objectPath(sha)) ? claim.claimData.key : this.keyOf(sha);
    try {
      const out = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
      return { bytes: await out.Body!.transformToByteArray(), where: `s3://${bucket}/${key}` };
    } catch (err) {
      if (errorName(err) === 'NoSuchKey' || errorName(err) === 'NotFound') {
        throw payloadNotFound(
          this.name,
          `s3://${bucket}/${key}`,
          sha,
          'Every worker and client must use the same STEADFAST_PAYLOAD_STORE; the object may also have been deleted too early (a lifecycle rule shorter than runs and their retention: docs/payload-storage.md). Restore it to let the run go on.'
        );
      }
      throw this.explain(err, `read s3://${bucket}/${key}`);
    }
  }

  /** When the object was last written, or undefined when there is none. */
  private async lastModified(key: string, abortSignal?: AbortSignal): Promise<Date | undefined> {
    const { s3, sdk } = await this.connect();
    try {
      const head = await s3.send(new sdk.HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }), {
        abortSignal,
      });
      return head.LastModified ?? new Date(0);
    } catch (err) {
      if (errorName(err) === 'NotFound' || errorName(err) === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  private connect(): Promise<{ s3: S3Client; sdk: S3Module }> {
    return (this.client ??= (async () => {
      let sdk: S3Module;
      try {
        sdk = await import('@aws-sdk/client-s3');
      } catch (err) {
        throw new UserError(
          `STEADFAST_PAYLOAD_STORE is an s3:// store but @aws-sdk/client-s3 cannot be loaded: ${(err as Error).message}`,
          'run `npm install` in the steadfast folder'
        );
      }
      const { region, endpoint, forcePathStyle, credentials } = this.settings;
      const s3 = new sdk.S3Client({
        region,
        forcePathStyle,
        ...(endpoint ? { endpoint } : {}),
        ...(credentials ? { credentials } : {}),
      });
      return { s3, sdk };
    })());
  }

  /** The SDK's errors name the code; ours also say what to change. */
  private explain(err: unknown, what: string): Error {
    const name = errorName(err);
    const where = this.settings.endpoint ? ` at ${this.settings.endpoint}` : '';
    if (name === 'NoSuchBucket') {
      // Said in the message itself: in a worker, only the message reaches the task failure.
      return new UserError(
        `cannot ${what}: bucket "${this.settings.bucket}" does not exist${where}; create it (e.g. \`aws s3 mb s3://${this.settings.bucket}\`) or point STEADFAST_PAYLOAD_STORE at an existing one`
      );
    }
    if (name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') {
      return new UserError(
        `cannot ${what}: ${name}${where}; check the credentials (STEADFAST_S3_ACCESS_KEY_ID / STEADFAST_S3_SECRET_ACCESS_KEY, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and that they may GetObject, PutObject and HeadObject on the bucket`
      );
    }
    const message = (err as Error)?.message ?? String(err);
    return new Error(`cannot ${what}${where}: ${name ? `${name}: ` : ''}${message}`, { cause: err });
  }
}

function errorName(err: unknown): string | undefined {
  return (err as { name?: string })?.name;
}
