/**
 * Related terms for the offline writer: a question term is met, at a discount, by a word of the
 * same group of near-synonyms (src/common/near-synonyms.ts).
 */
import { nearSynonymMap } from '../common/near-synonyms.js';
import { initialsOf, stem } from './terms.js';

const related = nearSynonymMap((w) => [stem(w)]);

/** The stems related to a stemmed term (not itself); a compound's include its initials ("jit"). */
export function relatedTerms(term: string): string[] {
  const short = initialsOf(term);
  return [...(related.get(term) ?? []), ...(short ? [short] : [])];
}

/** How much a related term counts for the term asked about. */
export const RELATED_CREDIT = 0.7;
