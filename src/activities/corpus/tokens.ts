/**
 * Terms as the index and the queries see them: lower-cased words without stop words, lightly
 * stemmed so that "retries"/"retry" and "configured"/"configuration" meet, plus the parts of
 * identifiers (camelCase, snake_case) so that "RunState" is found by "run state" and the reverse.
 */
import { COMMAND_OPTION } from '../../common/command-option.js';
import { libraryOf } from '../../common/library-name.js';
import { americanSpelling, baseForm } from '../../common/word-forms.js';
import { closedTags, withoutTags } from '../../common/placeholder-tags.js';

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does doing done for from had has have having ' +
    'how i if in into is it its itself me my of on or our ours so such than that the their theirs them then ' +
    'there these they this those to too was we were what when where which while who whom whose why will with ' +
    'would you your yours should shall may might must about also just not no nor only own same very any all ' +
    'am both each few more most other some here once again further up out over under above below off ' +
    'use using used uses s t don isn aren doesn didn won e g eg ie etc'
  ).split(/\s+/)
);

const VOWEL = /[aeiouy]/;

/**
 * A small, consistent suffix stripper (not Porter): the same word family gets the same stem, and a
 * stem keeps at least three letters. Identifiers (digits, underscores) are left alone.
 */
export function stem(raw: string): string {
  const word = baseForm(raw);
  if (word.length <= 3 || /[\d_]/.test(word)) return word;
  let w = word;
  let stripped = false;
  const strip = (suffix: string, replacement = '') => {
    if (!w.endsWith(suffix)) return false;
    const base = w.slice(0, -suffix.length) + replacement;
    if (base.length < 3 || !VOWEL.test(base)) return false;
    w = base;
    stripped = true;
    return true;
  };
  if (w.endsWith('ss')) {
    // "class", "process": nothing to strip
  } else if (strip('ies', 'y') || strip('ied', 'y')) {
    return w;
  } else if (/(ss|x|z|ch|sh)es$/.test(w)) {
    strip('es');
  } else if (!/(us|is)$/.test(w)) {
    strip('s');
  }
  if (!strip('ations') && !strip('ation') && !strip('ing')) strip('ed');
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  // "running" -> "runn" -> "run", but "called" keeps its "ll" ("call" does too).
  if (stripped && /([^aeioulsz])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** A processed term and its position (positions skip stop words; identifier parts take one each). */
export interface Token {
  term: string;
  pos: number;
  /** The other spelling of the word before it ("license" after "licence"): same position. */
  variant?: true;
  /** A command with its option ("command -p"), at the command's position: a name, not a word more. */
  joint?: true;
}

const WORD = /[\p{L}\p{N}_]+/gu;
const CAMEL = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;

/** "IDs", "URLs", "CPUs": the plural of an abbreviation is one word, the abbreviation's. */
const PLURAL_ABBREVIATION = /^\p{Lu}{2,}s$/u;

function partsOf(raw: string): string[] {
  // A name numbered at its end ("resolve4", "http2", "int32") is also found by its name: docs write
  // "resolve*()" for the family.
  const numbered = /^(\p{Ll}{3,})(\d+)$/u.exec(raw);
  if (numbered) {
    // A library's package, named "lib" + the library + its soname's number ("liblzo2",
    // "libgcrypt20"), is also found by the library's own name ("LZO", "gcrypt").
    const library = libraryOf(raw);
    return library ? [numbered[1]!, numbered[2]!, library] : [numbered[1]!, numbered[2]!];
  }
  if (!/[\p{Lu}_]/u.test(raw) || !/[\p{Ll}\d_]/u.test(raw)) return []; // one plain word
  if (PLURAL_ABBREVIATION.test(raw)) return [];
  const parts = raw
    .split('_')
    .flatMap((p) => p.split(CAMEL))
    .filter(Boolean);
  return parts.length > 1 ? parts : [];
}

/**
 * A word's terms: its own ('' for a stop word) and, for a British spelling, its American
 * sibling's ('' when none): "licence" is indexed as "licenc" and "licens", so that it finds
 * "license" and the reverse, while a word spelled as the question spells it still counts for more
 * (it meets both of its terms; the rarer spelling keeps its rarity).
 */
interface WordTerms {
  term: string;
  american: string;
}

/** Word -> its terms: a corpus has far fewer distinct words than words. */
const known = new Map<string, WordTerms>();

function wordTerms(raw: string): WordTerms {
  let terms = known.get(raw);
  if (terms === undefined) {
    const lower = raw.toLowerCase();
    const term = STOP_WORDS.has(lower) || (lower.length < 2 && !/\d/.test(lower)) ? '' : stem(lower);
    const folded = term ? americanSpelling(lower) : lower;
    const american = folded === lower ? '' : stem(folded);
    terms = { term, american: american === term ? '' : american };
    if (known.size > 500_000) known.clear();
    known.set(raw, terms);
  }
  return terms;
}

function normal(raw: string): string | undefined {
  return wordTerms(raw).term || undefined;
}

/** Most parts of a name joined by `-` or `.` that still make a whole term of it. */
const JOINED_PARTS = 6;

/**
 * Tokens of `text` in reading order. Identifiers yield their whole form and their parts; so do
 * names joined by `-` or `.` without spaces ("--show-leak-kinds", "gc.pruneExpire", "2.39.5"),
 * so that a search for the exact flag or setting finds it first, and its words find it too.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  // The name being joined: where its tokens start in `out`, its position, its text so far.
  let joined: { at: number; pos: number; text: string; parts: number } | undefined;
  let end = -1;
  const close = () => {
    // Abbreviations with dots ("e.g.", "i.e.") are no names.
    if (
      joined &&
      joined.parts > 1 &&
      joined.parts <= JOINED_PARTS &&
      !/^(\p{L}[.-])+\p{L}?$/u.test(joined.text)
    )
      out.splice(joined.at, 0, { term: joined.text, pos: joined.pos });
    joined = undefined;
  };
  /** Where each word starts: its position (kept only where an option can follow a command). */
  const at = /\s-/.test(text) ? new Map<number, number>() : undefined;
  for (const m of text.matchAll(WORD)) {
    const raw = m[0];
    at?.set(m.index, pos);
    const glue = m.index === end + 1 ? text[end] : undefined;
    if (joined && (glue === '-' || glue === '.' || glue === '/')) {
      joined.text += glue + raw.toLowerCase();
      joined.parts++;
    } else {
      close();
      joined = { at: out.length, pos, text: raw.toLowerCase(), parts: 1 };
    }
    end = m.index + raw.length;
    const parts = partsOf(raw);
    const word = parts.length ? undefined : wordTerms(PLURAL_ABBREVIATION.test(raw) ? raw.slice(0, -1) : raw);
    const whole = word ? word.term || undefined : raw.toLowerCase().replace(/^_+|_+$/g, '');
    let used = false;
    if (whole && !STOP_WORDS.has(whole)) {
      out.push({ term: whole, pos });
      used = true;
      if (word?.american) out.push({ term: word.american, pos, variant: true });
    }
    let k = 0;
    for (const p of parts) {
      const t = normal(p);
      if (!t) continue;
      out.push({ term: t, pos: pos + k });
      k++;
      used = true;
    }
    if (used) pos += Math.max(1, k);
  }
  close();
  return withCommandOptions(text, out, at);
}

/**
 * "command -p", "tar -x": a command with its option is one name as well as its words, so that a
 * search for "command -p" finds where it is said though "-p" is too short to count as a word.
 */
function withCommandOptions(text: string, tokens: Token[], at: Map<number, number> | undefined): Token[] {
  if (!at) return tokens;
  let added = false;
  for (const m of text.matchAll(COMMAND_OPTION)) {
    const pos = at.get(m.index);
    if (pos === undefined || STOP_WORDS.has(m[1]!)) continue;
    tokens.push({ term: `${m[1]!} ${m[2]!}`, pos, joint: true });
    added = true;
  }
  return added ? tokens.sort((a, b) => a.pos - b.pos) : tokens;
}

/**
 * Text as indexed: link targets, image sources and HTML tags carry no words of the passage. A
 * bare `<word>` that no `</word>` closes is a placeholder ("git reset <commit>", "--timeout
 * <seconds>"), not a tag: its word is kept.
 */
export function indexableText(text: string): string {
  const unlinked = text
    .replace(/^\s{0,3}\[[^\]]+\]:\s*\S+.*$/gm, ' ') // link reference definitions
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  return withoutTags(unlinked, ' ', (_tag, name) => ` ${name} `, closedTags(text)).replace(
    /\bhttps?:\/\/\S+/g,
    ' '
  );
}
