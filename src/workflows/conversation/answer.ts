import type { TemporalOpenAIRunner } from '@temporalio/openai-agents/workflow';
import { ApplicationFailure, isCancellation, patched } from '@temporalio/workflow';
import type { WorkflowStream } from '@temporalio/workflow-streams/workflow';
import type { ConversationStreamEvent, ConversationTurn } from '../../common/conversation-types.js';
import type { Usage } from '../../common/research-types.js';
import { corpusTools } from '../agents/searcher.js';
import { numberCitations, type Evidence } from '../citations.js';
import { describeError } from '../failures.js';
import { corpusReads, type CorpusActivities } from '../research/activities.js';
import { addUsage } from '../research/status.js';
import { conversationAgent } from './agent.js';
import type { ConversationMemory } from './memory.js';
import { EVENTS_TOPIC } from './messages.js';

/** Model calls per answer, at most: a few searches and reads, then the answer. */
const MAX_AGENT_TURNS = 6;
/** Passages of the workflow's own search for the question, handed to the agent with it. */
const FIRST_HITS = 5;
/**
 * The patch under which the workflow searches the corpus for the question itself, before the agent
 * runs, and the corpus reads are local activities: the agent reads the passages with the question
 * and searches only for what they lack, so most answers take one model call. Conversations recorded
 * before it replay their agent-driven searches.
 */
export const SEARCHES_FIRST_PATCH = 'conversation-searches-first';

/** What every answer of a run shares. */
export interface Answerer {
  runner: TemporalOpenAIRunner;
  stream: WorkflowStream;
  memory: ConversationMemory;
  corpus: CorpusActivities;
  /** The corpus argument of the research run (undefined = the default corpus). */
  corpusPath: string | undefined;
  model: string | undefined;
  workflowId: string;
}

/** One question to answer now, and what the answer may draw on. */
export interface Question {
  turn: number;
  updateId: string;
  question: string;
  askedAt: string;
  /** The agent's instructions' context: the report and the summary of earlier turns. */
  context: string;
  /** Passages an answer may cite without searching: the report's and the remembered turns'. */
  evidence: ReadonlyMap<string, Evidence>;
}

/** The stream's next offset (its base plus what its log holds). */
export function streamOffset(stream: WorkflowStream): number {
  const state = stream.getState();
  return state.base_offset + state.log.length;
}

/**
 * Answers one question, streaming: the model's events reach subscribers live on the `tokens` topic
 * (published by the plugin's streaming model activity), the workflow's own on `conversation`: the
 * turn with the sources known at its start, each batch of sources a search adds, and the end. The
 * answer is the final model text with its `[sourceId]` markers numbered — exactly what a client
 * gets by renumbering the streamed text with the announced sources (stream-text.ts). The turn
 * enters the agent's memory here, once answered.
 */
export async function answer(a: Answerer, q: Question): Promise<ConversationTurn> {
  const events = a.stream.topic<ConversationStreamEvent>(EVENTS_TOPIC);
  const from = streamOffset(a.stream);
  const evidence = new Map(q.evidence);
  const announced = new Set(evidence.keys());
  events.publish({
    kind: 'turn',
    turn: q.turn,
    updateId: q.updateId,
    question: q.question,
    sourceIds: [...announced],
  });
  const searchesFirst = patched(SEARCHES_FIRST_PATCH);
  const reads = searchesFirst ? corpusReads(a.corpus) : a.corpus;
  const found = new Map<string, Evidence>();
  const searchCorpus = async (args: Parameters<CorpusActivities['searchCorpus']>[0]) => {
    const result = await reads.searchCorpus(args);
    const fresh = [...new Set(result.results.map((r) => r.sourceId))].filter((id) => !announced.has(id));
    for (const id of fresh) announced.add(id);
    if (fresh.length > 0) events.publish({ kind: 'sources', turn: q.turn, sourceIds: fresh });
    return result;
  };
  // The proxy of activities stays the prototype: readDocument and the rest go to it unchanged.
  const activities: CorpusActivities = Object.create(reads, { searchCorpus: { value: searchCorpus } });
  const input = searchesFirst
    ? withPassages(q.question, await firstHits(searchCorpus, a.corpusPath, q.question, found))
    : q.question;
  const usage: Usage = { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  let raw: string;
  try {
    const result = await a.runner.run(
      conversationAgent(q.context, corpusTools(activities, a.corpusPath, found)),
      input,
      {
        stream: true,
        session: a.memory,
        maxTurns: MAX_AGENT_TURNS,
        runConfig: { ...(a.model ? { model: a.model } : {}), workflowName: `conversation ${a.workflowId}` },
      }
    );
    // The events come back from the model activities' results (replay-safe); subscribers already
    // saw them live. Draining them runs the agent to its end.
    for await (const _event of result) {
      /* nothing to do in the workflow */
    }
    await result.completed;
    addUsage(usage, result.state.usage);
    raw = typeof result.finalOutput === 'string' ? result.finalOutput : '';
  } catch (err) {
    if (isCancellation(err)) throw err;
    const error = describeError(err);
    events.publish({ kind: 'failed', turn: q.turn, error });
    throw ApplicationFailure.nonRetryable(`could not answer the question: ${error}`, 'AnswerFailed');
  }
  if (raw.trim().length === 0) {
    events.publish({ kind: 'failed', turn: q.turn, error: 'the model gave an empty answer' });
    throw ApplicationFailure.nonRetryable('the model gave an empty answer; ask again', 'AnswerFailed');
  }
  for (const [id, passage] of found) if (!evidence.has(id)) evidence.set(id, passage);
  const { texts, citations } = numberCitations([raw], evidence);
  a.memory.commit({ question: q.question, answer: raw });
  events.publish({ kind: 'answered', turn: q.turn });
  return {
    turn: q.turn,
    updateId: q.updateId,
    question: q.question,
    answer: texts[0]!,
    citations,
    askedAt: q.askedAt,
    answeredAt: new Date().toISOString(),
    usage,
    stream: { from, to: streamOffset(a.stream) },
  };
}

/**
 * The workflow's own search for the question: its passages, recorded in `found` (an answer may cite
 * them). A search that fails leaves the agent its tools: the answer goes on without passages.
 */
async function firstHits(
  searchCorpus: (args: Parameters<CorpusActivities['searchCorpus']>[0]) => Promise<{ results: Evidence[] }>,
  corpus: string | undefined,
  question: string,
  found: Map<string, Evidence>
): Promise<Evidence[]> {
  try {
    const { results } = await searchCorpus({ corpus, query: question, limit: FIRST_HITS });
    for (const r of results) found.set(r.sourceId, r);
    return results;
  } catch (err) {
    if (isCancellation(err)) throw err;
    return [];
  }
}

/** The question as the agent reads it: the question, then the passages its search returned. */
function withPassages(question: string, passages: Evidence[]): string {
  if (passages.length === 0) return question;
  const listed = passages.map((p) => ({ sourceId: p.sourceId, title: p.title, excerpt: p.excerpt }));
  return `${question}\n\nPassages the corpus returned for this question:\n${JSON.stringify(listed)}`;
}
