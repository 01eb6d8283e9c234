/**
 * The shapes that cross the web activities' boundary, and their error types. Pure (type imports
 * only): the workflow may import this file for its types and the error-type lists.
 */
import type { SearchHit } from '../corpus.js';

export type SearchProviderName = 'searxng' | 'brave' | 'tavily';

export interface WebSearchInput {
  /** Key terms, at most 400 characters. */
  query: string;
  /** Results wanted: default 5, at most 10. */
  limit?: number;
}

export interface WebSearchHit {
  title: string;
  /** An http(s) URL, to pass to fetchPage. */
  url: string;
  /** The provider's snippet, plain text (tags removed), at most ~500 characters. */
  snippet: string;
}

export interface WebSearchResult {
  /** The provider that answered (never its key or endpoint). */
  provider: SearchProviderName;
  query: string;
  results: WebSearchHit[];
}

export interface FetchPageInput {
  /** An http(s) URL (a fragment is ignored). */
  url: string;
  /** What to look for on the page: its best passages come back. Without it, the page's first passages. */
  query?: string;
  /** The research question; its rarest terms steer the passages at a lower weight (as in searchCorpus). */
  question?: string;
  /** Passages wanted: default 3, at most 8. */
  limit?: number;
}

/**
 * One passage of a fetched page: a corpus SearchHit, plus when the page was fetched. Its `sourceId` is
 * `<url>#L<start>-L<end>` (lines of the extracted text) or `<url>#p<page>` (PDF), `,;[]` in the URL
 * percent-encoded; its `path` the URL the text was read from (after redirects, without fragment); its
 * `title` "Page title › Section › Subsection"; `boilerplate` marks navigation, footer, licence… text.
 */
export interface WebHit extends SearchHit {
  /** ISO time the page was fetched (the stored copy's time when it was reused). */
  fetchedAt: string;
}

export type PageKind = 'html' | 'pdf' | 'text' | 'markdown';

export interface FetchPageResult {
  requestedUrl: string;
  /** The URL read, after redirects. */
  url: string;
  title: string;
  kind: PageKind;
  fetchedAt: string;
  /** True when the run's stored copy of the page was used instead of fetching it again. */
  reused: boolean;
  /** Passages the page was cut into. */
  passages: number;
  /**
   * True when `results` are the passages that best match the query; false when they are the
   * page's first passages (no query given, or no passage holds a query term).
   */
  matchedQuery: boolean;
  results: WebHit[];
}

export interface WebToolsDescription {
  /** The configured search provider, or null with the reason (and the fix). */
  search: { provider: SearchProviderName } | { provider: null; reason: string };
  fetch: {
    robots: boolean;
    /** `host:port` entries allowed although not public (STEADFAST_FETCH_ALLOW). */
    allow: string[];
    maxBytes: number;
    timeoutMs: number;
    maxRedirects: number;
    userAgent: string;
  };
}

/** Error types the web activities raise (ApplicationFailure.type). */
export const WebErrorType = {
  /** Empty or unusable query (shared with the corpus: the model can fix it). */
  InvalidQuery: 'InvalidQuery',
  InvalidUrl: 'InvalidUrl',
  /** Not fetched for safety: scheme, credentials, or an address that is not public. */
  FetchRefused: 'FetchRefused',
  RobotsDisallowed: 'RobotsDisallowed',
  UnsupportedContentType: 'UnsupportedContentType',
  PageTooLarge: 'PageTooLarge',
  TooManyRedirects: 'TooManyRedirects',
  /** A 4xx answer (other than 408/429) or a bad TLS certificate: the same request would fail again. */
  FetchFailed: 'FetchFailed',
  HostNotFound: 'HostNotFound',
  UnreadablePage: 'UnreadablePage',
  /** 429, 5xx, network errors, robots.txt unreachable: retryable, honouring Retry-After. */
  FetchUnavailable: 'FetchUnavailable',
  FetchTimeout: 'FetchTimeout',
  WebSearchNotConfigured: 'WebSearchNotConfigured',
  /** The provider refused the request (bad key, bad parameter): retrying cannot help. */
  WebSearchRejected: 'WebSearchRejected',
  WebSearchBadResponse: 'WebSearchBadResponse',
  /** 429, 5xx, network errors, timeouts: retryable, honouring Retry-After. */
  WebSearchUnavailable: 'WebSearchUnavailable',
  WebConfigInvalid: 'WebConfigInvalid',
} as const;
export type WebErrorType = (typeof WebErrorType)[keyof typeof WebErrorType];

/** Failures about one URL or query that the model can work around (another URL, other terms). */
export const WEB_MODEL_FIXABLE: readonly WebErrorType[] = [
  'InvalidQuery',
  'InvalidUrl',
  'FetchRefused',
  'RobotsDisallowed',
  'UnsupportedContentType',
  'PageTooLarge',
  'TooManyRedirects',
  'FetchFailed',
  'HostNotFound',
  'UnreadablePage',
];

/**
 * Raised non-retryable (list them in the activity's `nonRetryableErrorTypes` too): the failures the
 * model can fix, and the configuration or provider refusals that no retry can.
 */
export const WEB_NON_RETRYABLE: readonly WebErrorType[] = [
  ...WEB_MODEL_FIXABLE,
  'WebSearchNotConfigured',
  'WebSearchRejected',
  'WebSearchBadResponse',
  'WebConfigInvalid',
];
