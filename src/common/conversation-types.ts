// The shapes of a follow-up conversation about a research report, as the conversation workflow,
// its client, the CLI, the HTTP API and the browser read them. Type-only imports, so that the
// workflow sandbox and the web build can import this file.
import type { Citation, Usage } from './research-types.js';

/** One answered question. */
export interface ConversationTurn {
  /** 1, 2, 3… across the whole conversation (continue-as-new keeps counting). */
  turn: number;
  /** The id of the Update that asked it: a client that lost its connection finds its answer by it. */
  updateId: string;
  question: string;
  /**
   * The answer with numbered citations `[1]`, `[2]`…: the streamed text of the turn with its
   * `[sourceId]` markers renumbered (docs/conversations.md, "The streamed text").
   */
  answer: string;
  citations: Citation[];
  askedAt: string;
  answeredAt: string;
  usage: Usage;
  /** The turn's events in the conversation stream: offsets `from` (inclusive) to `to` (exclusive). */
  stream: { from: number; to: number };
}

/** A question accepted and not yet answered: waiting for the turns before it, or being answered. */
export interface PendingQuestion {
  updateId: string;
  question: string;
  askedAt: string;
  state: 'waiting' | 'answering';
  /** Its turn number, once it is being answered. */
  turn?: number;
  /** A stream offset at or before the turn's first event: subscribe from here to see it all. */
  offset: number;
}

/**
 * open: answering; handing_over: waiting for the questions in flight, then continuing as new (a
 * question sent now is answered by the next run); closing/closed: idle for too long or closed on
 * request (a question sent later starts a new conversation).
 */
export type ConversationPhase = 'open' | 'handing_over' | 'closing' | 'closed';

export type ClosedReason = 'idle' | 'closed_by_request';

/** What the `conversation` Query returns (and a closed conversation's result). */
export interface ConversationView {
  conversationId: string;
  researchWorkflowId: string;
  phase: ConversationPhase;
  closedReason?: ClosedReason;
  /** Runs of this conversation so far: 1 + its continue-as-new hand-overs. */
  run: number;
  /** Questions answered in the whole conversation. */
  turns: number;
  /** The latest answered turns, oldest first (older ones are in `earlier`). */
  recent: ConversationTurn[];
  /** The turns before `recent` (and before the agent's memory): how many, and a running summary. */
  earlier: { turns: number; summary: string };
  pending: PendingQuestion[];
  idleTimeoutMs: number;
  /** When the conversation closes unless it is asked something before. */
  idleDeadline: string;
  /** The stream's next offset: subscribe from here for what comes next. */
  streamOffset: number;
  startedAt: string;
  /** Set when this conversation replaced an earlier one about the same report that had closed. */
  note?: string;
  usage: Usage;
}

/** The result of the `ask` Update. */
export interface AskResult extends ConversationTurn {
  conversationId: string;
  /** Set when the question started a new conversation after an earlier one closed. */
  note?: string;
}

/** What the CLI's `ask --json` prints and `POST /api/research/:id/ask` returns. */
export interface AskResponse {
  conversationId: string;
  turn: number;
  updateId: string;
  question: string;
  answer: string;
  citations: Pick<Citation, 'n' | 'path' | 'excerpt' | 'sourceId' | 'title'>[];
  /** The conversation run's history size after this answer (bytes, as Temporal counts it). */
  historyBytes: number;
  note?: string;
}

/** GET /api/research/:id/conversation. `view` is null before the first question. */
export interface ConversationResponse {
  conversationId: string;
  /** Temporal's view of the current run: RUNNING, COMPLETED… or NONE before the first question. */
  execution: string;
  view: ConversationView | null;
  historyBytes: number;
  historyEvents: number;
}

/**
 * What the workflow itself publishes on the conversation's `conversation` stream topic (the model
 * events of the answers go to the `tokens` topic). `sourceIds` are the passages an answer may
 * cite: a client renumbers the streamed `[sourceId]` markers with them exactly as the workflow does.
 */
export type ConversationStreamEvent =
  | { kind: 'turn'; turn: number; updateId: string; question: string; sourceIds: string[] }
  | { kind: 'sources'; turn: number; sourceIds: string[] }
  | { kind: 'answered'; turn: number }
  | { kind: 'failed'; turn: number; error: string };

/**
 * The display events of a conversation, as the API's SSE endpoint sends them (each with the
 * stream offset to resume from as its id) and the CLI prints them. Within a turn, `text` appends
 * to what is shown; `reset` clears it (a model call began again: a retry, or the answer after a
 * tool call). The concatenated `text` since the last `reset` equals the answer's `answer`.
 */
export type ChatEvent =
  | { type: 'turn'; turn: number; updateId: string; question: string }
  | { type: 'reset'; turn: number }
  | { type: 'text'; turn: number; text: string }
  | { type: 'cite'; turn: number; n: number; sourceId: string }
  | { type: 'answered'; turn: number }
  | { type: 'failed'; turn: number; error: string };
