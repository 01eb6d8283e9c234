/** Content terms for matching a question against passages: stemmed words and code identifiers' parts. */
import { COMMAND_OPTION } from '../common/command-option.js';
import { libraryOf } from '../common/library-name.js';
import { americanSpelling } from '../common/word-forms.js';
import { STOPWORDS } from './text.js';

/** Folds inflections so that "approval", "approve" and "approved" meet. Crude on purpose. */
export function stem(word: string): string {
  let w = americanSpelling(word);
  if (w.length <= 3 || /[\d._/]/.test(w)) return w;
  for (const [suffix, keep] of [
    ['ies', 'y'],
    ['ied', 'y'],
    ['sses', 'ss'],
    ['es', ''],
    ['s', ''],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      if (suffix === 's' && /(?:ss|us|is)$/.test(w)) break;
      if (suffix === 'es' && !/(?:ch|sh|x|z|ss)es$/.test(w)) continue;
      w = w.slice(0, -suffix.length) + keep;
      break;
    }
  }
  // "atomically" goes as far as "atomical" does: to "atomic".
  for (const suffix of ['ing', 'ed', 'ation', 'ion', 'ment', 'ally', 'al', 'ly', 'er']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= (suffix === 'er' ? 5 : 4)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  if (/([^aeiouls])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

export interface Term {
  term: string;
  pos: number;
  /** A part of a code identifier or compound ("Open" of "OpenAI"), not a word as written. */
  part?: boolean;
  /** The initials of a compound ("jit" of "just-in-time"): what a text abbreviates it to. */
  initials?: boolean;
}

/**
 * The initials of a compound of three words or more, as its abbreviation: "just-in-time" is
 * "jit", "out-of-memory" "oom", "man-in-the-middle" "mitm" (stems keep their first letters).
 */
export function initialsOf(compound: string): string | undefined {
  const words = compound.split('-');
  if (words.length < 3 || !words.every((w) => /^\p{L}+$/u.test(w))) return undefined;
  return words.map((w) => w[0]!.toLowerCase()).join('');
}

/** Content terms of a text in order, stemmed; code identifiers also give their parts. */
export function termsOf(text: string): Term[] {
  const out: Term[] = [];
  /** Where each token starts: a token's position is its index here. */
  const starts: number[] = [];
  let pos = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}_][\p{L}\p{N}_.'’/-]*[\p{L}\p{N}_]|[\p{L}\p{N}]/gu)) {
    starts.push(m.index);
    const raw = m[0].replace(/['’]s$/, '');
    const parts = new Set<string>([raw.toLowerCase()]);
    if (/[a-z][A-Z]|[_./-]/.test(raw))
      for (const p of raw.split(/(?<=[a-z0-9])(?=[A-Z])|[_./-]+/)) parts.add(p.toLowerCase());
    // "liblzo2" is also the LZO library it packages (as the index reads it).
    const library = libraryOf(raw.toLowerCase());
    if (library) parts.add(library);
    // "d/control", "d/patches": Debian packaging's short form of "debian/control".
    if (/^d\/[\p{L}\p{N}]/u.test(raw)) parts.add(`debian/${raw.slice(2).toLowerCase()}`);
    // "just-in-time" is also the "JIT" a text abbreviates it to.
    const short = initialsOf(raw.toLowerCase());
    let first = true;
    for (const p of parts) {
      const whole = first;
      first = false;
      // "7z", "v8", "3d": a short token with a digit is a name; a two-letter word is not.
      if (p.length < 3 && !/\d/.test(p)) continue;
      // "GET", "HEAD", "IT": a word in capitals is a name, even when its lower case is a stopword.
      if (STOPWORDS.has(p) && !(whole && raw.length >= 2 && /^[A-Z]+$/.test(raw))) continue;
      out.push(whole ? { term: stem(p), pos } : { term: stem(p), pos, part: true });
    }
    if (short) out.push({ term: short, pos, part: true, initials: true });
    pos++;
  }
  // "cp -p", "ls -l", "tar -xzf": a command with its option is one name, though its words are
  // too short to count alone.
  let named = false;
  for (const m of text.matchAll(COMMAND_OPTION)) {
    if (STOPWORDS.has(m[1]!)) continue;
    // The command word is a token of its own: its position is that token's.
    out.push({ term: `${m[1]!} ${m[2]!}`, pos: starts.indexOf(m.index) });
    named = true;
  }
  return named ? out.sort((a, b) => a.pos - b.pos) : out;
}

export const termSet = (text: string): Set<string> => new Set(termsOf(text).map((t) => t.term));
