// The JSON bodies of the HTTP API (src/server), as the browser (web/) reads them. Type-only
// imports, so the web build can import this file.
import type { LiveStatus, ResearchResult } from './research-types.js';
import type { Timeline } from './timeline-types.js';

/** One run in GET /api/research (newest first, from Temporal visibility). */
export interface RunSummary {
  workflowId: string;
  runId: string;
  status: string;
  startTime: string;
  closeTime?: string;
}

/** GET /api/research/:id (and each `status` event of its SSE stream). */
export type StatusResponse = LiveStatus & { uiLink: string | null };

/** GET /api/research/:id/result. `corpusRoot` is null when the run used the default corpus. */
export type ResultResponse = ResearchResult & { corpusRoot: string | null };

/** GET /api/research/:id/source?sourceId=…: a cited passage with its neighbours. */
export interface PassageResponse {
  sourceId: string;
  path: string;
  title: string;
  text: string;
}

/** GET /api/research/:id/timeline. */
export type TimelineResponse = Timeline & { execution: string };
