/**
 * HTTP exchanges through the guard: one request per cleared Target, connected to the address the
 * guard checked (a `lookup` that answers only that address, and a check of the socket's peer), with
 * a deadline that covers connecting, headers and body, and a size cap enforced while the body
 * streams in (after decompression, so a small compressed body cannot expand past it).
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { webFailure } from './errors.js';
import { checkTarget, type GuardOptions, type Target } from './guard.js';
import type { WebErrorType } from './types.js';

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered. */
  url: URL;
  target: Target;
  response: IncomingMessage;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Absolute time (ms) by which the whole exchange must be done. */
  deadline: number;
  signal?: AbortSignal;
  /** What a timeout is called: FetchTimeout for pages, WebSearchUnavailable for search APIs. */
  timeoutType?: WebErrorType;
}

const NETWORK_RETRYABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

const sameAddress = (a: string | undefined, b: string): boolean =>
  !!a && a.replace(/^::ffff:/, '').toLowerCase() === b.replace(/^::ffff:/, '').toLowerCase();

/** Maps a socket, TLS or parser error to a typed failure. */
function networkFailure(err: NodeJS.ErrnoException, target: Target): Error {
  const where = target.url.href.slice(0, 300);
  const code = err.code ?? '';
  if (NETWORK_RETRYABLE.has(code))
    return webFailure(
      'FetchUnavailable',
      `${target.host}:${target.port} could not be reached (${code}) for ${where}`,
      {
        details: { url: target.url.href, code },
      }
    );
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(code + ' ' + err.message))
    return webFailure('FetchFailed', `TLS failed for ${where}: ${err.message}`, {
      details: { url: target.url.href, code },
    });
  return webFailure('FetchFailed', `request to ${where} failed: ${code ? `${code} ` : ''}${err.message}`, {
    details: { url: target.url.href, code },
  });
}

/** One request to a cleared target; resolves with the response head (the body is still to read). */
export function request(target: Target, options: RequestOptions): Promise<Exchange> {
  const lib = target.url.protocol === 'https:' ? https : http;
  // The only answer this request's connection can get: the address the guard checked.
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const where = target.url.href.slice(0, 300);
  return new Promise((resolve, reject) => {
    const req = lib.request({
      protocol: target.url.protocol,
      host: target.host,
      port: target.port,
      path: `${target.url.pathname}${target.url.search}`,
      method: options.method ?? 'GET',
      headers: { ...options.headers, host: target.url.host },
      lookup: pinned,
      family: target.family,
      agent: false,
    });
    let response: IncomingMessage | undefined;
    let settled = false;
    // One deadline for the whole exchange: before the head it fails the request, after it the body.
    const stop = (err: Error) => {
      if (response) return response.destroy(err);
      if (settled) return;
      settled = true;
      req.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () =>
        stop(
          webFailure(
            options.timeoutType ?? 'FetchTimeout',
            `${where} did not answer in full within the time limit`,
            {
              details: { url: target.url.href },
            }
          )
        ),
      Math.max(0, options.deadline - Date.now())
    );
    const onAbort = () => stop(webFailure('FetchUnavailable', `the fetch of ${where} was cancelled`));
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    if (options.signal?.aborted) {
      cleanup();
      return onAbort();
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const wrongPeer = (peer: string | undefined) =>
      sameAddress(peer, target.address)
        ? undefined
        : webFailure(
            'FetchRefused',
            `connected to ${peer}, not the checked address ${target.address} (${where})`
          );
    req.on('socket', (socket) => {
      socket.once('connect', () => {
        // Belt and braces: the peer must be the checked address, whatever resolved the name.
        const err = wrongPeer(socket.remoteAddress);
        if (err) stop(err);
      });
    });
    req.on('error', (err) => {
      if (!response) cleanup();
      stop((err as { type?: string }).type ? err : networkFailure(err as NodeJS.ErrnoException, target));
    });
    req.on('response', (res) => {
      if (settled) return res.destroy();
      const err = wrongPeer(res.socket?.remoteAddress);
      if (err) return stop(err);
      settled = true;
      response = res;
      // Errors reach the body's reader; one that comes while nobody reads must not crash the worker.
      res.on('error', () => undefined);
      res.once('close', cleanup);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, url: target.url, target, response: res });
    });
    req.end(options.body);
  });
}

/**
 * Reads a response body, decompressed, failing with PageTooLarge past `maxBytes` — or, with
 * `truncate`, keeping its first `maxBytes` bytes.
 */
export function readBody(exchange: Exchange, maxBytes: number, truncate = false): Promise<Buffer> {
  const { response, headers, url } = exchange;
  const declared = Number(headers['content-length']);
  if (!truncate && Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge(url, maxBytes, `declares ${declared} bytes, more`));
  }
  const encoding = String(headers['content-encoding'] ?? 'identity')
    .toLowerCase()
    .trim();
  let stream: Readable = response;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') stream = response.pipe(zlib.createInflate());
  else if (encoding === 'br') stream = response.pipe(zlib.createBrotliDecompress());
  else if (encoding !== 'identity' && encoding !== '') {
    response.destroy();
    return Promise.reject(
      webFailure(
        'FetchFailed',
        `${url.href.slice(0, 300)} is sent with an unknown content encoding "${encoding}"`
      )
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      if (err) {
        response.destroy();
        if (stream !== response) stream.destroy();
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    stream.on('data', (chunk: Buffer) => {
      if (truncate && size + chunk.length >= maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        done = true;
        response.destroy();
        if (stream !== response) stream.destroy();
        return resolve(Buffer.concat(chunks, size));
      }
      size += chunk.length;
      if (size > maxBytes) return finish(tooLarge(url, maxBytes, 'is larger'));
      chunks.push(chunk);
    });
    stream.once('end', () => finish());
    stream.on('error', (err) => finish(asFailure(err, exchange)));
    if (stream !== response) response.on('error', (err) => finish(asFailure(err, exchange)));
    response.once('close', () => {
      if (!response.complete)
        finish(
          asFailure(
            Object.assign(new Error('the connection closed mid-body'), { code: 'ECONNRESET' }),
            exchange
          )
        );
    });
  });
}

function asFailure(err: Error, exchange: Exchange): Error {
  if ((err as { type?: string }).type) return err; // already typed (the deadline)
  if ((err as NodeJS.ErrnoException).code?.startsWith('Z_'))
    return webFailure(
      'UnreadablePage',
      `${exchange.url.href.slice(0, 300)}: corrupt compressed body (${err.message})`
    );
  return networkFailure(err as NodeJS.ErrnoException, exchange.target);
}

function tooLarge(url: URL, maxBytes: number, what: string): Error {
  return webFailure(
    'PageTooLarge',
    `${url.href.slice(0, 300)} ${what} than the ${maxBytes}-byte limit (STEADFAST_FETCH_MAX_BYTES); not read.`,
    { details: { url: url.href, maxBytes } }
  );
}

/** Discards a response body without reading it. */
export function discard(exchange: Exchange): void {
  exchange.response.destroy();
}

export interface FollowOptions extends RequestOptions {
  guard: GuardOptions;
  maxRedirects: number;
  /** Called for every hop before it is requested (robots.txt checks). */
  beforeHop?: (url: URL) => Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url`, following at most `maxRedirects` redirects; every hop goes through the guard (and
 * `beforeHop`) again. Resolves with the first non-redirect response and the redirect chain.
 */
export async function follow(
  url: URL,
  options: FollowOptions
): Promise<{ exchange: Exchange; redirects: string[] }> {
  const redirects: string[] = [];
  let current = url;
  for (let hop = 0; ; hop++) {
    current.hash = '';
    // The guard first: robots.txt of a refused host is never asked for either.
    const target = await checkTarget(current, { ...options.guard, deadline: options.deadline });
    await options.beforeHop?.(current);
    const exchange = await request(target, options);
    const location = exchange.headers.location;
    if (!REDIRECTS.has(exchange.status) || !location) return { exchange, redirects };
    discard(exchange);
    if (hop >= options.maxRedirects) {
      throw webFailure(
        'TooManyRedirects',
        `${url.href.slice(0, 300)} redirected more than ${options.maxRedirects} times (last to ${location.slice(0, 300)})`,
        { details: { url: url.href, redirects } }
      );
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw webFailure(
        'FetchFailed',
        `${current.href.slice(0, 300)} redirects to an invalid URL "${location.slice(0, 300)}"`
      );
    }
    redirects.push(next.href);
    current = next;
  }
}
