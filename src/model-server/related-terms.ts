/**
 * Related terms for the offline writer: a question term is met, at a discount, by a word of the
 * same group of near-synonyms (src/common/near-synonyms.ts).
 */
import { NEAR_SYNONYMS } from '../common/near-synonyms.js';
import { stem } from './terms.js';

const related = new Map<string, Set<string>>();
for (const group of NEAR_SYNONYMS) {
  const stems = [...new Set(group.split(' ').map((w) => stem(w)))];
  for (const s of stems) {
    const set = related.get(s) ?? new Set<string>();
    for (const o of stems) if (o !== s) set.add(o);
    related.set(s, set);
  }
}

/** The stems related to a stemmed term (not itself). */
export function relatedTerms(term: string): string[] {
  return [...(related.get(term) ?? [])];
}

/** How much a related term counts for the term asked about. */
export const RELATED_CREDIT = 0.7;
