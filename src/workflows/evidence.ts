import type { Evidence } from './citations.js';

/** Passages the writer sees at most, whatever the context allows. */
export const MAX_WRITER_PASSAGES = 24;
/** Characters per token, conservatively, for budgeting a prompt without a tokenizer. */
const CHARS_PER_TOKEN = 3.5;
/** Tokens kept free for the writer's instructions and the question (its answer is reserved apart). */
const RESERVED_TOKENS = 2500;
/** The writer's answer when the output cap is not known. */
const DEFAULT_ANSWER_TOKENS = 4096;
/** Per passage: its id, title and JSON punctuation. */
const PASSAGE_OVERHEAD_CHARS = 120;

/**
 * The evidence of all searches as one map, in an order that serves the writer: each search's best
 * passage first (round-robin over the searches in plan order), duplicates dropped. The order does
 * not depend on which search finished first.
 */
export function mergeEvidence(perSearch: Evidence[][]): Map<string, Evidence> {
  const merged = new Map<string, Evidence>();
  const longest = Math.max(0, ...perSearch.map((l) => l.length));
  for (let rank = 0; rank < longest; rank++) {
    for (const list of perSearch) {
      const p = list[rank];
      if (p && !merged.has(p.sourceId)) merged.set(p.sourceId, p);
    }
  }
  return merged;
}

/**
 * The passages the writer gets: at most MAX_WRITER_PASSAGES, and — when the model's context size is
 * known — as many as fit in it with room for the instructions and the answer. What is left out is
 * said in `warnings`, never dropped silently.
 */
export function fitEvidence(
  passages: Evidence[],
  limits: { contextTokens?: number; maxOutputTokens?: number },
  warnings: string[]
): Evidence[] {
  const { contextTokens } = limits;
  const chosen = passages.slice(0, MAX_WRITER_PASSAGES);
  if (!contextTokens) return chosen;
  const answer = Math.min(limits.maxOutputTokens ?? DEFAULT_ANSWER_TOKENS, contextTokens / 2);
  let budget = Math.max(0, (contextTokens - RESERVED_TOKENS - answer) * CHARS_PER_TOKEN);
  const fitted: Evidence[] = [];
  for (const p of chosen) {
    const cost = p.excerpt.length + p.title.length + PASSAGE_OVERHEAD_CHARS;
    if (cost > budget) {
      // One shortened passage is better than none; beyond that, stop.
      if (fitted.length === 0 && budget > 400)
        fitted.push({ ...p, excerpt: p.excerpt.slice(0, budget - 200) });
      break;
    }
    budget -= cost;
    fitted.push(p);
  }
  if (fitted.length < chosen.length) {
    warnings.push(
      `the writer saw ${fitted.length} of ${chosen.length} passages: the model's context holds ${contextTokens} tokens`
    );
  }
  return fitted;
}
