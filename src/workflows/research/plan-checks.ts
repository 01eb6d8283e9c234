// What the workflow accepts from any model, however small: plans and follow-ups are checked here,
// deterministically, so a weak model's output degrades the report instead of derailing the run.
import { contentTerms } from '../support.js';

export interface PlannedSearch {
  query: string;
  reason: string;
}

/**
 * The plan's usable searches: trimmed, non-trivial, each query once (compared without case and
 * punctuation), at most `max`. When no query shares a content word with the question (a model that
 * answered with URLs or noise), the question itself is searched first. `as-planned` is the rule of
 * runs started before this one (duplicates kept), for their replay.
 */
export function usablePlan(
  searches: PlannedSearch[],
  question: string,
  max: number,
  mode: 'once' | 'as-planned' = 'once'
): PlannedSearch[] {
  const seen = new Set<string>();
  const out: PlannedSearch[] = [];
  for (const s of searches) {
    const query = s.query.trim().slice(0, 200);
    const key = query
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    if (query.length < 2) continue;
    if (mode === 'once' && (!key || seen.has(key))) continue;
    seen.add(key);
    out.push({ query, reason: s.reason.trim().slice(0, 400) });
  }
  if (mode === 'as-planned') {
    // The rule before queries were merged: only an empty plan searches for the question.
    return out.length > 0
      ? out.slice(0, max)
      : [{ query: question.slice(0, 200), reason: 'the question as asked' }];
  }
  const asked = contentTerms(question);
  const related = out.some((s) => [...contentTerms(s.query)].some((t) => asked.has(t)));
  if (!related) out.unshift({ query: question.slice(0, 200), reason: 'the question as asked' });
  return out.slice(0, max);
}

/** Follow-ups that are questions: a few words ending with "?", each once; anything else is dropped. */
export function usableFollowUps(items: string[]): string[] {
  const out: string[] = [];
  for (const raw of items) {
    const q = raw.replace(/\s+/g, ' ').trim().slice(0, 300);
    if (!/\?$/.test(q) || (q.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) < 3) continue;
    if (!out.some((o) => o.toLowerCase() === q.toLowerCase())) out.push(q);
  }
  return out.slice(0, 5);
}
