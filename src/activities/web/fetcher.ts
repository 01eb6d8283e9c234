/**
 * The guarded fetcher shared by the web activities: GET with the guard on every hop, robots.txt
 * checked on every hop's origin (cached per origin), and API requests (search providers) through
 * the same guard without redirects. One instance per worker keeps the robots cache.
 */
import { webFailure, isWebFailure, retryAfterMs } from './errors.js';
import type { Resolver } from './guard.js';
import { checkTarget } from './guard.js';
import { discard, follow, readBody, request, type Exchange } from './http.js';
import { parseRobots, robotsAllows, ROBOTS_MAX_BYTES, type RobotsTxt } from './robots.js';
import { ROBOTS_AGENT, MAX_REDIRECTS, type FetchConfig } from './config.js';

/** How long a robots.txt answer (rules, or "none": allow all) is trusted. */
const ROBOTS_TTL_MS = 60 * 60_000;

export interface GetOptions {
  config: FetchConfig;
  deadline: number;
  signal?: AbortSignal;
  accept: string;
}

export interface Fetched {
  exchange: Exchange;
  redirects: string[];
}

export class Fetcher {
  private robots = new Map<string, { expires: number; rules: Promise<RobotsTxt | null> }>();

  constructor(readonly resolve: Resolver) {}

  /** GET a page: guard and robots.txt on every hop; resolves with the final response head. */
  async get(url: URL, options: GetOptions): Promise<Fetched> {
    const { config } = options;
    return follow(url, {
      headers: {
        'user-agent': config.userAgent,
        accept: options.accept,
        'accept-encoding': 'gzip, deflate, br',
      },
      deadline: options.deadline,
      signal: options.signal,
      guard: { allow: config.allow, resolve: this.resolve, deadline: options.deadline },
      maxRedirects: MAX_REDIRECTS,
      beforeHop: config.robots ? (hop) => this.checkRobots(hop, options) : undefined,
    });
  }

  /** One API request (search providers): guarded, never redirected. */
  async call(
    url: URL,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    options: { config: FetchConfig; deadline: number; signal?: AbortSignal }
  ): Promise<Exchange> {
    const target = await checkTarget(url, {
      allow: options.config.allow,
      resolve: this.resolve,
      deadline: options.deadline,
    });
    return request(target, {
      ...init,
      headers: {
        'user-agent': options.config.userAgent,
        'accept-encoding': 'gzip, deflate, br',
        ...init.headers,
      },
      deadline: options.deadline,
      signal: options.signal,
      timeoutType: 'WebSearchUnavailable',
    });
  }

  /** Forgets cached robots.txt answers. */
  clearRobots(): void {
    this.robots.clear();
  }

  private async checkRobots(url: URL, options: GetOptions): Promise<void> {
    if (url.pathname === '/robots.txt') return;
    const origin = `${url.protocol}//${url.host}`;
    const now = Date.now();
    let entry = this.robots.get(origin);
    if (!entry || entry.expires <= now) {
      const rules = this.loadRobots(new URL('/robots.txt', url), options);
      entry = { expires: now + ROBOTS_TTL_MS, rules };
      this.robots.set(origin, entry);
      // Failures are not remembered: the next fetch asks again.
      rules.catch(() => {
        if (this.robots.get(origin) === entry) this.robots.delete(origin);
      });
    }
    const rules = await entry.rules;
    if (rules && !robotsAllows(rules, ROBOTS_AGENT, `${url.pathname}${url.search}`)) {
      throw webFailure(
        'RobotsDisallowed',
        `${origin}/robots.txt does not allow ${ROBOTS_AGENT} to fetch ${url.pathname.slice(0, 200)}${url.search.slice(0, 100)}. ` +
          'Fix: use another source (robots.txt can be ignored with STEADFAST_FETCH_ROBOTS=off on the worker).',
        { details: { url: url.href } }
      );
    }
  }

  /** Rules, or null when there are none to obey (4xx, too many redirects). Throws while unreachable. */
  private async loadRobots(robotsUrl: URL, options: GetOptions): Promise<RobotsTxt | null> {
    let fetched: Fetched;
    try {
      fetched = await this.get(robotsUrl, {
        ...options,
        config: { ...options.config, robots: false },
        accept: 'text/plain, */*;q=0.5',
      });
    } catch (err) {
      if (isWebFailure(err, 'TooManyRedirects')) return null;
      if (isWebFailure(err)) {
        err.message = `robots.txt of ${robotsUrl.origin} could not be read, so the page is not fetched: ${err.message}`;
      }
      throw err;
    }
    const { exchange } = fetched;
    if (exchange.status >= 200 && exchange.status < 300) {
      const body = await readBody(exchange, ROBOTS_MAX_BYTES, true);
      return parseRobots(body.toString('utf8'));
    }
    discard(exchange);
    if (exchange.status >= 400 && exchange.status < 500 && exchange.status !== 429) return null;
    // 429 and 5xx: "unreachable" — RFC 9309 asks to assume complete disallow until it can be read.
    throw webFailure(
      'FetchUnavailable',
      `robots.txt of ${robotsUrl.origin} answered ${exchange.status}; the site's pages are not fetched until it can be read`,
      { retryAfterMs: retryAfterMs(exchange.headers['retry-after']), details: { url: robotsUrl.href } }
    );
  }
}
