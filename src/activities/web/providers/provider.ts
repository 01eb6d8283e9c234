import type { SearchConfig } from '../config.js';
import type { SearchProviderName } from '../types.js';

/** A hit as a provider gives it, before cleaning (tags, length, duplicates, non-http URLs). */
export interface RawHit {
  title?: unknown;
  url?: unknown;
  snippet?: unknown;
}

/** One search API: how to ask it, how to read its answer, and what to fix when it refuses. */
export interface SearchProvider {
  name: SearchProviderName;
  /** Human name for messages ("SearXNG"). */
  label: string;
  request(
    config: SearchConfig,
    query: string,
    limit: number
  ): { url: URL; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string };
  /** The hits of a 2xx JSON answer; throws a plain Error when the answer has no result list. */
  parse(json: unknown): RawHit[];
  /** What to check when the provider refuses a request with `status` (4xx other than 408/429). */
  hint(status: number): string;
}

export function field(value: unknown, name: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

export function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`the answer has no ${what} list`);
  return value;
}

/** The hits of a provider's result list, whose items name title, url and (under `snippet`) a snippet. */
export function hitsOf(results: unknown, what: string, snippet: string): RawHit[] {
  return list(results, what).map((r) => ({
    title: field(r, 'title'),
    url: field(r, 'url'),
    snippet: field(r, snippet),
  }));
}
