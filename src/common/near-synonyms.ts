/**
 * Words that documentation and the people asking use for the same thing: people ask to "cap"
 * something, references say "maximum"; they ask to "stop" a thing, references say "terminate".
 * Ordinary English near-synonyms of software documentation, never names of products, options or
 * files. Pure data: the offline writer and corpus retrieval each stem them their own way.
 */
export const NEAR_SYNONYMS: readonly string[] = [
  'limit cap maximum max restrict bound ceiling',
  // Not "termination": its stem is that of "terminal".
  'stop terminate kill halt abort',
  'kill crash die dies dead',
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
  'forbid forbidden prohibit prohibited disallow disallowed',
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
  'password passphrase passwd',
  'terminal tty console',
  'quiet quietly silent silently',
  'memory ram',
  // A file moved aside is renamed (mv does both).
  'rename move',
];

/**
 * For each stem, the other stems of its groups. `stems` turns a word into the terms a side indexes
 * it by (the writer and retrieval stem differently).
 */
export function nearSynonymMap(stems: (word: string) => string[]): Map<string, Set<string>> {
  const related = new Map<string, Set<string>>();
  for (const group of NEAR_SYNONYMS) {
    const terms = [...new Set(group.split(' ').flatMap(stems))];
    for (const a of terms) {
      const set = related.get(a) ?? new Set<string>();
      for (const b of terms) if (b !== a) set.add(b);
      related.set(a, set);
    }
  }
  return related;
}
