/**
 * Documentation markup other than Markdown, rewritten as the lines the segmenter reads: AsciiDoc
 * and reStructuredText manual pages (titles underlined with `----`/`====`, listing blocks between
 * `----` delimiters, `term::` definition lists, `+` continuations, `[[anchors]]`), and HTML pages
 * laid out with tables whose cells came out as runs of `|`. Works on text as written and on
 * excerpts flattened to one line, where the underline or delimiter is all that is left of a line
 * break. Titles and definition terms become lines of their own, marked, which the segmenter reads
 * as headings (a term is the name the following sentences describe).
 */

import { isName } from './definition-terms.js';

/** Wraps a definition-list term put on its own line. */
export const TERM_MARK = '\uE003';
/** Wraps an underlined title put on its own line. */
export const TITLE_MARK = '\uE004';
/** Wraps the release a changelog entry is for, put on its own line (segment.ts). */
export const RELEASE_MARK = '\uE005';

const UNDERLINE = /(?<=\s|^)([-=~^])\1{2,}(?=\s|$)/g;

/** A title: a few words, no sentence punctuation at its end, not a list item or a command line. */
function isTitle(text: string): boolean {
  const t = text.trim();
  if (!t || t.length > 90 || /[.:;,!?]$/.test(t) || /^[-*+$#>|]/.test(t)) return false;
  const words = t.split(/\s+/);
  return words.length <= 10 && /\p{L}/u.test(t);
}

/** Where the text before `end` starts a new line of thought: a sentence end, a line break, an ellipsis. */
function boundaryBefore(text: string, end: number): number {
  let start = 0;
  const head = text.slice(0, end);
  for (const m of head.matchAll(/(?:[.!?:;)][)"'’”]*|…|\n|\uE001)\s+|\s\+\s/g)) start = m.index + m[0].length;
  return start;
}

/** Title Case or ALL CAPS words: what a heading looks like when no punctuation marks where it starts. */
function looksLikeHeading(title: string): boolean {
  const words = title.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const small = /^(?:a|an|the|and|or|of|to|in|on|for|with|at|by|from|vs|via)$/;
  return words.length > 0 && words.every((w) => /^[\p{Lu}\p{N}`'"(]/u.test(w) || small.test(w));
}

/**
 * The title an underline of `len` characters belongs to, at the end of `text`: the words since the
 * last sentence end when they are as long as the underline (±2), else the shortest run of final
 * words that is, when it reads as a heading. Returns where the title starts, or -1.
 */
function titleBefore(text: string, len: number): number {
  const from = boundaryBefore(text, text.length);
  const title = text.slice(from).trim();
  if (isTitle(title) && Math.abs(title.length - len) <= 2)
    return text.length - text.slice(from).trimStart().length;
  for (const m of text.matchAll(/\s(?=\S)/g)) {
    const at = m.index + 1;
    const rest = text.slice(at);
    if (rest.length > len + 1) continue;
    if (rest.length < len - 1) break;
    if (isTitle(rest) && looksLikeHeading(rest)) return at;
  }
  return -1;
}

/**
 * Underlined titles become "## Title" lines; `----` runs that open and close a block become a
 * fenced block; other runs are dropped. A title's underline is as long as the title, which is what
 * tells it from a block delimiter in a flattened excerpt. Runs inside tables (`| --- |`) stay.
 */
function titlesAndBlocks(text: string): string {
  const runs = [...text.matchAll(UNDERLINE)]
    .filter(
      (m) => !/\|\s*$/.test(text.slice(0, m.index)) && !/^\s*\|/.test(text.slice(m.index + m[0].length))
    )
    .map((m) => ({ at: m.index, len: m[0].length, ch: m[1]! }));
  let out = '';
  let last = 0;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    if (r.at < last) continue;
    const before = text.slice(last, r.at).replace(/\s+$/, '');
    const at = titleBefore(before, r.len);
    if (at >= 0) {
      out += `${before.slice(0, at)}\n${TITLE_MARK}${before.slice(at).trim()}${TITLE_MARK}\n`;
      last = r.at + r.len;
      continue;
    }
    // A delimited block: the next run of the same character and length closes it.
    const close =
      r.ch === '-' && r.len >= 4
        ? runs.slice(i + 1).find((o) => o.ch === r.ch && o.len === r.len)
        : undefined;
    if (close) {
      const body = text.slice(r.at + r.len, close.at).trim();
      out += `${before}\n\`\`\`\n${body}\n\`\`\`\n`;
      last = close.at + close.len;
      continue;
    }
    out += `${before}\n`;
    last = r.at + r.len;
  }
  return out + text.slice(last);
}

/**
 * Whether the text before a `::` is a definition term, given what follows it: a name or an
 * option; or a short title-like phrase or question whose description starts with a capital.
 * reStructuredText's "…like::" before a literal block is neither.
 */
function isTerm(term: string, after: string): boolean {
  const t = term.trim();
  if (!t || t.length > 120) return false;
  if (isName(t)) return true;
  const words = t.split(/\s+/).length;
  return words <= 14 && /^[\p{Lu}`'"]/u.test(t) && /^\s*(?:\+\s*)?[\p{Lu}`'"]/u.test(after);
}

/** `term::` definition lists (AsciiDoc): each term on its own marked line; several terms in a row join. */
function definitionTerms(text: string): { text: string; found: boolean } {
  const marks = [...text.matchAll(/(?<!:)\s?::(?=\s|$)/g)];
  if (marks.length === 0) return { text, found: false };
  let out = '';
  let last = 0;
  let found = false;
  for (const m of marks) {
    if (m.index < last) continue;
    const start = Math.max(last, boundaryBefore(text, m.index));
    const term = text.slice(start, m.index).trim();
    const after = text.slice(m.index + m[0].length);
    if (!isTerm(term, after)) {
      // A literal-block marker or a colon doubled for other reasons: one colon is its meaning.
      out += `${text.slice(last, m.index)}:`;
      last = m.index + m[0].length;
      continue;
    }
    found = true;
    const previous = out.endsWith(TERM_MARK + '\n') && !text.slice(last, start).trim();
    const names = term.replace(/\s*::\s*/g, ', ');
    if (previous) out = `${out.slice(0, -(TERM_MARK.length + 1))}, ${names}${TERM_MARK}\n`;
    else out += `${text.slice(last, start)}\n${TERM_MARK}${names}${TERM_MARK}\n`;
    last = m.index + m[0].length;
  }
  return { text: out + text.slice(last), found };
}

/** Cells of a layout table flattened to "| | a | b |": the cells are paragraphs. */
function layoutCells(text: string): string {
  if (!/\|[ \t]+\|/.test(text) || /\|\s*:?-{2,}:?\s*\|/.test(text)) return text;
  return text.replace(/(?:^|\s)\|(?:\s+\|)*(?=\s|$)/g, '\n');
}

/**
 * The text with manual-page markup as lines: titles and terms marked on lines of their own, listing blocks fenced,
 * definition terms marked, anchors, attribute lines, includes and continuations gone, layout-table
 * cells as paragraphs. Markdown passes through unchanged.
 */
export function normaliseMarkup(text: string): string {
  let t = layoutCells(text)
    // AsciiDoc's typographic quotes, ``like this'', are not code.
    .replace(/``([^`'\n]{1,80})''/g, '"$1"')
    .replace(/\[\[[\w.:-]+\]\]/g, ' ')
    .replace(/(^|\s)\[(?:verse|literal|listing|source(?:,[^\]\s]*)?|[A-Z]+)\](?=\s)/g, '$1')
    .replace(/(^|\s)include::\S*\[[^\]]*\]/g, '$1')
    // Conditional blocks of the AsciiDoc preprocessor; manual-page links read as "git-add(1)".
    .replace(/(^|\s)(?:ifdef|ifndef|endif|ifeval)::[^\s[]*\[[^\]]*\]/g, '$1')
    .replace(/\b(?:linkgit|manpage):([\w.-]+)\[(\d)\]/g, '$1($2)')
    .replace(/\blink:\S+?\[([^\]]*)\]/g, '$1')
    // reStructuredText roles (:hg:`help config`, :ref:`x`) keep their text as code.
    .replace(/:[a-z]+:(`[^`]+`)/g, '$1');
  const hasUnderline = /(?<=\s|^)([-=~^])\1{2,}(?=\s|$)/.test(t);
  if (hasUnderline) t = titlesAndBlocks(t);
  const terms = definitionTerms(t);
  t = terms.text;
  // AsciiDoc's list continuation: a lone "+" between paragraphs.
  if (terms.found || hasUnderline) t = t.replace(/(^|\s)\+(?=\s|$)/g, '\n');
  return t;
}
