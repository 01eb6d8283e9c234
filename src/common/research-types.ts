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
  | 'verifying'
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

/** What a run with web research used and could not read. */
export interface WebStatus {
  /** The search provider's name (never its key), or null with the reason. */
  provider: string | null;
  reason?: string;
  /** URLs refused (safety, robots.txt) or not read (not found, too large, failing), with why. */
  unread: { url: string; reason: string }[];
}

/** One claim of a report checked against the passages it cites. */
export interface ClaimCheck {
  part: 'summary' | 'body';
  /** The sentence without its citation markers (at most 300 characters). */
  claim: string;
  /** The citation numbers it carries ([] for an uncited summary sentence). */
  citations: number[];
  /** Share of the claim's content words found in its best cited passage (0..1). */
  score: number;
  supported: boolean;
  /** Why it is not supported, or who confirmed it. */
  note?: string;
}

/** What the verification step found: every unsupported claim is also marked in the report. */
export interface Verification {
  /** The support score alone, or with a verifier agent judging the claims the score doubts. */
  method: 'support-score' | 'support-score+verifier';
  /** Claims that carry citations and have enough content to check. */
  checked: number;
  supported: number;
  unsupported: ClaimCheck[];
  /** Summary sentences with no citation (every summary claim must cite its source). */
  uncitedSummary: number;
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
  /** For a web page: when it was fetched (ISO 8601). */
  fetchedAt?: string;
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
  verification?: Verification;
  /** Web research: the search provider (or why there is none) and the pages not read. */
  web?: WebStatus;
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
  /** Absent in runs that finished before verification existed. */
  verification?: Verification;
  web?: WebStatus;
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
