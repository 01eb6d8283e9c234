import { assistant, user, type AgentInputItem, type Session } from '@openai/agents-core';

/** A question and the answer as the agent wrote it (its `[sourceId]` markers, not the numbers). */
export interface Exchange {
  question: string;
  answer: string;
}

/**
 * The answering agent's memory of the conversation: the latest answered turns as plain
 * question/answer messages, at most `maxTurns` of them, on the workflow heap (rebuilt by replay,
 * and from the carried turns after continue-as-new).
 *
 * The runner reads it before each answer; it does not write it. The workflow commits a turn once it
 * is answered, so a failed or retried answer never enters memory, and neither does the tool traffic
 * of a turn (search results are large, and the passages an answer cites are kept as evidence).
 */
export class ConversationMemory implements Session {
  private exchanges: Exchange[];

  constructor(
    private readonly sessionId: string,
    private readonly maxTurns: number,
    initial: Exchange[] = []
  ) {
    this.exchanges = initial.slice(-maxTurns);
  }

  /** Adds an answered turn, forgetting the oldest beyond `maxTurns`. */
  commit(exchange: Exchange): void {
    if (this.maxTurns === 0) return;
    this.exchanges = [...this.exchanges, exchange].slice(-this.maxTurns);
  }

  async getSessionId(): Promise<string> {
    return this.sessionId;
  }

  async getItems(limit?: number): Promise<AgentInputItem[]> {
    const items = this.exchanges.flatMap((e) => [user(e.question), assistant(e.answer)]);
    if (limit === undefined) return items;
    return limit <= 0 ? [] : items.slice(-limit);
  }

  /** The runner's own writes are ignored: see the class comment. */
  async addItems(_items: AgentInputItem[]): Promise<void> {}

  async popItem(): Promise<AgentInputItem | undefined> {
    const last = this.exchanges.pop();
    return last ? assistant(last.answer) : undefined;
  }

  async clearSession(): Promise<void> {
    this.exchanges = [];
  }
}
