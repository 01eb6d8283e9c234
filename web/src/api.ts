// Talks to the steadfast API on the same origin. The optional API token lives in localStorage.
import type {
  PassageResponse,
  ResultResponse,
  RunSummary,
  StatusResponse,
  TimelineResponse,
} from '../../src/common/api-types';
import type { SearchStatus, Usage } from '../../src/common/research-types';
import type { SpanRecord, TimelineEntry, TimelineEvent } from '../../src/common/timeline-types';

// The API's bodies, defined once in src/common and read here under the names the views use.
export type { RunSummary, TimelineEntry, TimelineEvent, Usage };
export type Status = StatusResponse;
export type Result = ResultResponse;
export type Passage = PassageResponse;
export type Timeline = TimelineResponse;
export type Search = SearchStatus;
export type Span = SpanRecord;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'steadfast.apiToken';
export const token = {
  get: (): string => localStorage.getItem(TOKEN_KEY) ?? '',
  set: (value: string) =>
    value ? localStorage.setItem(TOKEN_KEY, value) : localStorage.removeItem(TOKEN_KEY),
};

/** Appends ?token= for URLs the browser fetches itself (EventSource, downloads). */
export function withToken(url: string): string {
  const t = token.get();
  return t ? `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(t)}` : url;
}

export async function api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(res.status, body?.error?.message ?? `HTTP ${res.status}`, body?.error?.hint);
  return body as T;
}

export const ENDED = (execution: string) => execution !== 'RUNNING';
