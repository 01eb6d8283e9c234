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
  | 'awaiting_plan_approval'
  | 'searching'
  | 'writing'
  | 'verifying'
  | 'rendering'
  | 'awaiting_write_approval'
  | 'awaiting_tool_approval'
  | 'applying_write'
  | 'completed'
  | 'rejected'
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
  /** Review points (plan approval, approved writes, tool calls that need approval) and every decision. */
  review?: ReviewStatus;
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
  /** 'rejected' when a reviewer refused the write (the report exists, the file was not written). */
  outcome?: 'completed' | 'rejected';
  review?: ReviewStatus;
}

/** How a run whose plan was rejected ends: completed in Temporal, with no search performed and no report. */
export interface RejectedResult {
  workflowId: string;
  outcome: 'rejected';
  question: string;
  /** The decision that ended the run (a person's, or the review timeout's). */
  rejection: ReviewDecision;
  review: ReviewStatus;
  usage: Usage;
}

/** What a research workflow returns. */
export type ResearchOutcome = ResearchResult | RejectedResult;

/** A search of a plan under review (or of the plan a reviewer sent instead). */
export interface PlannedSearch {
  query: string;
  reason: string;
}

/** One decision at a review point: who, when, what. */
export interface ReviewDecision {
  stage: 'plan' | 'tool' | 'rollback';
  decision: 'approved' | 'replaced' | 'rejected' | 'timed_out' | 'refused';
  /** "cli:<user>@<host>", "api:<token label>@<address>", "timeout" (the review timer), "steadfast" (a refused call). */
  by: string;
  /** ISO 8601, workflow time. */
  at: string;
  reason?: string;
  /** Tool calls: the call decided. */
  callId?: string;
  tool?: string;
  /** What was decided, in a few words (e.g. "plan replaced: 3 searches"). */
  detail?: string;
}

export interface PlanReview {
  state: 'pending' | 'approved' | 'replaced' | 'rejected' | 'timed_out';
  /** The planner's searches, as proposed. */
  proposed: PlannedSearch[];
  deadline?: string;
}

/** A tool call an agent made that waits for (or got) a person's decision. */
export interface ToolCallReview {
  callId: string;
  tool: string;
  agent: string;
  /** The call's arguments as the model sent them (JSON, at most 4000 characters). */
  arguments: string;
  state: 'pending' | 'approved' | 'rejected' | 'timed_out' | 'refused';
  requestedAt: string;
  deadline?: string;
}

/** The unified diff of a write under review, against the file as it was when the diff was computed. */
export interface FileDiff {
  path: string;
  /** The file as it is now: null when it does not exist. */
  before: { sha256: string; bytes: number } | null;
  after: { sha256: string; bytes: number };
  /** Unified diff (`diff -u` style), at most ~24 000 characters. */
  diff: string;
  truncated: boolean;
  added: number;
  removed: number;
  computedAt: string;
}

/** What a write did, kept in the artifact store with the previous bytes (for rollback). */
export interface WriteRecord {
  path: string;
  /** Whether the file existed before the write (rollback restores it, or removes the file). */
  existed: boolean;
  before: { sha256: string; bytes: number } | null;
  after: { sha256: string; bytes: number };
  writtenAt: string;
  rolledBack?: RollbackRecord;
}

export interface RollbackRecord {
  at: string;
  by: string;
  /** restored the previous bytes, or removed a file that did not exist before the write. */
  action: 'restored' | 'removed';
  forced: boolean;
  reason?: string;
  /** With --force over a changed file: what was replaced (kept in the artifact store). */
  replaced?: { sha256: string; bytes: number };
  /** The rollback workflow's id: its history says who undid what and when. */
  workflowId?: string;
}

export interface WriteReview {
  /** The one file this run may write (declared in its input). */
  path: string;
  state: 'proposed' | 'pending' | 'approved' | 'written' | 'stale' | 'rejected' | 'timed_out' | 'failed';
  callId?: string;
  diff?: FileDiff;
  written?: WriteRecord;
  error?: string;
}

export interface ReviewStatus {
  /** What the plan review does when nobody decides in time (a write or tool call is always rejected). */
  onTimeout: 'proceed' | 'reject';
  /** How long each review point waits (a Temporal duration). */
  timeout: string;
  plan?: PlanReview;
  calls: ToolCallReview[];
  write?: WriteReview;
  decisions: ReviewDecision[];
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
