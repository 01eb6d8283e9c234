/**
 * fetchPage: one web page, read safely (guard, robots.txt, size and time caps), stored for the run,
 * and returned as passages shaped like corpus search hits.
 */
import { Context } from '@temporalio/activity';
import { fetchConfig, type Env } from './config.js';
import { retryAfterMs, webFailure } from './errors.js';
import { ACCEPT, extractPage, pageKind } from './extract.js';
import type { Fetcher } from './fetcher.js';
import { parseUrl } from './guard.js';
import { discard, readBody } from './http.js';
import { hasText, pagePassages, pageHits } from './page-passages.js';
import { loadPage, PAGE_FORMAT, savePage, storeKey, type StoredPage } from './page-store.js';
import type { FetchPageInput, FetchPageResult } from './types.js';

const DEFAULT_LIMIT = 3;
const MAX_LIMIT = 8;
const MAX_QUERY_CHARS = 1000;
const MAX_QUESTION_CHARS = 2000;

function cancellation(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** Downloads and extracts the page (no stored copy yet); every failure is typed. */
async function download(fetcher: Fetcher, url: URL, env: Env): Promise<StoredPage> {
  const config = fetchConfig(env);
  const deadline = Date.now() + config.timeoutMs;
  const { exchange, redirects } = await fetcher.get(url, {
    config,
    deadline,
    signal: cancellation(),
    accept: ACCEPT,
  });
  const where = exchange.url.href.slice(0, 300);
  const status = exchange.status;
  if (status < 200 || status >= 300) {
    discard(exchange);
    const details = { url: exchange.url.href, status };
    if (status === 408 || status === 425 || status === 429 || status >= 500) {
      throw webFailure('FetchUnavailable', `${where} answered ${status}; retrying later may work`, {
        retryAfterMs: retryAfterMs(exchange.headers['retry-after']),
        details,
      });
    }
    throw webFailure('FetchFailed', `${where} answered ${status}${status === 404 ? ' (not found)' : ''}`, {
      details,
    });
  }
  const contentType = String(exchange.headers['content-type'] ?? '');
  const kind = pageKind(contentType, exchange.url);
  if (!kind) {
    discard(exchange);
    throw webFailure(
      'UnsupportedContentType',
      `${where} is ${contentType ? `"${contentType.slice(0, 100)}"` : 'sent without a content type'}: only HTML, PDF, plain text and Markdown pages are read.`,
      { details: { url: exchange.url.href, contentType } }
    );
  }
  const bytes = await readBody(exchange, config.maxBytes);
  const doc = await extractPage(kind, bytes, contentType, exchange.url);
  return {
    format: PAGE_FORMAT,
    requestedUrl: url.href,
    url: exchange.url.href,
    redirects,
    status,
    contentType,
    kind,
    bytes: bytes.length,
    fetchedAt: new Date().toISOString(),
    title: doc.title,
    doc,
  };
}

export async function fetchPageWith(
  fetcher: Fetcher,
  input: FetchPageInput,
  env: Env
): Promise<FetchPageResult> {
  const url = parseUrl(input?.url);
  url.hash = '';
  const requested = Number.isFinite(input.limit) ? Math.floor(input.limit as number) : DEFAULT_LIMIT;
  const limit = Math.min(MAX_LIMIT, Math.max(1, requested));
  const query = typeof input.query === 'string' ? input.query.trim().slice(0, MAX_QUERY_CHARS) : undefined;
  const question =
    typeof input.question === 'string' ? input.question.trim().slice(0, MAX_QUESTION_CHARS) : undefined;

  const key = storeKey();
  let page = await loadPage(key, url.href);
  const reused = page !== undefined;
  if (!page) {
    page = await download(fetcher, url, env);
    await savePage(key, page);
  }
  const cut = pagePassages(page);
  if (!hasText(cut)) {
    throw webFailure(
      'UnreadablePage',
      `${page.url.slice(0, 300)} has no readable text (a page that needs JavaScript to show its content, or an empty ${page.kind}).`,
      { details: { url: page.url } }
    );
  }
  const { hits, matched } = pageHits(page, cut, limit, query, question);
  return {
    requestedUrl: page.requestedUrl,
    url: page.url,
    title: page.title,
    kind: page.kind,
    fetchedAt: page.fetchedAt,
    reused,
    passages: cut.passages.length,
    matchedQuery: matched,
    results: hits,
  };
}
