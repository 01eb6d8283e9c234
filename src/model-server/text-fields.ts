/**
 * Answer-mode string fields that a writer writes whole, recognised by name and description: the
 * answer or summary, the report body, the title, follow-up and clarifying questions, the items of
 * a search plan, the reasons of verdicts. Returns undefined for any other field.
 */
import type { Ask } from './ask.js';
import { gerundPhrase, titleFor, writeBody, writeSummary } from './compose.js';
import { evidenceFor } from './evidence.js';
import {
  isBodyField,
  isQueryField,
  isReasonField,
  isTitleField,
  type Ctx,
  type KeyKind,
  type Schema,
  type Slot,
} from './fill-context.js';
import { followUps } from './follow-ups.js';
import { judgeRecord } from './judge.js';
import { planSearches } from './search-plan.js';

export function writtenText(s: Schema, slot: Slot, ctx: Ctx, kind: KeyKind): string | undefined {
  const { material: m, writing } = ctx;
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : undefined;
  if (slot.planned) {
    if (isQueryField(slot.key)) return slot.planned.query;
    if (isReasonField(slot.key) || kind === 'long' || kind === 'plain') return slot.planned.reason;
  }
  if (slot.record && (isReasonField(slot.key) || kind === 'long')) return judgeRecord(slot.record).reason;
  const listed = slot.index !== undefined ? writing.lists.get(slot.key)?.[slot.index] : undefined;
  if (typeof listed === 'string') return listed;
  if (kind === 'followup')
    return followUpList(ctx, slot.index !== undefined ? slot.index + 1 : 1)[slot.index ?? 0];
  if (kind === 'question') return clarifyingQuestion(m.ask, slot.index ?? 0);
  const whole = slot.index === undefined && slot.preferSource === undefined && slot.record === undefined;
  if (!whole) return undefined;
  if (isTitleField(slot.key) && m.ask.question) return titleFor(m.ask.question);
  const evidence = evidenceFor(m);
  // A reason with nothing to quote says what it rests on, never the instructions back.
  if (isReasonField(slot.key) && evidence.cands.length === 0 && m.ask.question)
    return `Judged from the question as asked ("${m.ask.question.replace(/\s+/g, ' ').trim()}"), with no source material to go on.`;
  if (kind !== 'long') return undefined;
  if (evidence.cands.length === 0) return undefined;
  if (isBodyField(slot)) {
    const body = writeBody(evidence, {
      checklist: m.checklist,
      sections: !m.checklist || /##|\bsections?\b|\bheadings?\b/i.test(m.instructions),
      maxChars: maxLength,
    });
    writing.body = body;
    for (const c of body.used) writing.used.add(c);
    return body.text;
  }
  const summary = writeSummary(evidence, {
    maxChars: Math.min(1200, maxLength ?? 1200),
    maxSentences: 5,
    question: m.ask.question,
    exclude: writing.summary ? new Set(writing.summary.used) : undefined,
  });
  if (!summary.text) return undefined;
  writing.summary ??= summary;
  for (const c of summary.used) writing.used.add(c);
  return summary.text;
}

/** Follow-up questions for what was written so far (computed once per fill and count). */
export function followUpList(ctx: Ctx, count: number): string[] {
  const key = `\u0000followups:${count}`;
  const cached = ctx.writing.lists.get(key);
  if (cached) return cached as string[];
  const { writing } = ctx;
  const list = followUps(
    {
      ask: ctx.material.ask,
      evidence: evidenceFor(ctx.material),
      said: `${writing.summary?.text ?? ''}\n${writing.body?.text ?? ''}`,
      used: writing.used,
    },
    count
  );
  ctx.writing.lists.set(key, list);
  return list;
}

const CLARIFYING: Array<(t: string) => string> = [
  (t) => `Which aspect of ${t} matters most to you?`,
  (t) => `What constraints (time, budget, tools) apply to ${t}?`,
  (t) => `What is your current starting point for ${t}?`,
  (t) => `What would a good outcome for ${t} look like?`,
  (t) => `Are there sources or options on ${t} you want included or excluded?`,
  (t) => `Who is the intended audience for ${t}?`,
];

/** A question to the asker about the task, phrased around what the question is about. */
function clarifyingQuestion(ask: Ask, index: number): string {
  const topic = gerundPhrase(ask.question) ?? topicOf(ask);
  return CLARIFYING[index % CLARIFYING.length]!(topic);
}

/** The question's main phrase ("the default port of the dev server"), or "this question". */
function topicOf(ask: Ask): string {
  const plan = planSearches(ask, 1)[0];
  const q = ask.question
    .trim()
    .replace(/[?.!]+$/, '')
    .replace(
      /^(?:what|which|who|where|when|why|how)\b\s*(?:is|are|was|were|does|do|did|can|should|would)?\s*/i,
      ''
    )
    .replace(/^(?:is|are|can|does|do|should|will|would)\s+/i, '');
  if (q && q.split(/\s+/).length <= 10) return q;
  return plan?.query ?? 'this question';
}
