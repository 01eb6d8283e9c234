// The shapes that cross every seam: workflow status and result, citations, artifacts, usage,
// live status and the timeline. Pure types with no imports, so that the workflow sandbox, workers,
// clients, the HTTP API and the browser (web/) all read the one definition.

export type Phase =
  | 'starting'
  | 'preparing'
  | 'triage'
  | 'clarifying'
  | 'awaiting_answers'
  | 'planning'
  | 'searching'
  | 'writing'
  | 'rendering'
  | 'completed'
  | 'failed'
  | 'cancelled';

export type SearchState = 'pending' | 'running' | 'retrying' | 'done' | 'failed';

export interface SearchStatus {
  index: number;
  query: string;
  reason: string;
  state: SearchState;
  attempts: number;
  error?: string;
  /** Passages found (evidence) for this search. */
  found: number;
}

export interface Usage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** A file in the artifact store: where it is and what it holds (the bytes never enter history). */
export interface ArtifactRef {
  /** Absolute path of the final file (on the worker's machine). */
  path: string;
  bytes: number;
  /** Hex SHA-256 of the content. */
  sha256: string;
}

/** The two files a research run renders. */
export interface ReportArtifacts {
  markdown: ArtifactRef;
  pdf: ArtifactRef & { pages: number };
}

export interface Citation {
  n: number;
  sourceId: string;
  /** The cited file's path on disk (on the worker's machine). */
  path: string;
  title: string;
  excerpt: string;
}

export interface ResearchStatus {
  workflowId: string;
  question: string;
  format: 'report' | 'checklist';
  phase: Phase;
  startedAt: string;
  questions: string[];
  answers: string[] | null;
  /** How the clarification ended: answered, skipped, timed out (no preference), or not asked. */
  clarification: 'not_needed' | 'pending' | 'answered' | 'skipped' | 'timed_out' | 'disabled';
  clarificationDeadline?: string;
  searches: SearchStatus[];
  errors: string[];
  warnings: string[];
  usage: Usage;
  artifacts?: ReportArtifacts;
  corpus?: { corpusId: string; root: string; documents: number; passages: number; skipped: number };
}

export interface ResearchResult {
  workflowId: string;
  title: string;
  summary: string;
  markdown: string;
  followUps: string[];
  citations: Citation[];
  searches: SearchStatus[];
  artifacts: ReportArtifacts;
  usage: Usage;
  clarification: ResearchStatus['clarification'];
  questions: string[];
  answers: string[] | null;
}

/** An activity in flight, as Temporal describes it (retries show up here first). */
export interface PendingActivity {
  activityType: string;
  attempt: number;
  state: string;
  lastFailure?: string;
  summary?: string;
}

/** The workflow's own status (Query) merged with what Temporal knows about the execution. */
export interface LiveStatus extends ResearchStatus {
  /** Temporal's view of the execution: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT… */
  execution: string;
  /** Activities in flight, with their attempt and last failure (retries show up here first). */
  pendingActivities: PendingActivity[];
  failure?: string;
  /** Set when no worker answered the Query: the workflow fields are the last known ones. */
  stale?: string;
}
