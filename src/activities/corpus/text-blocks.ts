/**
 * Plain text and PDF pages as blocks, read by layout: blank lines, list markers, underlined /
 * numbered / capitalised headings, and for text without blank lines, short lines ending a
 * sentence. Reference text written as plain text keeps its shape too: a definition entry (an
 * AsciiDoc `term::` line, or a term with its description indented under it, as in
 * reStructuredText and manual pages) becomes one entry whatever blank lines, `+` continuations
 * and indented paragraphs its description holds, and a delimited listing (`----`, `....`) is code
 * — unless the same lines are rules between sections (a FAQ's, a changelog's), which are no text.
 */
import { CHANGELOG_ENTRY_SOURCE } from '../../common/changelog-entry.js';
import { CONTINUED_LINE } from '../../common/line-continuation.js';
import { cleanHeading, cleanTerm, nextGroup, words, type Block } from './blocks.js';
import { optionRows, type OptionRow } from './option-table.js';
import { indentOf } from './text-columns.js';
import { STOP_WORDS } from './tokens.js';

/** List markers: bullets (AsciiDoc's `*`, `**`, `.`, `..` too), numbers, letters. */
const TEXT_ITEM = /^(\s*)([-*•◦▪‣]|\*{2,5}|\.{1,5}|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+\S/;
const NUMBERED_HEADING =
  /^\s*((\d+\.)+\d*|\d+\)?|[A-Z]\.|(chapter|section|part|appendix)\s+[\dA-Z]+[.:]?)\s+\S/i;
const UNDERLINE = /^\s*([=\-~^*#])\1{2,}\s*$/;
/** `term::` (also `:::`, `::::`, `;;`), optionally followed by the description on the same line. */
const ASCIIDOC_TERM = /^(\s*)(\S.*?)(:{2,4}|;;)(?:\s+(\S.*))?$/;
/** Delimiters of a listing or literal block. */
const DELIMITER = /^(-{4,}|\.{4,})\s*$/;
/** How far to look for the line closing a delimited block. */
const DELIMITED_MAX_LINES = 400;

function isCaps(line: string): boolean {
  const letters = line.replace(/[^\p{L}]/gu, '');
  return letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/**
 * A short line that reads as a heading in plain text: numbered ("2.1 The Basics", "Chapter 3") or
 * in capitals, without closing punctuation, and not followed by more lines of the same list.
 */
function textHeading(line: string, next: string | undefined): number | undefined {
  const t = line.trim();
  // A numbered question is a FAQ's heading: its answer follows ("3.13 I am editing a file with vi;
  // why doesn't lsof find the file?"), however long the question.
  const question = /\?$/.test(t) && NUMBERED_HEADING.test(t) && t.length <= 160 && words(t) <= 24;
  // So is an outline-numbered statement over an indented answer ("5.11. My script aborts with an
  // error message, "event not found".").
  const outline = /^\d+(?:\.\d+)+\.?\s/.test(t);
  const statement =
    outline &&
    /[.!]["')\]’”]*$/.test(t) &&
    t.length <= 160 &&
    words(t) <= 24 &&
    next !== undefined &&
    indentOf(next) > indentOf(line);
  // And a numbered line whose answer is indented below it ("6. bash does not check $PATH if hash
  // fails" over "   bash hashes the location…"), however the answer opens.
  const hanging =
    next !== undefined &&
    /^\d+[.)]?\s/.test(t) &&
    indentOf(next) > indentOf(line) &&
    !/[,;:]$/.test(t) &&
    t.length <= 160 &&
    words(t) <= 24;
  if (!question && !statement && !hanging && (t.length > 80 || words(t) > 10 || /[.,;:!?]$/.test(t)))
    return undefined;
  if (/^[-*•◦▪‣]/.test(t)) return undefined;
  // Not the first of a list's items — but a section's number may head its own subsections ("5." over "5.1.").
  const subsection = next !== undefined && opensSubsection(t, next.trim());
  if (next !== undefined && !subsection && (TEXT_ITEM.test(next) || NUMBERED_HEADING.test(next)))
    return undefined;
  // What follows a heading starts like a sentence — or with a name in lower case ("man-db
  // compresses…") under an outline number, which no running line starts with, or under a numbered
  // line whose answer is indented below it ("6. bash does not check $PATH if hash fails" over
  // "   bash hashes the location…").
  if (next !== undefined && !outline && !hanging && !/^\s*[\p{Lu}\p{N}"'(`]/u.test(next)) return undefined;
  // Below an underlined title (level 1): "1." is level 2, "1.2" level 3; capitals level 2.
  const numbered = NUMBERED_HEADING.exec(t);
  if (numbered) {
    if (!/\p{L}/u.test(t.slice(numbered[1]!.length))) return undefined;
    const dots = (numbered[1]!.match(/\.\d/g) ?? []).length;
    return Math.min(6, 2 + dots);
  }
  if (isCaps(t)) return 2;
  // So is a line rendered from HTML with its heading's permalink sign ("Interpreter Location¶").
  if (/[^\s.,;:!?]\s?¶$/.test(t)) return 2;
  return undefined;
}

/** Whether `next` is numbered as a subsection of `line` ("5. WHY…" then "5.1. Why…"). */
function opensSubsection(line: string, next: string): boolean {
  const own = /^(\d+(?:\.\d+)*)\.?\s/.exec(line)?.[1];
  const sub = /^(\d+(?:\.\d+)+)\.?\s/.exec(next)?.[1];
  return own !== undefined && sub !== undefined && sub.startsWith(`${own}.`);
}

/**
 * A release's line in release notes: "Version 2.5.3", "Release 1.2:", "frob version 4.0 (2020-01-19)",
 * "2.5.3 (2009-02-10)" — a version, optionally named, then at most a date or tag in brackets.
 */
const VERSION_TITLE =
  /^(?:(?:[\w.+-]+\s+)?(?:version|release)\s+v?\d+(?:\.\d+)*|v?\d+\.\d+(?:\.\d+)*)[a-z0-9.+~-]*(?:,?\s+(?:\([^()]{1,40}\)|\[[^[\]]{1,20}\]|\d{4}-\d{2}-\d{2}))*\s*:?$/i;
/**
 * A release's line said as its changes: "Changes in 2.40:", "Changes in version 2.7.6:",
 * "Changes between Frob version 6.1.* and 6.2.0", "Changes in bc from 1.07 to 1.07.1.",
 * "Noteworthy changes in release 6.1 (2022-12-12)".
 */
const CHANGES_VERSION = String.raw`(?:(?:version|release)\s+)?v?\d+(?:\.(?:\d+|\*|x))*[a-z0-9+~-]*`;
const CHANGES_TITLE = new RegExp(
  String.raw`^(?:(?:noteworthy|notable|major|minor|important|significant|user-visible|visible)\s+)?changes\s+(?:in|between|since|from|for)\s+(?:[\w.+-]+\s+){0,2}?` +
    String.raw`${CHANGES_VERSION}(?:\s+(?:and|to)\s+(?:[\w.+-]+\s+)?${CHANGES_VERSION})?` +
    String.raw`(?:,?\s+(?:\([^()]{1,40}\)|\[[^[\]]{1,20}\]|\d{4}-\d{2}-\d{2}))*\s*[:.]?$`,
  'i'
);
/** A release's line: by its version, or said as its changes. */
function releaseTitle(line: string): boolean {
  return VERSION_TITLE.test(line) || CHANGES_TITLE.test(line);
}

/** A Debian changelog entry's line: "frobd (2.4-1+deb12u3) bookworm-security; urgency=medium". */
const CHANGELOG_ENTRY = new RegExp(`^${CHANGELOG_ENTRY_SOURCE}`, 'i');

/** A line that names a release: a changelog entry's, or a release's title in release notes. */
export function namesRelease(line: string): boolean {
  const t = line.trim();
  return CHANGELOG_ENTRY.test(t) || releaseTitle(t);
}

/**
 * Whether a line heads a release of release notes: flush left, alone, and followed by the release's
 * text (indented under it, or after a blank line) — not another release line.
 */
function releaseHeading(line: string, following: string | undefined): boolean {
  if (indentOf(line) > 0 || following === undefined || !releaseTitle(line.trim())) return false;
  return !releaseTitle(following.trim());
}

/** The rule of a table laid out in columns: runs of dashes (or equals signs) with spaces between. */
const TABLE_RULE = /^\s*([-=])\1{2,}(?:[ \t]+\1{3,})+\s*$/;

/** Where each column of a rule is: the start and end of each run. */
function ruleColumns(rule: string): [number, number][] {
  return [...rule.replace(/\t/g, ' ').matchAll(/[-=]+/g)].map((m) => [m.index, m.index + m[0].length]);
}

/**
 * A line's cells by the columns of the rule: each word goes to the column it starts in; one in the
 * gap between two columns to the nearer one, unless it is only punctuation. An arrow between an
 * old and a new form ("=>") is layout too.
 */
function cellsByColumns(line: string, columns: [number, number][]): string[] {
  const cells = columns.map(() => [] as string[]);
  for (const m of line.replace(/\t/g, ' ').matchAll(/\S+/g)) {
    const at = m.index;
    if (/^(?:=>|->|→|⇒)$/.test(m[0])) continue; // an arrow from one column to the next is layout
    let col = columns.findIndex(([s, e]) => at >= s && at < e);
    if (col < 0) {
      if (!/[\p{L}\p{N}]/u.test(m[0])) continue;
      const distance = ([s, e]: [number, number]) => (at < s ? s - at : at - e + 1);
      col = columns.reduce((best, c, i) => (distance(c) < distance(columns[best]!) ? i : best), 0);
    }
    cells[col]!.push(m[0]);
  }
  return cells.map((c) => c.join(' ').replace(/\|/g, '\\|'));
}

/**
 * A table laid out in columns of plain text: a header over a rule of dashes ("Old form   New form"
 * over "--------   --------"), or a reStructuredText simple table (a rule above and below the
 * header, and one closing it), as the rows of a Markdown table. A line whose first column is empty
 * continues the row above it. `i` is the header's line, or the rule above it.
 */
function ruledTable(lines: string[], i: number): { end: number; lines: string[] } | undefined {
  const ruledAbove = TABLE_RULE.test(lines[i] ?? '');
  const header = ruledAbove ? i + 1 : i;
  const rule = lines[header + 1];
  if (
    !lines[header]?.trim() ||
    TABLE_RULE.test(lines[header]!) ||
    rule === undefined ||
    !TABLE_RULE.test(rule)
  )
    return undefined;
  const body: string[] = [];
  let end = header + 1;
  for (let j = header + 2; j < lines.length; j++) {
    const line = lines[j]!;
    if (!line.trim()) break;
    end = j;
    if (TABLE_RULE.test(line)) break;
    body.push(line);
  }
  if (body.length === 0) return undefined;
  return { end, lines: columnTable(lines[header]!, body, ruleColumns(rule)) };
}

/**
 * A header and its rows, cut into columns, as the lines of a Markdown table. A row whose first
 * column is empty continues the one above it.
 */
function columnTable(header: string, body: string[], columns: [number, number][]): string[] {
  const rows: string[][] = [];
  for (const line of body) {
    const cells = cellsByColumns(line, columns);
    if (!cells[0] && rows.length > 0)
      rows[rows.length - 1] = rows[rows.length - 1]!.map((c, k) => [c, cells[k]].filter(Boolean).join(' '));
    else rows.push(cells);
  }
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [md(cellsByColumns(header, columns)), md(columns.map(() => '---')), ...rows.map(md)];
}

/** A rule across the page: one unbroken run of dashes or equals signs. */
const FULL_RULE = /^\s*([-=])\1{9,}\s*$/;

/**
 * A table boxed by full rules (a rule, the header, a rule, the rows, a rule), its columns aligned
 * under the header's words, as old TODO lists and READMEs lay them out ("Number Description …
 * Status"). A column starts where a header word starts and every line has a space just before;
 * and most rows that reach it start a word right there, so words that merely line up are no
 * columns. A line whose first column is empty continues the row above it. `i` is the rule above
 * the header.
 */
function boxedTable(lines: string[], i: number): { end: number; lines: string[] } | undefined {
  const header = lines[i + 1];
  if (!FULL_RULE.test(lines[i] ?? '') || !header?.trim() || !FULL_RULE.test(lines[i + 2] ?? ''))
    return undefined;
  const body: string[] = [];
  let end = i + 2;
  for (let j = i + 3; j < lines.length && lines[j]!.trim(); j++) {
    end = j;
    if (FULL_RULE.test(lines[j]!)) break;
    body.push(lines[j]!.replace(/\t/g, ' '));
  }
  if (body.length === 0) return undefined;
  const head = header.replace(/\t/g, ' ');
  const starts = [...head.matchAll(/\S+/g)].map((m) => m.index).filter((at) => at > 0);
  const columns = starts.filter((at) => {
    if (![head, ...body].every((l) => !l[at - 1]?.trim())) return false;
    const reaching = body.filter((l) => l.trimEnd().length > at);
    return reaching.length > 0 && reaching.filter((l) => l[at]?.trim()).length * 2 >= reaching.length;
  });
  if (columns.length === 0) return undefined;
  const bounds = [0, ...columns].map((at, k, all): [number, number] => [at, all[k + 1] ?? Infinity]);
  return { end, lines: columnTable(head, body, bounds) };
}

/** A heading that is one line of the text (line number `n`), named by `text` as cleaned. */
function lineHeading(line: string, n: number, level: number, text = line): Block {
  return { kind: 'heading', lines: [line], start: n, end: n, level, heading: cleanHeading(text) };
}

/** A line of Emacs outline mode: its stars ("**" is level 2) and its text. */
const OUTLINE_LINE = /^(\*{1,4})\s+(\S.*)$/;

/**
 * Whether the text is an Emacs outline, as GNU projects write their NEWS: it says so in its mode
 * line ("-*- outline -*-"), or its releases are "*" lines over "**" entries, more than once.
 */
function isOutline(lines: string[]): boolean {
  if (lines.slice(0, 3).some((l) => /-\*-.*\boutline\b.*-\*-/i.test(l))) return true;
  let releases = 0;
  let last: number | undefined;
  for (const line of lines) {
    const stars = OUTLINE_LINE.exec(line)?.[1]?.length;
    if (stars !== undefined) {
      if (last === 1 && stars === 2) releases++;
      last = stars;
    } else if (line.trim()) last = undefined;
  }
  return releases >= 2;
}

/**
 * In an outline, a star line heads a section when it is a title (short, no closing punctuation,
 * alone on its line) over something of its own: deeper star lines or text. One followed by a
 * star line of its own level or higher is an entry of a list ("** Add option to select TLS 1.3").
 */
function outlineHeading(
  line: string,
  next: string | undefined,
  following: string | undefined
): { level: number; text: string } | undefined {
  const m = OUTLINE_LINE.exec(line.trimEnd());
  if (!m || next?.trim()) return undefined;
  const text = m[2]!.trim();
  if (text.length > 100 || words(text) > 14 || /[.,;:!?]$/.test(text)) return undefined;
  const stars = m[1]!.length;
  const below = following === undefined ? undefined : OUTLINE_LINE.exec(following.trimEnd())?.[1]?.length;
  if (following === undefined || (below !== undefined && below <= stars)) return undefined;
  return { level: Math.min(6, 1 + stars), text };
}

/** Width of ordinary full lines: the 90th percentile of the non-blank line lengths. */
function lineWidth(lines: string[]): number {
  const lengths = lines
    .map((l) => l.trimEnd().length)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length * 0.9)] ?? 80;
}

/** An AsciiDoc definition term: its text, its marker, and a description given on the same line. */
function asciidocTerm(line: string): { term: string; marker: string; rest?: string } | undefined {
  const m = ASCIIDOC_TERM.exec(line.trimEnd());
  if (!m || TEXT_ITEM.test(line)) return undefined;
  const term = m[2]!.trim();
  if (!/[\p{L}\p{N}]/u.test(term) || /[:;]$/.test(term) || term.includes('://')) return undefined;
  // reStructuredText ends a sentence with `::` to introduce a literal block: that is no term. A
  // term is a name, an option, a short label or a question.
  if (isProse(term) || (words(term) > 6 && /^\p{L}/u.test(term) && !/\?$/.test(term))) return undefined;
  if (/\b(following( \w+)?|follows|below|example|instance|like|such as|e\.g\.|form)$/i.test(term))
    return undefined;
  return { term, marker: m[3]!, ...(m[4] ? { rest: m[4] } : {}) };
}

/**
 * A term whose description is indented under it on the next line (reStructuredText definition
 * lists, manual pages): a short line that is not a sentence or a list item.
 */
function indentedTerm(line: string, next: string | undefined): boolean {
  if (!next?.trim() || UNDERLINE.test(next)) return false;
  const t = line.trim();
  if (t.length > 100 || TEXT_ITEM.test(line) || /[.!?,;:]$/.test(t) || isProse(t)) return false;
  // A connective between two indented lines ("and", "or else") names nothing.
  if ((t.match(/[\p{L}\p{N}]+/gu) ?? []).every((w) => STOP_WORDS.has(w.toLowerCase()))) return false;
  // Words only: a short label ("Examples"); longer ones start with markup or a dash ("``timeout``", "-v, --verbose").
  if (words(t) > (/^\p{L}/u.test(t) ? 4 : 12)) return false;
  return indentOf(next) >= indentOf(line) + 2;
}

/**
 * A line of running text rather than a name: a comma followed by more words ("First, two users
 * are…"), or a sentence cut by the line end ("… update the", "while the second runs").
 */
function isProse(t: string): boolean {
  return (
    /,\s+\p{Ll}/u.test(t) ||
    /\s(the|a|an|of|to|into|onto|and|or|in|on|for|with|by|from|that|than|then|is|are|be|if|as|use)$/i.test(
      t
    ) ||
    /^(while|and|or|but|then|so|if|when|which|because|since|unless|until|whereas)\s/i.test(t)
  );
}

/**
 * Whether line `j` opens a delimited listing rather than underlining the title above it: it is
 * closed further down, and its length is not the title's (an AsciiDoc underline matches it).
 */
function opensListing(lines: string[], j: number, title: string): boolean {
  const marker = lines[j]!.trim();
  return (
    DELIMITER.test(marker) &&
    Math.abs(marker.length - title.trim().length) > 2 &&
    closingDelimiter(lines, j) > j
  );
}

/** The line closing the delimited block opened at `i`, or -1. */
function closingDelimiter(lines: string[], i: number): number {
  const marker = lines[i]!.trim();
  for (let j = i + 1; j < lines.length && j <= i + DELIMITED_MAX_LINES; j++)
    if (lines[j]!.trim() === marker) return j;
  return -1;
}

/**
 * Whether two delimiter lines are rules between sections rather than a listing's delimiters. A
 * listing holds code and starts right after its delimiter; rules between a FAQ's answers or a
 * changelog's releases stand between blank lines, or enclose lines of running text.
 */
function rulesBetweenSections(lines: string[], open: number, close: number): boolean {
  if (!lines[open + 1]?.trim() && !lines[close - 1]?.trim()) return true;
  const paragraphs: string[] = [];
  let run: string[] = [];
  for (let k = open + 1; k <= close; k++) {
    if (k < close && lines[k]!.trim()) run.push(lines[k]!.trim());
    else if (run.length) {
      paragraphs.push(run.join(' '));
      run = [];
    }
  }
  const prose = paragraphs.filter(isRunningText).length;
  return prose >= 3 && prose >= paragraphs.length * 0.6;
}

/** A paragraph of prose: words, many of them the short words sentences are made of; few symbols. */
function isRunningText(text: string): boolean {
  // A comment or a prompt opens code: "# jump to changes that are staged…", "$ git jump diff".
  if (/^(?:#|\/\/|\$\s|>\s|%\s)/.test(text)) return false;
  const all = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  const symbols = text.match(/[{};=<>$|\\]/g)?.length ?? 0;
  return (
    all.length >= 6 &&
    all.filter((w) => STOP_WORDS.has(w)).length >= all.length * 0.15 &&
    symbols < all.length * 0.1
  );
}

/** The definition entry being read. */
interface Entry {
  group: number;
  /** Indentation of its term line. */
  indent: number;
  /** Indentation of the first line of its description, once known. */
  body?: number;
  /** AsciiDoc marker (`::`…) when the term was written that way. */
  marker?: string;
  /** Nesting: 0 for a list at the top, one more per list it sits in. */
  depth: number;
}

/** AsciiDoc nests a list by its marker: `::` at the top, `:::` or `;;` below it, `::::` further down. */
function markerDepth(marker: string | undefined): number {
  return marker === ':::' || marker === ';;' ? 1 : marker === '::::' ? 2 : 0;
}

/** AsciiDoc's open block delimiter: after a `+`, it attaches several blocks (a nested list) to an entry. */
const OPEN_BLOCK = /^--\s*$/;

/**
 * Plain text or a PDF page (`pdf`: lines as laid out on the page, never separated by blank lines)
 * as blocks.
 */
export function textBlocks(lines: string[], pdf = false): Block[] {
  const blocks: Block[] = [];
  const nonBlank = lines.filter((l) => l.trim()).length;
  // Text laid out without blank lines (PDF pages, some hard-wrapped files): a short line that ends
  // a sentence ends its paragraph.
  const reflow = pdf || (nonBlank > 8 && lines.length - nonBlank < nonBlank / 12);
  const width = lineWidth(lines);
  const outline = !reflow && isOutline(lines);
  const options = reflow ? new Map<number, OptionRow>() : optionRows(lines);
  let open: Block | undefined;
  let list: number | undefined;
  let entry: Entry | undefined;
  /** Lines of dashes or dots known to be rules between sections, not a listing's delimiters. */
  const rules = new Set<number>();
  /** The open block holds only term lines so far (several terms can share one description). */
  let termsOnly = false;
  /** AsciiDoc `+`: the next block belongs to the entry, however it is indented. */
  let attach = false;
  /** Entries whose open block (`+` then `--`) is being read, innermost last: the lists in it nest below them. */
  const outer: Entry[] = [];
  const flush = () => {
    if (open) blocks.push(open);
    open = undefined;
    termsOnly = false;
  };
  const nextNonBlank = (i: number) => {
    for (let j = i + 1; j < lines.length; j++) if (lines[j]?.trim()) return lines[j];
    return undefined;
  };
  const startEntry = (n: number, line: string, term: string, indent: number, marker?: string) => {
    flush();
    const group = entry && entry.indent === indent && entry.marker === marker ? entry.group : nextGroup();
    const base = outer.length ? outer[outer.length - 1]!.depth + 1 : 0;
    const depth = base + markerDepth(marker);
    open = { kind: 'item', lines: [line], start: n, end: n, group, term: cleanTerm(term), depth };
    entry = { group, indent, depth, ...(marker ? { marker } : {}) };
    list = undefined;
    attach = false;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const n = i + 1;
    if (!line.trim()) {
      flush();
      continue;
    }
    // A line ending with a backslash continues on the next: a command ("# echo '…' \\" over
    // "> /etc/…"), not a term over its description. It and its continuation lines are code.
    if (!open && CONTINUED_LINE.test(line)) {
      flush();
      list = undefined;
      entry = undefined;
      const code: Block = { kind: 'code', lines: [line], start: n, end: n };
      while (CONTINUED_LINE.test(lines[i] ?? '') && lines[i + 1]?.trim()) {
        i++;
        code.lines.push(lines[i]!);
        code.end = i + 1;
      }
      blocks.push(code);
      continue;
    }
    const next = lines[i + 1];
    const indent = indentOf(line);
    if (
      !open &&
      next !== undefined &&
      UNDERLINE.test(next) &&
      /\p{L}/u.test(line) &&
      (reflow || !opensListing(lines, i + 1, line))
    ) {
      const c = next.trim()[0];
      const level = c === '=' || c === '#' ? 1 : c === '-' ? 2 : 3;
      blocks.push({
        kind: 'heading',
        lines: [line, next],
        start: n,
        end: n + 1,
        level,
        heading: cleanHeading(line),
      });
      list = undefined;
      entry = undefined;
      i++;
      continue;
    }
    const table = reflow ? undefined : ((!open ? ruledTable(lines, i) : undefined) ?? boxedTable(lines, i));
    if (table) {
      flush();
      list = undefined;
      entry = undefined;
      blocks.push({ kind: 'table', lines: table.lines, start: n, end: table.end + 1 });
      i = table.end;
      continue;
    }
    // A title boxed by full rules, alone ("-----" / "To do list for expat" / "-----").
    const boxed = lines[i + 1]?.trim() ?? '';
    if (
      !reflow &&
      !open &&
      FULL_RULE.test(line) &&
      FULL_RULE.test(lines[i + 2] ?? '') &&
      !lines[i + 3]?.trim() &&
      boxed.length <= 80 &&
      /\p{L}/u.test(boxed) &&
      !/[.!?,;]$/.test(boxed)
    ) {
      flush();
      list = undefined;
      entry = undefined;
      blocks.push({
        ...lineHeading(lines[i + 1]!, n + 1, 1),
        start: n,
        end: n + 2,
        lines: lines.slice(i, i + 3),
      });
      i += 2;
      continue;
    }
    if (!reflow && !open && releaseHeading(line, nextNonBlank(i))) {
      // An older release of a NEWS file: "Version 2.5.3" over its items, with or without a blank line.
      flush();
      list = undefined;
      entry = undefined;
      outer.length = 0;
      attach = false;
      blocks.push(lineHeading(line, n, 2, line.trim().replace(/[:.]$/, '')));
      continue;
    }
    if (!reflow) {
      if (line.trim() === '+' && (entry || list !== undefined)) {
        flush();
        attach = true;
        continue;
      }
      if (OPEN_BLOCK.test(line) && ((attach && entry && !open) || outer.length)) {
        // The delimiter is no text: opening, the entry's list nests below it; closing, it goes on.
        flush();
        if (attach && entry) {
          outer.push(entry);
          entry = undefined;
        } else {
          entry = outer.pop();
        }
        attach = false;
        list = undefined;
        continue;
      }
      /** A new block here belongs to the entry being read. */
      const owned = entry !== undefined && (attach || indent > entry.indent);
      if (!open && DELIMITER.test(line) && !rules.has(i)) {
        const close = closingDelimiter(lines, i);
        // A rule between sections closes none: the next one is a rule too, not a listing's start.
        if (close > i && rulesBetweenSections(lines, i, close)) rules.add(i).add(close);
        // So is a rule that closes nothing, between blank lines.
        else if (close < 0 && !lines[i - 1]?.trim() && !lines[i + 1]?.trim()) rules.add(i);
        else if (close > i) {
          blocks.push({
            kind: 'code',
            lines: lines.slice(i, close + 1),
            start: n,
            end: close + 1,
            ...(owned ? { group: entry!.group } : attach && list !== undefined ? { group: list } : {}),
          });
          if (!owned) entry = undefined;
          if (!owned && !attach) list = undefined;
          attach = false;
          i = close;
          continue;
        }
      }
      // A rule between sections is no text: it ends what came before it.
      if (rules.has(i)) {
        flush();
        continue;
      }
      // A row of an option table opens an entry named by its option, after a lead-in or not.
      const row = options.get(i);
      if (row && open?.kind !== 'code') {
        startEntry(n, line, row.term, row.indent);
        entry!.body = row.column;
        continue;
      }
      const ad = asciidocTerm(line);
      if (ad && open?.term !== undefined && termsOnly) {
        // Several terms sharing one description.
        open.lines.push(line);
        open.term += `, ${cleanTerm(ad.term)}`;
        open.end = n;
        termsOnly = ad.rest === undefined;
        continue;
      }
      const inEntry = open !== undefined && entry !== undefined && open.group === entry.group;
      if (ad && (!open || inEntry) && !owned) {
        startEntry(n, line, ad.term, indent, ad.marker);
        termsOnly = ad.rest === undefined;
        continue;
      }
      if (inEntry && open!.kind !== 'code' && (indent > entry!.indent || entry!.marker !== undefined)) {
        // The description goes on: lines indented under the term, or (AsciiDoc) any line up to a
        // blank one, flush left included.
        if (termsOnly) entry!.body = indent;
        open!.lines.push(line);
        open!.end = n;
        termsOnly = false;
        continue;
      }
      if (inEntry && open!.kind === 'code' && indent >= indentOf(open!.lines[0]!)) {
        // The entry's literal block goes on ("[pager]", then "pager = less -FRX").
        open!.lines.push(line);
        open!.end = n;
        continue;
      }
      if (!open && owned) {
        // A further paragraph of the description, or a literal block indented deeper than it.
        entry!.body ??= indent;
        const code = !attach && indent > entry!.body! + 1;
        open = { kind: code ? 'code' : 'item', lines: [line], start: n, end: n, group: entry!.group };
        attach = false;
        continue;
      }
      if (!open && attach && list !== undefined) {
        // AsciiDoc `+`: the paragraph continues the list item above it.
        open = { kind: 'item', lines: [line], start: n, end: n, group: list };
        attach = false;
        continue;
      }
      if (!open || inEntry) {
        flush();
        if (indentedTerm(line, next)) {
          if (indent === 0 && isCaps(line) && !/^[-+]/.test(line.trim())) {
            // A manual page's section name: flush left, in capitals, above its indented text.
            blocks.push(lineHeading(line, n, 2));
            list = undefined;
            entry = undefined;
            continue;
          }
          startEntry(n, line, line.trim(), indent);
          termsOnly = true;
          continue;
        }
        entry = undefined;
        attach = false;
      }
    }
    // A heading stands alone: on its own line between blank lines, or (reflowed text) after a
    // finished paragraph or list item.
    const prevLine = open?.lines[open.lines.length - 1]?.trim() ?? '';
    const afterBreak = !open || (reflow && (open.kind === 'item' || /[.!?:]["')\]]?$/.test(prevLine)));
    const alone = afterBreak && (reflow || !next?.trim());
    const star = outline && !open ? outlineHeading(line, next, nextNonBlank(i)) : undefined;
    if (star) {
      flush();
      list = undefined;
      entry = undefined;
      blocks.push(lineHeading(line, n, star.level, star.text));
      continue;
    }
    const level = alone ? textHeading(line, nextNonBlank(i)) : undefined;
    if (level !== undefined) {
      flush();
      list = undefined;
      blocks.push(lineHeading(line, n, level));
      continue;
    }
    if (TEXT_ITEM.test(line)) {
      flush();
      list ??= nextGroup();
      open = { kind: 'item', lines: [], start: n, end: n, group: list };
    } else if (!open) {
      list = undefined;
      open = {
        kind: /^(\s{4,}|\t)/.test(line) && !reflow ? 'code' : 'paragraph',
        lines: [],
        start: n,
        end: n,
      };
    }
    open!.lines.push(line);
    open!.end = n;
    if (reflow && /[.!?:]["')\]]?$/.test(line.trim()) && line.trimEnd().length < width * 0.85) flush();
  }
  flush();
  return blocks;
}
