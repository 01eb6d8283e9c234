/** Columns of plain text as laid out: a tab to the next multiple of 8. */

/** Columns a line's text takes. */
export function columnWidth(text: string): number {
  let n = 0;
  for (const ch of text) n = ch === '\t' ? n + 8 - (n % 8) : n + 1;
  return n;
}

/** Columns of leading white space. */
export function indentOf(line: string): number {
  return columnWidth(/^[ \t]*/.exec(line)![0]);
}
