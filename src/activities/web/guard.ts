/**
 * The fetch guard: decides, before any connection, whether a URL may be fetched and to which
 * address. Only http(s) without credentials; the host is resolved once, every address it
 * resolves to must be public (addresses.ts), and the connection is then pinned to the checked
 * address (http.ts), so a second, different DNS answer can never be used. An exact `host:port`
 * in STEADFAST_FETCH_ALLOW lifts the address rule for that host and port only.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress, describeAddress } from './addresses.js';
import { webFailure } from './errors.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Host name → addresses. Injected in tests; the system resolver (getaddrinfo) otherwise. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** A URL cleared for fetching, with the one address to connect to. */
export interface Target {
  url: URL;
  /** Host name or IP literal without brackets (what TLS verifies and `Host` names). */
  host: string;
  port: number;
  address: string;
  family: 4 | 6;
  /** Listed in STEADFAST_FETCH_ALLOW. */
  allowed: boolean;
}

export interface GuardOptions {
  allow: ReadonlySet<string>;
  resolve: Resolver;
  /** Absolute time (ms) by which resolution must be done. */
  deadline: number;
}

const DNS_RETRYABLE = new Set(['EAI_AGAIN', 'ETIMEOUT', 'ECONNREFUSED', 'ESERVFAIL', 'ETIMEDOUT']);

/** Parses a URL given by a caller; `InvalidUrl` when it is not an absolute URL. */
export function parseUrl(raw: string): URL {
  const text = typeof raw === 'string' ? raw.trim() : '';
  try {
    if (text) return new URL(text);
  } catch {
    /* reported below */
  }
  throw webFailure(
    'InvalidUrl',
    `${JSON.stringify(text.slice(0, 300))} is not an absolute URL. Fix: pass a full http(s) URL, e.g. "https://example.org/page".`
  );
}

function refuse(url: URL, why: string, key: string, extra: Record<string, unknown> = {}): Error {
  return webFailure(
    'FetchRefused',
    `${why} (${url.href.slice(0, 300)}). Only public http(s) addresses are fetched; to allow this one, add "${key}" to STEADFAST_FETCH_ALLOW in the worker's environment.`,
    { details: { url: url.href, reason: why, ...extra } }
  );
}

async function resolveBy(hostname: string, options: GuardOptions, url: URL): Promise<ResolvedAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(webFailure('FetchTimeout', `resolving ${hostname} took too long (${url.href.slice(0, 300)})`)),
      Math.max(0, options.deadline - Date.now())
    );
  });
  try {
    return await Promise.race([options.resolve(hostname), timeout]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME') {
      throw webFailure(
        'HostNotFound',
        `host ${hostname} was not found (${code}). Fix: check the URL's host name.`,
        {
          details: { url: url.href },
        }
      );
    }
    if (DNS_RETRYABLE.has(code))
      throw webFailure('FetchUnavailable', `resolving ${hostname} failed for now (${code})`, {
        details: { url: url.href },
      });
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Clears `url` for fetching or throws a FetchRefused (or a resolution failure) that says why. */
export async function checkTarget(url: URL, options: GuardOptions): Promise<Target> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw webFailure(
      'FetchRefused',
      `scheme "${url.protocol}" is not fetched (${url.href.slice(0, 300)}): only http and https URLs are.`,
      { details: { url: url.href, reason: `scheme ${url.protocol}` } }
    );
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const key = `${url.hostname}:${port}`;
  if (url.username || url.password) {
    throw webFailure(
      'FetchRefused',
      `URLs with credentials (user:password@host) are not fetched (${url.protocol}//${url.host}${url.pathname.slice(0, 200)}).`,
      { details: { reason: 'credentials in URL' } }
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const allowed = options.allow.has(key);
  const addresses: ResolvedAddress[] = isIP(host)
    ? [{ address: host, family: isIP(host) === 6 ? 6 : 4 }]
    : await resolveBy(host, options, url);
  if (addresses.length === 0) {
    throw webFailure('HostNotFound', `host ${host} has no address. Fix: check the URL's host name.`, {
      details: { url: url.href },
    });
  }
  if (!allowed) {
    // Every answer must be public: a name that also points inside must not get a second chance.
    for (const a of addresses) {
      const verdict = classifyAddress(a.address);
      if (!verdict.kind) continue;
      const what = describeAddress(a.address, verdict, isIP(host) ? undefined : host);
      throw refuse(url, what, key, {
        address: a.address,
        class: verdict.kind,
      });
    }
  }
  const first = addresses[0]!;
  return { url, host, port, address: first.address, family: first.family, allowed };
}
