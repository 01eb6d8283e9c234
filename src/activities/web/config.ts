/**
 * Configuration of the web activities, read from the worker's environment at each call (so that a
 * key never travels in an activity's input, output or history). Bad values are refused with the
 * variable's name and an example.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { settingMs } from '../../common/duration.js';
import { packageRoot } from '../../common/paths.js';
import { webFailure } from './errors.js';
import type { SearchProviderName } from './types.js';

export type Env = Record<string, string | undefined>;

export const MAX_REDIRECTS = 5;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_FETCH_TIMEOUT_MS = 20_000;
const DEFAULT_SEARCH_TIMEOUT_MS = 15_000;

export const DEFAULT_ENDPOINTS: Record<'brave' | 'tavily', string> = {
  brave: 'https://api.search.brave.com/res/v1/web/search',
  tavily: 'https://api.tavily.com/search',
};

export interface SearchConfig {
  provider: SearchProviderName;
  endpoint: URL;
  /** Never logged, returned or put in an error message. */
  key?: string;
  timeoutMs: number;
}

export interface FetchConfig {
  /** Normalised `host:port` entries (host as a URL spells it: lower case, IPv6 in brackets). */
  allow: Set<string>;
  robots: boolean;
  maxBytes: number;
  timeoutMs: number;
  userAgent: string;
}

function invalid(variable: string, value: string, expected: string): Error {
  return webFailure(
    'WebConfigInvalid',
    `${variable}=${JSON.stringify(value.slice(0, 200))} is not valid: expected ${expected}.`
  );
}

let version: string | undefined;
/** `Mozilla/5.0 (compatible; steadfast/<version>; research agent)`: robots.txt groups match "steadfast". */
export function userAgent(): string {
  version ??= (() => {
    try {
      return String(JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).version);
    } catch {
      return 'unknown';
    }
  })();
  return `Mozilla/5.0 (compatible; steadfast/${version}; research agent)`;
}

/** The product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = 'steadfast';

function duration(env: Env, variable: string, fallback: number): number {
  const raw = env[variable]?.trim();
  if (!raw) return fallback;
  const value = settingMs(raw);
  if (value === undefined)
    throw invalid(variable, raw, 'a duration such as "20s" or "1 minute" (or milliseconds)');
  if (value < 100 || value > 10 * 60_000)
    throw invalid(variable, raw, 'a duration between 100 ms and 10 minutes');
  return value;
}

/** `host:port` as a URL spells it; throws on an entry without a port. */
export function allowEntry(entry: string): string {
  let url: URL;
  try {
    url = new URL(`http://${entry}`);
  } catch {
    throw invalid(
      'STEADFAST_FETCH_ALLOW',
      entry,
      'comma-separated host:port entries, e.g. "127.0.0.1:8080,[::1]:8443"'
    );
  }
  const port = /:(\d+)$/.exec(entry)?.[1];
  if (!port || url.pathname !== '/' || url.username || url.search || url.hash) {
    throw invalid(
      'STEADFAST_FETCH_ALLOW',
      entry,
      'host:port entries with an explicit port, e.g. "intranet.example:8080"'
    );
  }
  return `${url.hostname}:${Number(port)}`;
}

export function fetchConfig(env: Env = process.env): FetchConfig {
  const allow = new Set(
    (env.STEADFAST_FETCH_ALLOW ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(allowEntry)
  );
  const robotsRaw = (env.STEADFAST_FETCH_ROBOTS ?? 'on').trim().toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0', ''].includes(robotsRaw))
    throw invalid('STEADFAST_FETCH_ROBOTS', robotsRaw, '"on" (respect robots.txt, the default) or "off"');
  const bytesRaw = env.STEADFAST_FETCH_MAX_BYTES?.trim();
  const maxBytes = bytesRaw ? Number(bytesRaw) : DEFAULT_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1024 || maxBytes > 200 * 1024 * 1024)
    throw invalid('STEADFAST_FETCH_MAX_BYTES', bytesRaw ?? '', 'a byte count between 1024 and 209715200');
  return {
    allow,
    robots: !['off', 'false', '0'].includes(robotsRaw),
    maxBytes,
    timeoutMs: duration(env, 'STEADFAST_FETCH_TIMEOUT', DEFAULT_FETCH_TIMEOUT_MS),
    userAgent: userAgent(),
  };
}

const PROVIDERS: SearchProviderName[] = ['searxng', 'brave', 'tavily'];

function endpoint(env: Env, variable: string, fallback: string | undefined): URL | undefined {
  const raw = env[variable]?.trim() || fallback;
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    /* reported below */
  }
  throw invalid(variable, raw, 'an http(s) URL such as "http://127.0.0.1:8888"');
}

/** Why no provider is configured, with the fix; shared by the activity error and describeWebTools. */
export const NO_PROVIDER =
  'No web search provider is configured. Fix: set STEADFAST_SEARXNG_URL (a SearXNG instance with the json ' +
  'format enabled), BRAVE_API_KEY or TAVILY_API_KEY in the environment of the worker that runs the tools.';

/**
 * The provider in use: STEADFAST_SEARCH_PROVIDER when set, otherwise the first configured of
 * SearXNG (self-hosted, no key), Brave, Tavily. Undefined when none is configured.
 */
export function searchConfig(env: Env = process.env): SearchConfig | undefined {
  const timeoutMs = duration(env, 'STEADFAST_SEARCH_TIMEOUT', DEFAULT_SEARCH_TIMEOUT_MS);
  const configured = (name: SearchProviderName): SearchConfig | undefined => {
    if (name === 'searxng') {
      const base = endpoint(env, 'STEADFAST_SEARXNG_URL', undefined);
      if (!base) return undefined;
      base.search = '';
      base.hash = '';
      if (!base.pathname.endsWith('/')) base.pathname += '/';
      return { provider: name, endpoint: new URL('search', base), timeoutMs };
    }
    const key = (name === 'brave' ? env.BRAVE_API_KEY : env.TAVILY_API_KEY)?.trim();
    if (!key) return undefined;
    const variable = name === 'brave' ? 'STEADFAST_BRAVE_URL' : 'STEADFAST_TAVILY_URL';
    return { provider: name, endpoint: endpoint(env, variable, DEFAULT_ENDPOINTS[name])!, key, timeoutMs };
  };
  const chosen = env.STEADFAST_SEARCH_PROVIDER?.trim().toLowerCase();
  if (chosen) {
    if (!PROVIDERS.includes(chosen as SearchProviderName))
      throw invalid('STEADFAST_SEARCH_PROVIDER', chosen, `one of ${PROVIDERS.join(', ')}`);
    const config = configured(chosen as SearchProviderName);
    if (!config) {
      const needs =
        chosen === 'searxng'
          ? 'STEADFAST_SEARXNG_URL'
          : chosen === 'brave'
            ? 'BRAVE_API_KEY'
            : 'TAVILY_API_KEY';
      throw webFailure(
        'WebSearchNotConfigured',
        `STEADFAST_SEARCH_PROVIDER=${chosen} but ${needs} is not set. Fix: set ${needs} in the worker's environment.`
      );
    }
    return config;
  }
  for (const name of PROVIDERS) {
    const config = configured(name);
    if (config) return config;
  }
  return undefined;
}
