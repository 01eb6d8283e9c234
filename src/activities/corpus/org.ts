/**
 * An Org mode document as Markdown lines, for the Markdown reader: outline stars become headings
 * (below the `#+TITLE:`, when there is one), source and example blocks and `:` lines become code,
 * `=verbatim=` and `~code~` code spans, `[[link][text]]` links, tables Markdown rows. A heading's
 * TODO keyword, priority and tags, property drawers, `#+` settings and `#` comments are not text a
 * reader looks for and are left out (blank lines in their place: one line of Org stays one line of
 * Markdown, but for the fences that open and close a run of `:` lines).
 */

const HEADING = /^(\*+)\s+(.*)$/;
const KEYWORD = /^\s*#\+(\w+):\s*(.*)$/;
const BLOCK_START = /^\s*#\+begin_(\w+)\b/i;
const BLOCK_END = /^\s*#\+end_(\w+)\b/i;
const DRAWER_START = /^\s*:[\w-]+:\s*$/;
const DRAWER_END = /^\s*:end:\s*$/i;
const COMMENT = /^\s*#(?:\s|$)/;
const FIXED_WIDTH = /^\s*:(?:\s|$)/;
const TABLE_RULE = /^\s*\|[-+]+\|?\s*$/;

/** A heading's text without its TODO keyword, priority cookie, statistics cookie and tags. */
function headingText(text: string): string {
  return text
    .replace(/^(?:TODO|DONE|NEXT|WAITING|CANCELL?ED)\s+/, '')
    .replace(/^\[#[A-Z]\]\s+/, '')
    .replace(/\s+\[\d*(?:%|\/\d*)\]/, '')
    .replace(/\s+:[\w@#%:]+:\s*$/, '')
    .trim();
}

/** Org inline markup as Markdown: links and code; emphasis is left as its words. */
function inline(line: string): string {
  return line
    .replace(/\[\[([^\]]+)\]\[([^\]]+)\]\]/g, (_, href: string, text: string) =>
      /^[a-z]+:/i.test(href) ? `[${text}](${href})` : text
    )
    .replace(/\[\[([^\]]+)\]\]/g, '$1')
    .replace(/(^|[\s({'"])[=~]([^\s=~](?:[^=~\n]*[^\s=~])?)[=~](?=[\s)}'".,;:!?]|$)/g, '$1`$2`');
}

/** A table row with its cells trimmed ("| two    | closed  |" → "| two | closed |"). */
function tableRow(line: string): string {
  const cells = line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|');
  return `| ${cells.map((c) => c.trim()).join(' | ')} |`;
}

export function orgToMarkdown(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const title = lines
    .map((l) => KEYWORD.exec(l))
    .find((m) => m?.[1]?.toLowerCase() === 'title')?.[2]
    ?.trim();
  const out: string[] = [];
  let block: string | undefined;
  let drawer = false;
  let fixed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (block) {
      const end = BLOCK_END.exec(line);
      if (end && end[1]!.toLowerCase() === block) {
        if (block === 'src' || block === 'example') out.push('```');
        block = undefined;
      } else
        out.push(
          block === 'quote'
            ? `> ${inline(line)}`
            : block === 'src' || block === 'example'
              ? line
              : inline(line)
        );
      continue;
    }
    if (drawer) {
      if (DRAWER_END.test(line)) drawer = false;
      out.push('');
      continue;
    }
    if (fixed && !FIXED_WIDTH.test(line)) {
      out.push('```');
      fixed = false;
    }
    const start = BLOCK_START.exec(line);
    if (start) {
      block = start[1]!.toLowerCase();
      if (block === 'src' || block === 'example') out.push('```');
      continue;
    }
    const keyword = KEYWORD.exec(line);
    if (keyword) {
      out.push(keyword[1]!.toLowerCase() === 'title' && keyword[2]!.trim() ? `# ${keyword[2]!.trim()}` : '');
      continue;
    }
    if (DRAWER_START.test(line) && !DRAWER_END.test(line)) {
      drawer = true;
      out.push('');
      continue;
    }
    if (COMMENT.test(line)) {
      out.push('');
      continue;
    }
    if (FIXED_WIDTH.test(line)) {
      if (!fixed) out.push('```');
      fixed = true;
      out.push(line.replace(/^\s*:\s?/, ''));
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1]!.length + (title ? 1 : 0));
      const text = headingText(heading[2]!);
      out.push(text ? `${'#'.repeat(level)} ${inline(text)}` : '');
      continue;
    }
    if (TABLE_RULE.test(line)) {
      const columns = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('+').length;
      out.push(`|${' --- |'.repeat(columns)}`);
      continue;
    }
    out.push(/^\s*\|/.test(line) ? tableRow(inline(line)) : inline(line));
  }
  if (block === 'src' || block === 'example' || fixed) out.push('```');
  return out;
}
