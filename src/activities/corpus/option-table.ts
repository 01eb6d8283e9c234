/**
 * Option tables of plain text (a program's usage notes, a manual page as text, a README's list of
 * switches): each row an option or a short name with its description beside it, two spaces or more
 * between, the description's further lines starting under its first word:
 *
 *         -copy none      Copy no extra markers from source file.  This setting
 *                         suppresses all comments and other metadata.
 *         -copy all       Copy all extra markers.
 *
 * Each row is a definition entry named by its option — not an indented listing, and not one
 * paragraph that runs the options into each other.
 */
import { columnWidth, indentOf } from './text-columns.js';
import { STOP_WORDS } from './tokens.js';

export interface OptionRow {
  /** The option or name, as written. */
  term: string;
  /** Columns before the term. */
  indent: number;
  /** The column the description starts at. */
  column: number;
}

/** Leading space, the term, a gap of two spaces or a tab, the description. */
const ROW = /^([ \t]*)(\S(?:.*?\S)?)( {2,}|\t+)(\S.*)$/;
/** A list marker opens an item, not a row: "-  text", "*  text", "1.  text", "(a)  text". */
const MARKER = /^(?:[-*+•◦▪‣]|\d{1,3}[.)]|\(?[a-z][.)])$/;
/** Longest term: an option with its value ("-quality N[,...]", "--sort=WORD, -s WORD"). */
const TERM_MAX_CHARS = 40;
const TERM_MAX_WORDS = 4;

/** A line laid out as a row: a short name, a gap, then words (one more gap only after a sentence). */
function rowOf(line: string): OptionRow | undefined {
  const m = ROW.exec(line.trimEnd());
  if (!m) return undefined;
  const [, space, term, gap, rest] = m as unknown as [string, string, string, string, string];
  if (term.length > TERM_MAX_CHARS || term.split(/\s+/).length > TERM_MAX_WORDS) return undefined;
  // The term names something: it does not end a sentence or a clause, or start a list item.
  if (/[.,;:!?]$/.test(term) || MARKER.test(term.split(/\s+/)[0]!)) return undefined;
  if (!/^[-+]{0,2}[\p{L}\p{N}_$<%@./`'"]/u.test(term)) return undefined;
  // Nor is it a number (a section in a table of contents, a date), or words of a sentence.
  if (!/\p{L}/u.test(term)) return undefined;
  const names = term.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (names.every((w) => STOP_WORDS.has(w.toLowerCase()))) return undefined;
  if (/^[\p{Ll} ]+$/u.test(term) && names.length > 1 && names.some((w) => STOP_WORDS.has(w)))
    return undefined;
  // The description is words, not a further column of a table or a comment beside code.
  // At least two words: one alone (an address, a name) makes a column of a list, not a description.
  const said = rest.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w));
  if (!/^[\p{L}\p{N}("'`]/u.test(rest) || said.length < 2) return undefined;
  if (/\t|(?<![.!?:;)])\s{2,}\S/.test(rest) || /\/\*|\*\/|\/\/|[{};]\s*$/.test(rest)) return undefined;
  return { term, indent: columnWidth(space), column: columnWidth(space + term + gap) };
}

/**
 * The rows of the option tables in `lines`, by line index. A row counts when its description goes
 * on under its first word on the next line, or when the next entry (after its description's lines
 * and at most one blank line) is a row at the same indentation: one line alone with a wide gap in
 * it is no table. Nor is a column of values repeated down the rows ("YES", "NO", "?" beside what
 * they rate): the names of a table's rows are mostly distinct.
 */
export function optionRows(lines: readonly string[]): Map<number, OptionRow> {
  const candidates = new Map<number, OptionRow>();
  lines.forEach((line, i) => {
    const row = rowOf(line);
    if (row) candidates.set(i, row);
  });
  const rows = new Map<number, OptionRow>();
  /** The rows of the table being read, while each links to the next. */
  let table: number[] = [];
  const close = () => {
    const terms = new Set(table.map((i) => rows.get(i)!.term.toLowerCase()));
    if (terms.size * 2 < table.length || (table.length > 1 && terms.size === 1))
      for (const i of table) rows.delete(i);
    table = [];
  };
  for (const [i, row] of candidates) {
    let j = i + 1;
    const continued = (lines[j]?.trim() ?? '') !== '' && indentOf(lines[j]!) === row.column;
    while (j < lines.length && lines[j]!.trim() && indentOf(lines[j]!) === row.column) j++;
    if (j < lines.length && !lines[j]!.trim() && lines[j + 1]?.trim()) j++;
    const next = candidates.get(j);
    const sibling = next !== undefined && next.indent === row.indent;
    if (!continued && !sibling && !rows.has(i)) continue;
    if (!rows.has(i)) close();
    rows.set(i, row);
    table.push(i);
    if (sibling) rows.set(j, next);
    else close();
  }
  close();
  return rows;
}
