import type { ConversationTurn } from '../../common/conversation-types.js';
import type { Citation } from '../../common/research-types.js';
import type { Evidence } from '../citations.js';
import { CONVERSATION_LIMITS, type ReportContext } from './input.js';
import type { Exchange } from './memory.js';

// What the answering agent is given about the report and the conversation, as text. Pure.

/** Characters per token, conservatively (as the research writer budgets its evidence). */
const CHARS_PER_TOKEN = 3.5;
/** Tokens kept for the instructions' own words, the conversation so far, tool results and the answer. */
const RESERVED_TOKENS = 3000;
const MIN_BODY_CHARS = 1500;

/** The passages the report cites, as evidence an answer may cite again. */
export function reportEvidence(report: ReportContext): Map<string, Evidence> {
  return citationEvidence(report.citations);
}

export function citationEvidence(citations: Citation[]): Map<string, Evidence> {
  return new Map(
    citations.map((c) => [
      c.sourceId,
      { sourceId: c.sourceId, path: c.path, title: c.title, excerpt: c.excerpt },
    ])
  );
}

/**
 * A text's numbered citations `[n]` turned back into the `[sourceId]` markers the agent writes, so
 * that the report and earlier answers read to it as its own output does. Numbers that are no
 * citation (a "[3]" in prose) stay as they are.
 */
export function withSourceIds(text: string, citations: Citation[]): string {
  const byNumber = new Map(citations.map((c) => [c.n, c.sourceId]));
  return text.replace(/\[(\d{1,4})\]/g, (whole, n: string) => {
    const id = byNumber.get(Number(n));
    return id ? `[${id}]` : whole;
  });
}

/** A turn as the agent's memory holds it: the question and the answer with its `[sourceId]` markers. */
export function exchangeOf(turn: ConversationTurn): Exchange {
  return { question: turn.question, answer: withSourceIds(turn.answer, turn.citations) };
}

/** The report as the agent reads it: the report itself, and the passages it cites (one a line). */
export interface ReportBrief {
  report: string;
  passages: string;
}

/**
 * The report as the agent reads it: research question, title, summary, body and the passages it
 * cites, all with `[sourceId]` markers. The body is cut at a paragraph to fit the model's context
 * (when known) and CONVERSATION_LIMITS.reportBodyChars, and says so.
 */
export function reportBrief(report: ReportContext, contextTokens?: number): ReportBrief {
  const passages = report.citations.map(
    (c) => `[${c.sourceId}] ${oneLine(c.title) || c.path}: ${oneLine(c.excerpt)}`
  );
  const fixed = report.summary.length + passages.join('\n').length + 600;
  const budget = contextTokens
    ? Math.max(MIN_BODY_CHARS, (contextTokens - RESERVED_TOKENS) * CHARS_PER_TOKEN - fixed)
    : Infinity;
  const body = cutAtParagraph(
    withSourceIds(report.markdown, report.citations),
    Math.min(CONVERSATION_LIMITS.reportBodyChars, budget)
  );
  return {
    report: [
      `Research question: ${oneLine(report.question)}`,
      `Report title: ${oneLine(report.title)}`,
      `Report summary: ${withSourceIds(report.summary, report.citations)}`,
      `Report body:\n${body}`,
    ].join('\n\n'),
    passages:
      passages.length > 0
        ? `Passages the report cites:\n${passages.join('\n')}`
        : 'The report cites no passages.',
  };
}

/**
 * The agent's context for an answer: the report, what it knows of the turns older than its memory,
 * the note, and the report's passages last. A passage listed as "[sourceId] title: text" reads as
 * running to the next such line: whatever followed the list would read as the last passage's text
 * (and be cited as that source).
 */
export function agentContext(
  brief: ReportBrief,
  earlier: { turns: number; summary: string },
  note: string | undefined
): string {
  const parts = [brief.report];
  if (earlier.turns > 0) {
    parts.push(
      `Earlier in this conversation (${earlier.turns} turns, summarised; the latest turns follow as messages):\n${earlier.summary}`
    );
  }
  if (note) parts.push(`Note: ${note}`);
  parts.push(brief.passages);
  return parts.join('\n\n');
}

/**
 * The running summary of the turns that left the agent's memory: one line per turn (the question
 * and the opening of its answer, citations dropped), the oldest lines dropped beyond
 * CONVERSATION_LIMITS.summaryChars. Deterministic: no model call, the same turns give the same summary.
 */
export function foldIntoSummary(summary: string, turn: ConversationTurn): string {
  const answer = oneLine(turn.answer.replace(/\[\d{1,4}\]/g, ''));
  const line = `- Turn ${turn.turn}: asked "${clip(oneLine(turn.question), 200)}"; answered: ${clip(answer, 300)}`;
  const lines = [...summary.split('\n').filter((l) => l.startsWith('- ')), line];
  while (lines.length > 1 && lines.join('\n').length > CONVERSATION_LIMITS.summaryChars) lines.shift();
  return lines.join('\n');
}

function cutAtParagraph(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n\n', max);
  const kept = text.slice(0, cut > max / 2 ? cut : max).trimEnd();
  return `${kept}\n\n(The rest of the report body, ${text.length - kept.length} characters, is left out here.)`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
