import type { ConversationTurn, PendingQuestion } from '../../common/conversation-types.js';
import type { Usage } from '../../common/research-types.js';
import type { Evidence } from '../citations.js';
import { addUsage } from '../research/status.js';
import { citationEvidence, exchangeOf, foldIntoSummary } from './context.js';
import type { CarriedState } from './input.js';
import type { Exchange } from './memory.js';

/**
 * What a conversation keeps of its turns, bounded whatever its length: the latest `keepTurns`
 * whole, the latest `memoryTurns` of those in the agent's memory, and everything older as a
 * running summary. This, not the transcript, is what continue-as-new carries.
 */
export class Transcript {
  turns: number;
  recent: ConversationTurn[];
  earlier: { turns: number; summary: string };
  usage: Usage;
  lastActivity: number;
  readonly startedAt: string;

  constructor(
    private readonly keepTurns: number,
    private readonly memoryTurns: number,
    carried?: CarriedState
  ) {
    this.turns = carried?.turns ?? 0;
    this.recent = carried?.recent.slice(-keepTurns) ?? [];
    this.earlier = carried?.earlier ?? { turns: 0, summary: '' };
    this.usage = carried?.usage ?? { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    this.startedAt = carried?.startedAt ?? new Date().toISOString();
    this.lastActivity = carried ? Date.parse(carried.lastActivity) : Date.now();
  }

  /** The turns the agent remembers as messages, oldest first. */
  remembered(): ConversationTurn[] {
    return this.memoryTurns === 0 ? [] : this.recent.slice(-this.memoryTurns);
  }

  rememberedExchanges(): Exchange[] {
    return this.remembered().map(exchangeOf);
  }

  /** Records an answered turn; the turn that leaves the agent's memory goes into the summary. */
  add(turn: ConversationTurn): void {
    const leaving =
      this.memoryTurns === 0
        ? turn
        : this.recent.length >= this.memoryTurns
          ? this.recent.at(-this.memoryTurns)
          : undefined;
    this.turns = Math.max(this.turns, turn.turn);
    this.recent = [...this.recent, turn].slice(-this.keepTurns);
    if (leaving) {
      this.earlier = {
        turns: this.earlier.turns + 1,
        summary: foldIntoSummary(this.earlier.summary, leaving),
      };
    }
    addUsage(this.usage, turn.usage);
    this.lastActivity = Date.now();
  }

  /** The passages the remembered answers cite: the agent may cite them again. */
  rememberedEvidence(): Map<string, Evidence> {
    return citationEvidence(this.remembered().flatMap((t) => t.citations));
  }
}

/** The questions accepted and not yet answered, answered one at a time in the order they came. */
export class QuestionQueue {
  readonly pending: PendingQuestion[] = [];

  get busy(): boolean {
    return this.pending.length > 0;
  }

  enqueue(question: PendingQuestion): PendingQuestion {
    this.pending.push(question);
    return question;
  }

  isNext(question: PendingQuestion): boolean {
    return this.pending[0] === question;
  }

  remove(question: PendingQuestion): void {
    const i = this.pending.indexOf(question);
    if (i >= 0) this.pending.splice(i, 1);
  }
}
