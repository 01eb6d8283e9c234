/**
 * A passage as lines of known kinds — headings, prose, list items, table rows, code — whether it
 * is Markdown as written or an excerpt flattened to one line, where headings, lists and tables run
 * into the prose and are found again by their markers.
 */

import { CONTINUED_LINE } from '../common/line-continuation.js';
import { TERM_MARK, TITLE_MARK } from './doc-markup.js';
import { plainText } from './inline-text.js';
import { wordsOf } from './unit-filters.js';

export type Line =
  | { kind: 'heading'; text: string; flat: boolean; term?: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'item'; text: string; indent: number }
  | { kind: 'row'; cells: string[]; header: boolean }
  | { kind: 'code'; text: string }
  | { kind: 'blank' };

/** Heading texts of a passage title ("A › B · C" gives A, B, C), longest first. */
export function titleSegments(title: string | undefined): string[] {
  if (!title) return [];
  return title
    .split(/\s+[›>·|]\s+/)
    .map((s) => plainText(s).trim())
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
}

const SMALL_WORDS = new Set('a an the and or for of to in on with at by vs from as via'.split(' '));
/** Capitalised, these open a sentence rather than continue a heading. */
const SENTENCE_STARTERS = new Set(
  (
    'this these that those it its you your we our they their there here each every all some most any when if ' +
    'while because since although after before once unlike use pass call set add create define install import ' +
    'enable disable configure register make see note start open read write check avoid keep do does is are'
  ).split(' ')
);
const isCapitalised = (w: string) => /^[\p{Lu}\p{N}]/u.test(w);
const titleCaseRun = (words: string[]) =>
  words.every((w) => isCapitalised(w) || SMALL_WORDS.has(w.toLowerCase()) || !/\p{L}/u.test(w));

/**
 * Where a heading that was flattened into the following prose ends. The passage title names the
 * heading when it can; else the heading ends at the first word that starts a sentence (a
 * capitalised word after lower-case heading words, code, a quote or a list marker).
 */
export function splitFlatHeading(
  text: string,
  segments: string[],
  restore: (protectedText: string) => string = (t) => t
): { heading: string; rest: string } {
  const lower = text.toLowerCase();
  for (const s of segments) {
    const l = s.toLowerCase();
    if (lower.startsWith(l) && (lower.length === l.length || /[\s:]/.test(lower[l.length]!))) {
      return { heading: text.slice(0, l.length), rest: text.slice(l.length).replace(/^[\s:]+/, '') };
    }
  }
  const words = text.split(/\s+/).filter(Boolean);
  // A title segment that holds inline code ("`--dry-run`") matches the heading's plain text.
  if (segments.length > 0 && text.includes('\uE000')) {
    const wanted = new Set(segments.map((s) => s.toLowerCase()));
    const longest = Math.max(...segments.map((s) => s.split(/\s+/).length));
    for (let k = Math.min(words.length, longest + 2); k >= 1; k--) {
      const plain = plainText(restore(words.slice(0, k).join(' '))).toLowerCase();
      if (wanted.has(plain) || wanted.has(plain.replace(/:$/, ''))) return cut(words, k);
    }
  }
  // "`name` Description…", "Class: `Name` Description…": an API heading is the name.
  const named = /^(?:(?:Class|Event|Static method|Method|Property):\s+)?\uE000\d+\uE000$/;
  for (const k of [1, 2]) {
    if (named.test(words.slice(0, k).join(' ')) && /^\p{Lu}/u.test(words[k] ?? '')) return cut(words, k);
  }
  for (let k = 1; k < words.length && k <= 12; k++) {
    const w = words[k]!;
    if (/^[`>|[("“\uE000\uE001]/.test(w) || /^(?:[-*+]|\d+[.)])$/.test(w)) return cut(words, k);
    const before = words.slice(0, k);
    if (isCapitalised(w) && /\p{L}/u.test(w)) {
      const lw = w.toLowerCase();
      if (!titleCaseRun(before) || SMALL_WORDS.has(lw) || SENTENCE_STARTERS.has(lw)) return cut(words, k);
      continue;
    }
    if (/^\p{Ll}/u.test(w) && !SMALL_WORDS.has(w) && titleCaseRun(before) && k >= 3) return cut(words, k - 1);
  }
  if (words.length <= 12) return { heading: text, rest: '' };
  return { heading: '', rest: text };
}

function cut(words: string[], k: number): { heading: string; rest: string } {
  return { heading: words.slice(0, k).join(' '), rest: words.slice(k).join(' ') };
}

/** Table cells of a row like "| a | b |" (outer pipes optional). */
function cellsOf(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

const SEPARATOR_ROW = /^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$/;

/** A table flattened into one line: the prose before it, its rows, and the prose after. */
function flatTable(line: string): Line[] | undefined {
  const sep = /\|(?:\s*:?-{2,}:?\s*\|)+/.exec(line);
  if (!sep) return undefined;
  const columns = (sep[0].match(/-{2,}/g) ?? []).length;
  const rowRe = new RegExp(`\\|${'([^|]*)\\|'.repeat(columns)}`, 'y');
  // The header row ends right before the separator.
  const head = line.slice(0, sep.index);
  const headerStart = (() => {
    let pipes = 0;
    for (let i = head.length - 1; i >= 0; i--) {
      if (head[i] === '|' && ++pipes === columns + 1) return i;
    }
    return -1;
  })();
  if (headerStart < 0) return undefined;
  const out: Line[] = [];
  const before = line.slice(0, headerStart).trim();
  if (before) out.push(...flatLines(before));
  out.push({ kind: 'row', cells: cellsOf(line.slice(headerStart, sep.index)), header: true });
  let at = sep.index + sep[0].length;
  for (;;) {
    const rest = line.slice(at);
    const skip = rest.length - rest.trimStart().length;
    rowRe.lastIndex = at + skip;
    const m = rowRe.exec(line);
    if (!m) break;
    out.push({ kind: 'row', cells: m.slice(1).map((c) => c.trim()), header: false });
    at = rowRe.lastIndex;
  }
  const after = line.slice(at).trim();
  // A row cut by the end of an excerpt is not a row.
  if (after && !after.startsWith('|')) out.push(...flatLines(after));
  return out;
}

function unclosed(text: string): boolean {
  return (text.match(/\(/g)?.length ?? 0) > (text.match(/\)/g)?.length ?? 0);
}

/** One flattened line (an excerpt) as the lines it was made of: headings, quotes, list items, tables. */
export function flatLines(line: string): Line[] {
  const table = flatTable(line);
  if (table) return table;
  let marked = line
    .replace(
      /(^|[.!?:)\]"'’”\uE001])\s*(#{1,6})\s+(?!(?:include|define|if|ifdef|ifndef|else|endif|pragma|undef)\b)(?=\S)/g,
      '$1\n$2 '
    )
    .replace(/\s(#{2,6})\s+(?!(?:include|define|if|ifdef|ifndef|else|endif|pragma|undef)\b)(?=\S)/g, '\n$1 ')
    .replace(/(^|[.!?:)\]"'’”])\s*>\s+(?=\S)/g, '$1\n> ')
    .replace(
      /([.!?:)\]"'’”…])\s+([-*+•]|\d{1,2}[.)])\s+(?=\S)/g,
      (m, end: string, marker: string, at: number, all: string) =>
        // "(default: 10) next…" closes an aside; it does not number an item.
        /\)$/.test(marker) && unclosed(all.slice(Math.max(0, at - 80), at + 1)) ? m : `${end}\n${marker} `
    );
  // A command continued by a backslash ends where a sentence starts ("…\\ > /etc/x Please note…").
  marked = marked.replace(/(\s\\\s(?:\S+\s){1,8}?)(?=\p{Lu}\p{Ll}+\s)/gu, '$1\n');
  // Items without closing punctuation ("* use DEP-14 for debian/master * refresh patches * …"):
  // three or more bullets in a run are a list, not arithmetic.
  // An item may open with its name in bold ("* **apt-get** for retrieval…").
  const bullets = /\s\*\s+(?=[\p{L}`\uE000]|\*\*[\p{L}`]|__?[\p{L}])/gu;
  const listed = (marked.match(bullets)?.length ?? 0) >= 3 ? marked.replace(bullets, '\n* ') : marked;
  const out: Line[] = [];
  for (const piece of listed.split('\n')) {
    const t = piece.trim();
    if (!t) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(t);
    if (heading && FLAT_CONTINUED.test(heading[2]!)) {
      // A root prompt's command continued by a backslash ("# echo '…' \\ > /etc/…") is no heading:
      // it completes the text before it ("E.g:"), and the text after it is a paragraph of its own.
      out.push({ kind: 'text', text: t }, { kind: 'blank' });
      continue;
    }
    if (heading) {
      out.push({ kind: 'heading', text: heading[2]!, flat: true });
      continue;
    }
    const item = /^(?:[-*+•]|\d{1,2}[.)])\s+(.*)$/.exec(t);
    if (item) {
      // Inside a flattened list, " - Capitalised" starts the next item.
      for (const part of item[1]!.split(/\s[-*+•]\s(?=[\p{Lu}`\uE000[])/u))
        out.push({ kind: 'item', text: part, indent: 0 });
      continue;
    }
    out.push({ kind: 'text', text: t.replace(/^>\s*/, '') });
  }
  return out;
}

/** A command continued by a backslash in flattened text: a backslash between words, or at the end. */
const FLAT_CONTINUED = /\S\s\\(?:\s|$)/;

const MARKED = new RegExp(`^([${TERM_MARK}${TITLE_MARK}])(.+)\\1$`);

const FLATTENED = /\s#{2,6}\s\S|\|\s*:?-{2,}:?\s*\||[.!?:]\s+[-*+]\s+\S|[.!?]\s+>\s+\S/;

/**
 * The text as lines of known kinds. `flat`: the text was one line (an excerpt) before manual-page
 * markup was put on lines of its own, so every line is read as flattened.
 */
export function linesOf(text: string, flat = !text.includes('\n')): Line[] {
  const out: Line[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    const t = line.trim();
    if (!t) {
      out.push({ kind: 'blank' });
      continue;
    }
    const code = /^\uE001(\d+)\uE001$/.exec(t);
    if (code) {
      out.push({ kind: 'code', text: code[1]! });
      continue;
    }
    const marked = MARKED.exec(t);
    if (marked) {
      out.push({ kind: 'heading', text: marked[2]!, flat: false, term: marked[1] === TERM_MARK });
      continue;
    }
    if (flat || (t.length > 160 && FLATTENED.test(t))) {
      out.push(...flatLines(t), { kind: 'blank' });
      continue;
    }
    const next = raw[i + 1]?.trim() ?? '';
    if (/^(=+|-+)$/.test(next) && next.length >= 3 && !/^[-*+]\s/.test(t)) {
      out.push({ kind: 'heading', text: t, flat: false });
      i++;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)(?:\s+#+)?$/.exec(t);
    if (heading && CONTINUED_LINE.test(t)) {
      // A root prompt's command continued on the next lines ("# echo '…' \\" over "> /etc/…"): text
      // that reads as code, not a heading.
      let command = t;
      while (CONTINUED_LINE.test(raw[i]!) && raw[i + 1]?.trim()) command += ' ' + raw[++i]!.trim();
      out.push({ kind: 'text', text: command });
      continue;
    }
    if (heading) {
      out.push({ kind: 'heading', text: heading[1]!, flat: wordsOf(heading[1]!).length > 12 });
      continue;
    }
    if (/^\|.*\|$/.test(t) || (t.includes('|') && SEPARATOR_ROW.test(next))) {
      if (SEPARATOR_ROW.test(t)) continue;
      out.push({ kind: 'row', cells: cellsOf(t), header: SEPARATOR_ROW.test(next) });
      continue;
    }
    const item = /^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(line);
    if (item) {
      out.push({ kind: 'item', text: item[2]!, indent: item[1]!.length });
      continue;
    }
    const prev = out[out.length - 1];
    // Indented continuation of a list item.
    if (prev?.kind === 'item' && /^\s{2,}\S/.test(line)) {
      prev.text += ` ${t}`;
      continue;
    }
    out.push({ kind: 'text', text: t.replace(/^>\s?/, '') });
  }
  return out;
}

/**
 * A sentence with a run of labels glued to its front (a flattened badge row or menu: "Build
 * Status NPM Version Install Size The complete solution for…") loses the run.
 */
export function withoutLabelPrefix(sentence: string): string {
  const words = sentence.split(' ');
  let k = 0;
  while (k < words.length && /^[\p{Lu}\p{N}][\p{L}\p{N}.@/-]*$/u.test(words[k]!)) k++;
  // words[k - 1] opens the sentence when lower-case words follow it.
  const opener = (words[k - 1] ?? '').toLowerCase();
  if (
    k < 5 ||
    !/^\p{Ll}/u.test(words[k] ?? '') ||
    !(SMALL_WORDS.has(opener) || SENTENCE_STARTERS.has(opener))
  )
    return sentence;
  return words.slice(k - 1).join(' ');
}
