/**
 * What the request asks, read like a model reads a prompt: the question (from a JSON brief's
 * question field, a sentence ending with "?", or the first line), the search query when the
 * prompt leads with one, and what the asker added (their answers to clarifying questions,
 * preferences). Also the kind of answer the question's form expects.
 */
import { parseEmbeddedJson } from './json-text.js';
import { answerCues, type AnswerCue } from './question-form.js';

export type { AnswerCue } from './question-form.js';

export interface Ask {
  /** The question as asked ('' when the request has none). */
  question: string;
  /** A search query the prompt leads with (a searcher's query), or ''. */
  focus: string;
  /** What the asker added: answers to clarifying questions and preferences (never "no preference"). */
  context: string[];
  /** Queries the conversation already searched with (its own tool calls). */
  searched: string[];
  /** The kinds of sentence that answer the question's form. */
  cues: Set<AnswerCue>;
  /** The question asks for code or a command, so code blocks may be quoted. */
  wantsCode: boolean;
}

const QUESTION_KEYS = /^(question|query|task|prompt|ask|request|topic|goal)$/i;
const CONTEXT_KEYS = /^(preferences?|constraints?|context|audience|requirements?)$/i;
const EMPTY_ANSWER =
  /^(?:no preference|none|n\/?a|nothing|skip(?:ped)?|no|not sure|unsure|don'?t know|any|whatever|-|\.|\?)\.?$/i;

/** Reads the ask out of the latest user message (and the instructions when it has none). */
export function readAsk(userText: string): Ask {
  const context: string[] = [];
  let question = '';
  let focus = '';
  for (const json of parseEmbeddedJson(userText)) {
    if (!json || typeof json !== 'object' || Array.isArray(json)) continue;
    for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
      if (typeof value === 'string' && QUESTION_KEYS.test(key) && !question) question = value.trim();
      else if (typeof value === 'string' && CONTEXT_KEYS.test(key)) addContext(context, value);
      else if (Array.isArray(value)) collectAnswers(value, context);
    }
  }
  const prose = proseOf(userText);
  if (!question) {
    const read = questionFromProse(prose);
    question = read.question;
    focus = read.focus;
  }
  for (const line of prose.split('\n')) {
    const pref = /^\s*(?:preferences?|constraints?|context)\s*:\s*(.+)$/i.exec(line);
    if (pref) addContext(context, pref[1]!);
    // "- Which stack? TypeScript" — an answer after its clarifying question.
    const answered = /^\s*[-*]\s+.*\?\s+(.+)$/.exec(line);
    if (answered) addContext(context, answered[1]!);
  }
  return { question, focus, context, searched: [], ...answerCues(question) };
}

function addContext(context: string[], value: string): void {
  const v = value.trim();
  if (v && !EMPTY_ANSWER.test(v) && !context.includes(v)) context.push(v);
}

/** `[{question, answer}]` pairs: the answers are what the asker added. */
function collectAnswers(list: unknown[], context: string[]): void {
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const answer = o.answer ?? o.reply ?? o.response;
    if (typeof answer === 'string' && (typeof o.question === 'string' || typeof o.q === 'string'))
      addContext(context, answer);
  }
}

/** The message without its embedded JSON and the label lines that introduce it. */
function proseOf(text: string): string {
  let out = text.replace(/```[\s\S]*?```/g, '\n');
  const start = out.search(/(^|\n)\s*[[{]/);
  if (start >= 0 && parseEmbeddedJson(out.slice(start)).length > 0) out = out.slice(0, start);
  return out
    .split('\n')
    .filter((l) => !/:\s*$/.test(l.trim()) || /\?/.test(l))
    .join('\n')
    .trim();
}

/** The question sentence of a prompt, and the query line that leads it when there is one. */
function questionFromProse(prose: string): { question: string; focus: string } {
  const paragraphs = prose
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const first = paragraphs[0] ?? '';
  const asked = prose.match(/[^\n?]*\?/g)?.map((q) => cleanQuestion(q)) ?? [];
  const question = asked.find((q) => q.split(/\s+/).length >= 2) ?? '';
  if (!question) return { question: first.replace(/\s+/g, ' '), focus: '' };
  const focus = !first.includes('?') && first.split('\n').length === 1 && first.length <= 200 ? first : '';
  return { question, focus };
}

/** "(for the question: How …?" → "How …?"; list markers and a short label go. */
function cleanQuestion(q: string): string {
  return q
    .replace(/^[\s(\-*]+/, '')
    .replace(/^[^:?]{1,40}:\s*(?=\S)/, (m) => (/^\s*(?:https?|ftp)$/i.test(m.slice(0, -1)) ? m : ''))
    .replace(/\s+/g, ' ')
    .trim();
}
