import os from 'node:os';
import type { Context, MiddlewareHandler } from 'hono';
import { HttpError } from './errors.js';

/**
 * Defences against requests a browser can be made to send. A page on another site can point its
 * DNS name at 127.0.0.1 (DNS rebinding) and then read this server as if it were its own origin:
 * the Host header still carries the attacker's name, so only listed names are served. A page can
 * also post forms and open event streams to any address (CSRF): state-changing requests and
 * streams must come from this origin, or from an allowlisted one.
 */
export interface BrowserGuardOptions {
  /** The address the server is bound to. */
  bindHost: string;
  /** Extra names (or IP addresses) the server answers to: `--allowed-host`. */
  allowedHosts?: readonly string[];
  /** Extra origins (`https://ui.example.com`) allowed to send state-changing requests: `--allowed-origin`. */
  allowedOrigins?: readonly string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '::1']);
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '']);

/** `host[:port]` or `[v6][:port]` -> the host part, lower-case, without brackets. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.indexOf(':');
  return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.slice(0, colon) : h;
}

function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || /^127(?:\.\d{1,3}){3}$/.test(name) || name === '::ffff:127.0.0.1';
}

/** Checks `--allowed-host` values: host names or IP addresses, no scheme, path or port. */
export function parseAllowedHosts(values: readonly string[]): string[] {
  return values.map((v) => {
    const name = hostName(v);
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$|^[0-9a-f:.]+$/.test(name) || v.includes('/'))
      throw new Error(`--allowed-host ${JSON.stringify(v)} is not a host name (e.g. research.example.com)`);
    return name;
  });
}

/** Checks `--allowed-origin` values: `scheme://host[:port]`, nothing else. */
export function parseAllowedOrigins(values: readonly string[]): string[] {
  return values.map((v) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw new Error(`--allowed-origin ${JSON.stringify(v)} is not an origin (e.g. https://ui.example.com)`);
    }
    if (!/^https?:$/.test(url.protocol) || (url.pathname !== '/' && url.pathname !== '') || url.search)
      throw new Error(`--allowed-origin ${JSON.stringify(v)} must be scheme://host[:port] only`);
    return url.origin;
  });
}

/** The names this server answers to. */
export function hostAllowlist(options: BrowserGuardOptions): (name: string) => boolean {
  const names = new Set<string>(options.allowedHosts ?? []);
  const bind = hostName(options.bindHost);
  if (WILDCARD_BINDS.has(bind)) {
    // Bound to every interface: the machine's own addresses are its names (an IP literal cannot be rebound).
    for (const list of Object.values(os.networkInterfaces()))
      for (const a of list ?? []) names.add(a.address.toLowerCase().replace(/%.*$/, ''));
  } else names.add(bind);
  return (name) => isLoopbackName(name) || names.has(name);
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Host allowlist on every request; Origin (or Sec-Fetch-Site) on state-changing requests and event streams. */
export function browserGuard(options: BrowserGuardOptions): MiddlewareHandler {
  const allowedHost = hostAllowlist(options);
  const origins = new Set(options.allowedOrigins ?? []);
  return async (c, next) => {
    const host = servedHost(
      c,
      allowedHost,
      ' (names are checked so that a web page cannot reach this server through DNS rebinding)'
    );
    const guarded = UNSAFE_METHODS.has(c.req.method) || c.req.path.endsWith('/events');
    if (guarded) {
      const origin = c.req.header('origin');
      const sameOrigin =
        origin !== undefined && origin !== 'null' && originHost(origin) === host.toLowerCase();
      if (origin !== undefined && !sameOrigin && !origins.has(origin))
        throw new HttpError(
          403,
          `requests from the page at ${origin.slice(0, 200)} are not allowed`,
          'open the steadfast UI from this server, or start `steadfast serve` with --allowed-origin ' +
            `${origin.slice(0, 200)} if that page is yours`
        );
      refuseCrossSite(c);
    }
    return next();
  };
}

/**
 * The request's Host header, when it names this server; otherwise a 400 (none) or a 421 whose hint
 * says how to serve that name, followed by `why`.
 */
export function servedHost(c: Context, allowedHost: (name: string) => boolean, why = ''): string {
  const host = c.req.header('host');
  if (!host) throw new HttpError(400, 'the request has no Host header');
  const name = hostName(host);
  if (!allowedHost(name))
    throw new HttpError(
      421,
      `this server does not answer to the host name "${name.slice(0, 100)}"`,
      `if that name is yours, start \`steadfast serve\` with --allowed-host ${name.slice(0, 100)}${why}`
    );
  return host;
}

/** A request without Origin is still refused when the browser says (Sec-Fetch-Site) another site sent it. */
export function refuseCrossSite(c: Context): void {
  const site = c.req.header('sec-fetch-site');
  if (c.req.header('origin') === undefined && site !== undefined && site !== 'same-origin' && site !== 'none')
    throw new HttpError(403, `cross-site requests are not allowed (Sec-Fetch-Site: ${site.slice(0, 40)})`);
}

/** The `host[:port]` of an Origin header, lower-case; undefined when it is not a URL. */
export function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}
