import { createHash, timingSafeEqual } from 'node:crypto';
import type { DataConverter, Payload } from '@temporalio/common';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { steadfastDataConverter } from '../common/data-converter.js';
import { UserError } from '../common/errors.js';
import { decodeForReading, encodeForWriting } from '../common/payload-codec/transcode.js';
import { hostAllowlist, originHost, refuseCrossSite, servedHost } from './browser-guard.js';
import { HttpError } from './errors.js';
import { jsonObjectBody, onlyFields } from './request-body.js';

/** A payload may be 2 MB (Temporal's limit), and base64 adds a third; a request may carry several. */
export const CODEC_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
const MAX_PAYLOADS = 1000;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

export interface CodecRouteOptions {
  /** The API token: when set, codec requests need `Authorization: Bearer <token>` like every endpoint. */
  token?: string;
  bindHost: string;
  allowedHosts?: readonly string[];
  /** Pages of other origins allowed to call the codec endpoints (CORS): see `codecOrigins`. */
  origins: readonly string[];
  /** Counts a request against the caller's rate limit (before the token check: guesses are throttled). */
  throttle?: (c: Context) => void;
  dataConverter?: DataConverter;
}

/**
 * The origins of pages that may call the codec endpoints: the Temporal Web UI's (on loopback under
 * each loopback name, as a browser may open either), and those given with --codec-origin or
 * --allowed-origin.
 */
export function codecOrigins(temporalUiUrl: string | undefined, extra: readonly string[] = []): string[] {
  const origins = new Set(extra);
  if (temporalUiUrl) {
    try {
      const url = new URL(temporalUiUrl);
      origins.add(url.origin);
      if (LOOPBACK.includes(url.hostname))
        for (const name of LOOPBACK) origins.add(`${url.protocol}//${name}${url.port ? `:${url.port}` : ''}`);
    } catch {
      // No usable Temporal UI address: only the listed origins.
    }
  }
  return [...origins];
}

/**
 * Temporal's codec server protocol, for the Temporal Web UI and CLI (`--codec-endpoint`):
 *
 *   POST /codec/decode  {payloads: [{metadata: {k: base64}, data: base64}]} → the same, decoded:
 *                       stored payloads fetched from the payload store, then decrypted
 *   POST /codec/encode  the same shape → encrypted with the encrypting key
 *   POST /codec/download  one stored payload's reference → the payload, decoded (the UI's download)
 *
 * Mounted before the API's browser guard, with a guard of its own: the same Host allowlist, but
 * cross-origin calls from the listed origins only (the Temporal UI's, which can read nothing else
 * here), answered with CORS headers; the API token when the server has one.
 */
export function registerCodecRoutes(app: Hono, options: CodecRouteOptions): void {
  const converter = () => options.dataConverter ?? steadfastDataConverter();
  app.use('/codec/*', codecGuard(options));
  const limit = bodyLimit({
    maxSize: CODEC_BODY_LIMIT_BYTES,
    onError: (c) =>
      c.json(
        { error: { message: `request body too large (limit ${CODEC_BODY_LIMIT_BYTES / 1024 / 1024} MB)` } },
        413,
        { Connection: 'close' }
      ),
  });
  const decode = async (c: Context) => {
    const payloads = payloadsOf(await jsonObjectBody(c));
    return c.json({ payloads: (await transcode(() => decodeForReading(converter(), payloads))).map(toJson) });
  };
  app.post('/codec/decode', limit, decode);
  // The Temporal UI's download button for a payload kept in the payload store: the same answer.
  app.post('/codec/download', limit, decode);
  app.post('/codec/encode', limit, async (c) => {
    const payloads = payloadsOf(await jsonObjectBody(c));
    return c.json({ payloads: (await transcode(() => encodeForWriting(converter(), payloads))).map(toJson) });
  });
}

/** Payload store failures as HTTP statuses; key errors (UserError) are 400 with their hint. */
async function transcode(run: () => Promise<Payload[]>): Promise<Payload[]> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof HttpError || err instanceof UserError) throw err;
    const failure = err as { type?: string; message?: string };
    if (failure.type === 'PayloadNotFound')
      throw new HttpError(404, failure.message ?? 'stored payload missing');
    if (failure.type === 'PayloadCorrupted' || failure.type === 'PayloadReferenceInvalid')
      throw new HttpError(400, failure.message ?? 'bad payload reference');
    throw err;
  }
}

function codecGuard(options: CodecRouteOptions): MiddlewareHandler {
  const allowedHost = hostAllowlist(options);
  const origins = new Set(options.origins);
  return async (c, next) => {
    const host = servedHost(c, allowedHost);
    const origin = c.req.header('origin');
    const sameOrigin = origin !== undefined && originHost(origin) === host.toLowerCase();
    const listed = origin !== undefined && origins.has(origin);
    if (origin !== undefined && !sameOrigin && !listed)
      throw new HttpError(
        403,
        `the page at ${origin.slice(0, 200)} may not use this codec server`,
        `if it is a Temporal UI you use, start \`steadfast serve\` with --codec-origin ${origin.slice(0, 200)}`
      );
    refuseCrossSite(c);
    if (listed) {
      c.header('Access-Control-Allow-Origin', origin);
      // The Temporal UI may be set to send credentials; no cookie is read here, the token is a header.
      c.header('Access-Control-Allow-Credentials', 'true');
      c.header('Vary', 'Origin');
    }
    c.header('Cache-Control', 'no-store');
    if (c.req.method === 'OPTIONS') return preflight(c);
    options.throttle?.(c);
    if (options.token) checkToken(c.req.header('authorization'), options.token);
    return next();
  };
}

/** The answer to a browser's preflight: POST with the headers the Temporal UI and CLI send. */
function preflight(c: Context): Response {
  c.header('Access-Control-Allow-Methods', 'POST');
  c.header('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
  c.header('Access-Control-Max-Age', '600');
  // A Temporal UI on a public site calling a codec server on this machine (Chrome's Private Network Access).
  if (c.req.header('access-control-request-private-network') === 'true')
    c.header('Access-Control-Allow-Private-Network', 'true');
  return c.body(null, 204);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function checkToken(header: string | undefined, token: string): void {
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (!given || !timingSafeEqual(digest(given), digest(token)))
    throw new HttpError(
      401,
      given ? 'wrong API token' : 'this codec server requires the API token',
      'send Authorization: Bearer <STEADFAST_API_TOKEN> (temporal … --codec-auth "Bearer <token>")'
    );
}

/** The `payloads` of a codec request, in the protobuf JSON form: bytes as base64. */
function payloadsOf(body: Record<string, unknown>): Payload[] {
  onlyFields(body, ['payloads'], 'codec request');
  const list = body.payloads;
  if (!Array.isArray(list))
    throw new HttpError(400, 'invalid codec request: payloads must be a list', 'send {"payloads": [...]}');
  if (list.length > MAX_PAYLOADS)
    throw new HttpError(400, `invalid codec request: more than ${MAX_PAYLOADS} payloads in one request`);
  return list.map((item, i) => {
    const where = `payloads[${i}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw new HttpError(400, `invalid codec request: ${where} must be an object`);
    const { metadata = {}, data = '', externalPayloads } = item as Record<string, unknown>;
    if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata))
      throw new HttpError(400, `invalid codec request: ${where}.metadata must be an object`);
    const meta: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(metadata)) meta[key] = bytes(value, `${where}.metadata.${key}`);
    return {
      metadata: meta,
      data: bytes(data, `${where}.data`),
      // Kept for a reference to the payload store, which records the stored size there.
      ...(Array.isArray(externalPayloads) ? { externalPayloads } : {}),
    } as Payload;
  });
}

function bytes(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value))
    throw new HttpError(400, `invalid codec request: ${where.slice(0, 200)} must be a base64 string`);
  return Buffer.from(value, 'base64');
}

function toJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {}))
    metadata[key] = Buffer.from(value).toString('base64');
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}
