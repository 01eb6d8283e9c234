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
}

export interface Timeline {
  workflowId: string;
  runId?: string;
  uiLink?: string;
  entries: TimelineEntry[];
  spans: number;
}
