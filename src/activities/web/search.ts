/**
 * webSearch: a query to the configured provider (SearXNG, Brave or Tavily) through the fetch guard,
 * answered as a bounded list of {title, url, snippet}. Refusals the same request would meet again
 * are non-retryable; rate limits, server errors and network failures are retryable and carry the
 * provider's Retry-After as the next retry delay.
 */
import { Context } from '@temporalio/activity';
import { fetchConfig, NO_PROVIDER, searchConfig, type Env, type SearchConfig } from './config.js';
import { isWebFailure, retryAfterMs, webFailure } from './errors.js';
import type { Fetcher } from './fetcher.js';
import { discard, readBody, type Exchange } from './http.js';
import { brave } from './providers/brave.js';
import type { RawHit, SearchProvider } from './providers/provider.js';
import { searxng } from './providers/searxng.js';
import { tavily } from './providers/tavily.js';
import type { SearchProviderName, WebSearchHit, WebSearchInput, WebSearchResult } from './types.js';

export const PROVIDERS: Record<SearchProviderName, SearchProvider> = { searxng, brave, tavily };

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 10;
const MAX_QUERY_CHARS = 400;
const MAX_SNIPPET_CHARS = 500;
const MAX_TITLE_CHARS = 200;
const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Text without tags, entities decoded, on one line, at most `max` characters. */
export function plain(value: unknown, max: number): string {
  const text = (typeof value === 'string' ? value : '')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? text.slice(0, max - 1).trimEnd() + '…' : text;
}

/** http(s) hits only, each URL once, cleaned and bounded. */
export function cleanHits(raw: RawHit[], limit: number): WebSearchHit[] {
  const seen = new Set<string>();
  const hits: WebSearchHit[] = [];
  for (const r of raw) {
    if (typeof r.url !== 'string') continue;
    let url: URL;
    try {
      url = new URL(r.url);
    } catch {
      continue;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) continue;
    if (seen.has(url.href)) continue;
    seen.add(url.href);
    hits.push({
      title: plain(r.title, MAX_TITLE_CHARS) || url.hostname,
      url: url.href,
      snippet: plain(r.snippet, MAX_SNIPPET_CHARS),
    });
    if (hits.length >= limit) break;
  }
  return hits;
}

/** Removes the key from a text that came from the provider (an error body may echo a request). */
function redact(text: string, config: SearchConfig): string {
  return config.key ? text.split(config.key).join('[redacted]') : text;
}

async function answerText(exchange: Exchange, config: SearchConfig): Promise<string> {
  const body = await readBody(exchange, 4096, true).catch(() => Buffer.alloc(0));
  return redact(plain(body.toString('utf8'), 200), config);
}

async function readHits(
  provider: SearchProvider,
  exchange: Exchange,
  limit: number
): Promise<WebSearchHit[]> {
  const body = await readBody(exchange, MAX_ANSWER_BYTES);
  try {
    return cleanHits(provider.parse(JSON.parse(body.toString('utf8'))), limit);
  } catch (err) {
    throw webFailure(
      'WebSearchBadResponse',
      `${provider.label} answered with something other than its JSON search results (${(err as Error).message}). ` +
        `Fix: ${provider.hint(400)}.`
    );
  }
}

export async function webSearchWith(
  fetcher: Fetcher,
  input: WebSearchInput,
  env: Env
): Promise<WebSearchResult> {
  const query =
    typeof input?.query === 'string' ? input.query.replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_CHARS) : '';
  if (!query) {
    throw webFailure(
      'InvalidQuery',
      'Web search query is empty. Fix: pass a few keywords, e.g. "temporal activity retry policy".'
    );
  }
  const requested = Number.isFinite(input.limit) ? Math.floor(input.limit as number) : DEFAULT_LIMIT;
  const limit = Math.min(MAX_LIMIT, Math.max(1, requested));
  const config = searchConfig(env);
  if (!config) throw webFailure('WebSearchNotConfigured', NO_PROVIDER);
  const provider = PROVIDERS[config.provider];
  const req = provider.request(config, query, limit);
  let signal: AbortSignal | undefined;
  try {
    signal = Context.current().cancellationSignal;
  } catch {
    /* not inside an activity */
  }

  let exchange: Exchange;
  try {
    exchange = await fetcher.call(req.url, req, {
      config: fetchConfig(env),
      deadline: Date.now() + config.timeoutMs,
      signal,
    });
  } catch (err) {
    if (isWebFailure(err, 'FetchUnavailable') || isWebFailure(err, 'FetchTimeout'))
      throw webFailure('WebSearchUnavailable', `${provider.label}: ${redact(err.message, config)}`);
    if (isWebFailure(err)) err.message = `${provider.label} endpoint: ${redact(err.message, config)}`;
    throw err;
  }
  const status = exchange.status;
  if (status >= 200 && status < 300) {
    return { provider: provider.name, query, results: await readHits(provider, exchange, limit) };
  }
  if (status === 408 || status === 429 || status >= 500) {
    const wait = retryAfterMs(exchange.headers['retry-after']);
    discard(exchange);
    throw webFailure(
      'WebSearchUnavailable',
      `${provider.label} answered ${status}${status === 429 ? ' (rate limited)' : ''}${wait !== undefined ? `; retry after ${Math.ceil(wait / 1000)} s` : ''}`,
      { retryAfterMs: wait, details: { provider: provider.name, status } }
    );
  }
  if (status >= 300 && status < 400) {
    const location = String(exchange.headers.location ?? '').slice(0, 300);
    discard(exchange);
    throw webFailure(
      'WebSearchRejected',
      `${provider.label} redirected the search${location ? ` to ${location}` : ''}. Fix: configure the final address of the endpoint.`,
      { details: { provider: provider.name, status } }
    );
  }
  const said = await answerText(exchange, config);
  throw webFailure(
    'WebSearchRejected',
    `${provider.label} refused the search (${status}${said ? `: ${said}` : ''}). Fix: ${provider.hint(status)}.`,
    { details: { provider: provider.name, status } }
  );
}
