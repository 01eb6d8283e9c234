// What the timeline of a run is made of: the agents' trace spans (as the trace store keeps them)
// joined with Temporal's event history. Pure types with no imports: read by clients, the HTTP API
// and the browser (web/).

/** One finished agent span, tied to the durable execution it ran in. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentId: string | null;
  /** agents-core span type: agent, generation, response, function, handoff, guardrail, custom… */
  type: string;
  name: string;
  workflowId: string;
  runId: string;
  /** Set when the span was emitted inside an activity (a model call or a tool). */
  activityId?: string;
  activityType?: string;
  attempt?: number;
  /** Where the span was emitted: inside an activity, or in the workflow (through the plugin's sink). */
  origin: 'activity' | 'workflow';
  startedAt: string;
  endedAt: string;
  durationMs: number;
  model?: string;
  tokens?: { input: number; output: number; total: number };
  error?: string;
  /** Size-capped text of the span's input/output (secrets masked). */
  input?: string;
  output?: string;
}

export interface TimelineEvent {
  type:
    | 'scheduled'
    | 'started'
    | 'retried'
    | 'retrying'
    | 'completed'
    | 'failed'
    | 'timed_out'
    | 'continued_as_new'
    | 'canceled'
    | 'fired'
    | 'accepted'
    | 'rejected'
    | 'signaled'
    | 'requested';
  time: string;
  eventId?: number;
  attempt?: number;
  detail?: string;
}

/** One durable step of a run (from its event history) with the trace spans recorded inside it. */
export interface TimelineEntry {
  kind: 'workflow' | 'activity' | 'timer' | 'update' | 'signal' | 'agent' | 'handoff' | 'guardrail' | 'tool';
  /** Where the entry comes from: the event history (durable) or the trace store only. */
  source: 'history' | 'trace';
  title: string;
  status: string;
  time: string;
  endTime?: string;
  durationMs?: number;
  eventId?: number;
  activityId?: string;
  activityType?: string;
  attempt?: number;
  lastFailure?: string;
  events: TimelineEvent[];
  spans: SpanRecord[];
  uiLink?: string;
  /** The step's input and result as history records them: inline, or stored outside history. */
  payloads?: PayloadField[];
}

/** One payload of a step's input or result: kept in history, or in the payload store (history keeps a reference). */
export interface PayloadInfo {
  location: 'inline' | 'stored';
  /** Serialized size: what history holds inline, or what the store holds for a reference. */
  sizeBytes: number;
  /** For a stored payload: its content hash and the store (driver) that holds it. */
  sha256?: string;
  store?: string;
}

/** A step's input or result: the event that records it (in `runId`) and its payloads. */
export interface PayloadField {
  field: 'input' | 'result';
  runId: string;
  eventId: number;
  payloads: PayloadInfo[];
}

/** What one run weighs: its history as Temporal counts it, and the payloads it keeps outside. */
export interface RunHistorySize {
  runId: string;
  /** The execution status of this run (COMPLETED, CONTINUED_AS_NEW, RUNNING…). */
  execution: string;
  startTime?: string;
  closeTime?: string;
  /** Temporal's history size (DescribeWorkflowExecution historySizeBytes): what its 50 MB limit applies to. */
  historyBytes: number;
  events: number;
  /** Distinct payloads the history refers to, and their serialized bytes. */
  storedPayloads: number;
  storedBytes: number;
}

/** The runs of a workflow id linked by continue-as-new (first to latest), with their sum. */
export interface RunChain {
  runs: RunHistorySize[];
  total: Omit<RunHistorySize, 'runId' | 'execution' | 'startTime' | 'closeTime'>;
  /** Set when the chain is longer than was read: earlier runs are not counted in the total. */
  truncated?: string;
}

export interface Timeline {
  workflowId: string;
  runId?: string;
  uiLink?: string;
  entries: TimelineEntry[];
  spans: number;
  /** The shown run's weight. */
  history?: RunHistorySize;
  /** Every run of the continue-as-new chain the shown run belongs to (one run when it has none). */
  chain?: RunChain;
}

/** One decoded payload of a step's input or result (GET /api/research/:id/payloads/:runId/:eventId/:field). */
export interface PayloadContent extends PayloadInfo {
  index: number;
  /** The payload's encoding (json/plain…); no other metadata is shown. */
  encoding?: string;
  /** ok: `value` is the whole payload; truncated: `text` is its beginning; missing/unreadable: `note` says why. */
  state: 'ok' | 'truncated' | 'missing' | 'unreadable';
  value?: unknown;
  text?: string;
  note?: string;
}

export interface PayloadView {
  workflowId: string;
  runId: string;
  eventId: number;
  field: 'input' | 'result';
  /** The history event that records it, e.g. ActivityTaskScheduled. */
  eventType: string;
  /** The step it belongs to, e.g. invokeModelActivity #3. */
  step: string;
  /** Bytes of decoded content shown at most, over all payloads. */
  maxBytes: number;
  payloads: PayloadContent[];
}
