/**
 * Web research activities: webSearch (a configured provider), fetchPage (one page, read safely and
 * stored for the run) and describeWebTools (what this worker is configured with, for the run's
 * status). Configuration comes from the worker's environment at each call; see docs/web-research.md.
 */
import { fetchConfig, MAX_REDIRECTS, NO_PROVIDER, searchConfig, type Env } from './config.js';
import { fetchPageWith } from './fetch-page.js';
import { Fetcher } from './fetcher.js';
import { systemResolver, type Resolver } from './guard.js';
import { webSearchWith } from './search.js';
import type {
  FetchPageInput,
  FetchPageResult,
  WebSearchInput,
  WebSearchResult,
  WebToolsDescription,
} from './types.js';

export type * from './types.js';
export { WebErrorType, WEB_MODEL_FIXABLE, WEB_NON_RETRYABLE } from './types.js';
export type { Resolver } from './guard.js';

export interface WebActivityOptions {
  /** Host name resolution (the system resolver by default); the guard checks what it returns. */
  resolve?: Resolver;
  /** Where configuration is read (process.env by default), at every call. */
  env?: Env;
}

export function createWebActivities(options: WebActivityOptions = {}) {
  const fetcher = new Fetcher(options.resolve ?? systemResolver);
  const env = () => options.env ?? process.env;

  /** Web search with the configured provider: at most 10 {title, url, snippet}. */
  async function webSearch(input: WebSearchInput): Promise<WebSearchResult> {
    return webSearchWith(fetcher, input, env());
  }

  /** One page, fetched safely (or read from the run's stored copy), as passages for the query. */
  async function fetchPage(input: FetchPageInput): Promise<FetchPageResult> {
    return fetchPageWith(fetcher, input, env());
  }

  /** The worker's web configuration, without keys: provider name and fetch policy. */
  async function describeWebTools(): Promise<WebToolsDescription> {
    const config = fetchConfig(env());
    let search: WebToolsDescription['search'];
    try {
      const chosen = searchConfig(env());
      search = chosen ? { provider: chosen.provider } : { provider: null, reason: NO_PROVIDER };
    } catch (err) {
      search = { provider: null, reason: (err as Error).message };
    }
    return {
      search,
      fetch: {
        robots: config.robots,
        allow: [...config.allow],
        maxBytes: config.maxBytes,
        timeoutMs: config.timeoutMs,
        maxRedirects: MAX_REDIRECTS,
        userAgent: config.userAgent,
      },
    };
  }

  return { webSearch, fetchPage, describeWebTools };
}

/** The web activities a worker registers (system resolver, process environment). */
export const webActivities = createWebActivities();
export type WebActivities = typeof webActivities;
