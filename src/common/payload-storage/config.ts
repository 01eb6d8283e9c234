// Where large payloads go, read from the environment only: pure parsing, no SDK, no file system.
import path from 'node:path';
import { UserError } from '../errors.js';
import { dataDir } from '../paths.js';

/**
 * Payloads at or above this many bytes (serialized) leave history. Measured on a research run of
 * the offline model (117 KB of history inline): at 2 KiB every model request and response is stored
 * and the history is about 30 KB; at 4 KiB it is 74 KB, at 8 KiB 100 KB (docs/payload-storage.md).
 */
export const DEFAULT_THRESHOLD_BYTES = 2048;

export type PayloadStoreConfig = LocalStoreConfig | S3StoreConfig | OffStoreConfig;

interface Common {
  thresholdBytes: number;
  /** Where referenced payloads written by a local store are read from (always available for reading). */
  localDir: string;
}

export interface LocalStoreConfig extends Common {
  kind: 'local';
}

/** Nothing new leaves history; references already written are still read from the local store. */
export interface OffStoreConfig extends Common {
  kind: 'off';
}

export interface S3StoreConfig extends Common, S3Settings {
  kind: 's3';
}

export interface S3Settings {
  bucket: string;
  /** Key prefix without leading or trailing slash; '' for the bucket root. */
  prefix: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, moto, Ceph…); undefined = AWS. */
  endpoint?: string;
  /** Path-style addressing (http://host/bucket/key), which MinIO and moto need. */
  forcePathStyle: boolean;
  /** Static credentials from STEADFAST_S3_*; undefined = the AWS SDK's default chain (AWS_* variables, ~/.aws, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const STORE_VAR = 'STEADFAST_PAYLOAD_STORE';
const THRESHOLD_VAR = 'STEADFAST_PAYLOAD_THRESHOLD_BYTES';
const FORMS = '`local` (the data dir), `local:/shared/dir`, `s3://bucket/prefix` or `off`';

/**
 * Reads STEADFAST_PAYLOAD_STORE (default `local`), STEADFAST_PAYLOAD_THRESHOLD_BYTES and, for S3,
 * STEADFAST_S3_ENDPOINT / _REGION / _FORCE_PATH_STYLE / _ACCESS_KEY_ID / _SECRET_ACCESS_KEY (or the
 * standard AWS_ENDPOINT_URL_S3, AWS_REGION, AWS_ACCESS_KEY_ID… read by the AWS SDK). A bad setting
 * is a UserError that names the variable and the accepted forms.
 */
export function payloadStoreConfig(env: NodeJS.ProcessEnv = process.env): PayloadStoreConfig {
  const thresholdBytes = parseThreshold(env[THRESHOLD_VAR]);
  const raw = env[STORE_VAR]?.trim() || 'local';
  const defaultLocal = path.join(dataDir(), 'payloads');
  if (raw === 'local') return { kind: 'local', thresholdBytes, localDir: defaultLocal };
  if (raw === 'off') return { kind: 'off', thresholdBytes, localDir: defaultLocal };
  if (raw.startsWith('local:')) {
    const dir = raw.slice('local:'.length).trim();
    if (!dir) throw badStore(raw, 'the folder after `local:` is empty');
    return { kind: 'local', thresholdBytes, localDir: path.resolve(dir) };
  }
  if (raw.startsWith('s3://')) {
    return { kind: 's3', thresholdBytes, localDir: defaultLocal, ...s3Settings(raw, env) };
  }
  throw badStore(raw, 'unknown form');
}

function parseThreshold(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_THRESHOLD_BYTES;
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new UserError(
      `${THRESHOLD_VAR}=${JSON.stringify(value)} is not a whole number of bytes`,
      `set it to e.g. ${DEFAULT_THRESHOLD_BYTES} (the default): payloads of that many bytes or more are stored outside history; 0 stores every payload`
    );
  }
  return n;
}

function s3Settings(raw: string, env: NodeJS.ProcessEnv): S3Settings {
  const rest = raw.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = (slash === -1 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '');
  // S3's bucket naming rules (lower case, digits, dots, hyphens; 3–63 characters).
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw badStore(
      raw,
      `"${bucket}" is not a valid bucket name (3-63 lower-case letters, digits, dots, hyphens)`
    );
  }
  const endpoint = (env.STEADFAST_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL)?.trim();
  if (endpoint && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    throw new UserError(
      `STEADFAST_S3_ENDPOINT=${JSON.stringify(endpoint)} is not an http(s) URL`,
      'set it to the S3-compatible server, e.g. http://127.0.0.1:9000, or unset it to use AWS'
    );
  }
  const pathStyle = env.STEADFAST_S3_FORCE_PATH_STYLE?.trim().toLowerCase();
  if (pathStyle && !['true', 'false', '1', '0'].includes(pathStyle)) {
    throw new UserError(
      `STEADFAST_S3_FORCE_PATH_STYLE=${JSON.stringify(pathStyle)} is not true or false`,
      'path-style addressing is on by default with STEADFAST_S3_ENDPOINT (MinIO, moto) and off for AWS'
    );
  }
  const accessKeyId = env.STEADFAST_S3_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.STEADFAST_S3_SECRET_ACCESS_KEY?.trim();
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new UserError(
      'only one of STEADFAST_S3_ACCESS_KEY_ID and STEADFAST_S3_SECRET_ACCESS_KEY is set',
      'set both, or neither to use the standard AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ~/.aws, roles)'
    );
  }
  return {
    bucket,
    prefix,
    region:
      env.STEADFAST_S3_REGION?.trim() ||
      env.AWS_REGION?.trim() ||
      env.AWS_DEFAULT_REGION?.trim() ||
      'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: pathStyle ? pathStyle === 'true' || pathStyle === '1' : Boolean(endpoint),
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(env.STEADFAST_S3_SESSION_TOKEN ? { sessionToken: env.STEADFAST_S3_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  };
}

function badStore(value: string, why: string): UserError {
  return new UserError(`${STORE_VAR}=${JSON.stringify(value)}: ${why}`, `use ${FORMS}`);
}

/** One line for logs: where payloads go, never a credential. */
export function describePayloadStore(config: PayloadStoreConfig): string {
  const over = `payloads of ${config.thresholdBytes} bytes or more`;
  switch (config.kind) {
    case 'local':
      return `payload store: ${over} in ${config.localDir}`;
    case 's3':
      return `payload store: ${over} in s3://${config.bucket}/${config.prefix}${config.endpoint ? ` at ${config.endpoint}` : ''}`;
    case 'off':
      return `payload store: off (every payload stays in history; stored ones are read from ${config.localDir})`;
  }
}
