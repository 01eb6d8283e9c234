// Talks to the steadfast API on the same origin. The optional API token lives in localStorage.
export interface Usage { requests: number; inputTokens: number; outputTokens: number; totalTokens: number }
export interface Search { index: number; query: string; reason: string; state: 'pending' | 'running' | 'retrying' | 'done' | 'failed'; attempts: number; error?: string; found: number }
export interface Pending { activityType: string; attempt: number; state: string; lastFailure?: string }
export interface Status {
  workflowId: string; question: string; format: 'report' | 'checklist'; phase: string; startedAt: string;
  questions: string[]; answers: string[] | null; clarification: string; clarificationDeadline?: string;
  searches: Search[]; errors: string[]; warnings: string[]; usage: Usage; execution: string;
  pendingActivities: Pending[]; failure?: string; uiLink?: string | null;
  artifacts?: { markdown: { path: string; bytes: number }; pdf: { path: string; bytes: number; pages: number } };
  corpus?: { root: string; documents: number; passages: number };
}
export interface Citation { n: number; sourceId: string; path: string; title: string; excerpt: string }
export interface Result { workflowId: string; title: string; summary: string; markdown: string; followUps: string[]; citations: Citation[]; usage: Usage; corpusRoot: string | null }
export interface RunSummary { workflowId: string; runId: string; status: string; startTime: string; closeTime?: string }
export interface Span { type: string; name: string; activityId?: string; attempt?: number; origin: string; startedAt: string; durationMs: number; model?: string; tokens?: { input: number; output: number; total: number }; error?: string; input?: string; output?: string }
export interface TimelineEvent { type: string; time: string; eventId?: number; attempt?: number; detail?: string }
export interface TimelineEntry { kind: string; source: 'history' | 'trace'; title: string; status: string; time: string; endTime?: string; durationMs?: number; eventId?: number; activityId?: string; activityType?: string; attempt?: number; lastFailure?: string; events: TimelineEvent[]; spans: Span[]; uiLink?: string }
export interface Timeline { workflowId: string; runId?: string; uiLink?: string; entries: TimelineEntry[]; spans: number; execution: string }
export interface Passage { sourceId: string; path: string; title: string; text: string }

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly hint?: string) {
    super(message);
  }
}

const TOKEN_KEY = 'steadfast.apiToken';
export const token = {
  get: (): string => localStorage.getItem(TOKEN_KEY) ?? '',
  set: (value: string) => (value ? localStorage.setItem(TOKEN_KEY, value) : localStorage.removeItem(TOKEN_KEY)),
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
  const res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.json !== undefined ? JSON.stringify(init.json) : undefined });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body?.error?.message ?? `HTTP ${res.status}`, body?.error?.hint);
  return body as T;
}

export const ENDED = (execution: string) => execution !== 'RUNNING';
