/**
 * Words that documentation and the people asking use for the same thing: people ask to "cap"
 * something, references say "maximum"; they ask to "stop" a thing, references say "terminate". A
 * question term is met, at a discount, by a related term. The groups are ordinary English
 * near-synonyms of software documentation, never names of products, options or files.
 */
import { stem } from './terms.js';

const GROUPS = [
  'limit cap maximum max restrict bound ceiling',
  // Not "termination": its stem is that of "terminal".
  'stop terminate kill halt abort',
  'prevent avoid stop restrict block',
  'start begin launch spawn',
  'remove delete prune purge clean erase cleanup',
  'old age older expire expiry stale',
  'simultaneous simultaneously concurrent concurrently parallel',
  'slow slower slowdown overhead',
  'fast faster speed quick quickly performance',
  'reduce lower decrease halve half shrink smaller minimize',
  'increase raise bigger larger grow',
  'big large size volume',
  'long length',
  'split spread divide distribute shard partition',
  'remember cache store retain persist',
  'forget evict discard',
  'ignore skip exclude omit bypass',
  'exclude hide mask redact',
  'enable activate',
  'disable deactivate stop',
  'hide mask redact censor obscure',
  'show display print output',
  'attach hook',
  'problem issue trouble',
  'precedence priority override overrides win wins',
  'wait delay pause timeout',
  'live active running',
  'retry attempt attempts try tries',
  'run execute invoke',
  'allow permit',
  'require need mandatory',
  'change modify alter edit',
  'everything all entire whole total',
  'count measure',
  'program process application',
  'machine host computer',
  'error failure fail',
  'copy duplicate',
  'safe secure security',
  'folder directory',
  'record track',
  'typed entered',
  'thousands many numerous',
  'often frequently frequency',
  'setting option configuration parameter',
  'option flag switch',
];

const related = new Map<string, Set<string>>();
for (const group of GROUPS) {
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
