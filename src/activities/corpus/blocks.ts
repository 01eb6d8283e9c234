/**
 * A document's lines as blocks that a passage never splits: headings, paragraphs, list items
 * (with their continuation lines), definition entries, tables and code. Markdown is read by its
 * syntax here; plain text and PDF pages by layout in text-blocks.ts.
 */
import { withoutTags } from '../../common/placeholder-tags.js';

export type BlockKind = 'heading' | 'paragraph' | 'item' | 'table' | 'code';

export interface Block {
  kind: BlockKind;
  lines: string[];
  /** 1-based line numbers in the extracted document. */
  start: number;
  end: number;
  /** Heading level (1 = top) and its clean text. */
  level?: number;
  heading?: string;
  /** Items of one list share an id (so do the pieces of a block cut in several). */
  group?: number;
  /**
   * The term of a definition entry (an option, a setting, a parameter): the block opens the entry,
   * which reads as a small section named by its term. Blocks of the rest of the entry share its group.
   */
  term?: string;
  /** How deep a definition entry's list is nested in others (0 or absent: at the top). */
  depth?: number;
}

export function words(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

export function blockWords(b: Block): number {
  return b.lines.reduce((n, l) => n + words(l), 0);
}

export function cleanHeading(text: string): string {
  return (
    // Tags go; a placeholder ("NO_COLOR=<any>") and a header's name ("<errno.h>") are the heading's words.
    withoutTags(text, '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      // Emphasis marks go; a version's wildcard ("6.1.*") stays.
      .replace(/`|(?<!\.)\*/g, '')
      .replace(/\s*[¶§]\s*$/, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Longest definition term kept as a heading (a command's whole synopsis can be a term). */
const TERM_CHARS = 100;

/** A definition term as a heading: markup removed, but `<placeholder>` kept (it is no HTML tag here). */
export function cleanTerm(text: string): string {
  const t = text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    // Emphasis marks go; a version's wildcard ("6.1.*") stays.
    .replace(/`|(?<!\.)\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (t.length <= TERM_CHARS) return t;
  const cut = t.lastIndexOf(' ', TERM_CHARS);
  return `${t.slice(0, cut > TERM_CHARS / 2 ? cut : TERM_CHARS)} …`;
}

const ATX = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+•]|\d{1,9}[.)])\s+\S/;
/** A definition under its term (`: text`, the definition-list syntax of Pandoc, PHP Markdown Extra, kramdown). */
const DEFINITION = /^\s*:\s+\S/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function isTableLine(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line) || (line.includes('|') && TABLE_DELIMITER.test(line));
}

let groups = 0;
export function nextGroup(): number {
  return ++groups;
}

/** Markdown (and HTML converted to Markdown) as blocks. */
export function markdownBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let open: Block | undefined;
  let list: number | undefined;
  /** The group of the last definition entry, continued by an entry that follows it. */
  let definitions: number | undefined;
  let blankBefore = true;
  const flush = () => {
    if (open) blocks.push(open);
    open = undefined;
  };
  const start = (kind: BlockKind, n: number, extra: Partial<Block> = {}): Block =>
    (open = { kind, lines: [], start: n, end: n, ...extra });
  /** A short paragraph followed by a definition is that definition's term (one line per alias). */
  const asTerm = (b: Block | undefined) =>
    b?.kind === 'paragraph' &&
    b.term === undefined &&
    b.lines.length <= 3 &&
    b.lines.every((l) => l.length <= 160);
  let i = 0;
  if (lines[0]?.trim() === '---') {
    // YAML front matter is metadata, not prose.
    const close = lines.findIndex((l, j) => j > 0 && j < 60 && (l.trim() === '---' || l.trim() === '...'));
    if (close > 0) i = close + 1;
  }
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const n = i + 1;
    const blank = !line.trim();
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = fence[1] as string;
      const code = start('code', n, list !== undefined ? { group: list } : {});
      code.lines.push(line);
      for (i++; i < lines.length; i++) {
        const l = lines[i] ?? '';
        code.lines.push(l);
        code.end = i + 1;
        if (l.trim().startsWith(marker[0]!.repeat(marker.length)) && !l.trim().slice(marker.length).trim())
          break;
      }
      flush();
      blankBefore = false;
      continue;
    }
    if (/^\s*<!--/.test(line)) {
      // Comments are not shown to readers: skip them whole.
      flush();
      while (i < lines.length && !(lines[i] ?? '').includes('-->')) i++;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      list = undefined;
      blocks.push({
        kind: 'heading',
        lines: [line],
        start: n,
        end: n,
        level: (atx[1] as string).length,
        heading: cleanHeading(atx[2] ?? ''),
      });
      blankBefore = false;
      continue;
    }
    if (open?.kind === 'paragraph' && open.lines.length === 1 && SETEXT.test(line) && open.lines[0]!.trim()) {
      open.kind = 'heading';
      open.level = line.trim().startsWith('=') ? 1 : 2;
      open.heading = cleanHeading(open.lines[0]!);
      open.lines.push(line);
      open.end = n;
      flush();
      list = undefined;
      continue;
    }
    if (RULE.test(line)) {
      flush();
      list = undefined;
      blankBefore = true;
      continue;
    }
    if (blank) {
      if (open?.kind !== 'item') flush();
      blankBefore = true;
      continue;
    }
    if (
      DEFINITION.test(line) &&
      (asTerm(open) || (!open && blankBefore && asTerm(blocks[blocks.length - 1])))
    ) {
      const term = open ?? blocks.pop()!;
      const previous = blocks[blocks.length - 1];
      const group = definitions !== undefined && previous?.group === definitions ? definitions : nextGroup();
      open = { ...term, kind: 'item', group, term: term.lines.map((l) => cleanTerm(l)).join(', ') };
      open.lines.push(line);
      open.end = n;
      definitions = list = group;
      blankBefore = false;
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      flush();
      list ??= nextGroup();
      start('item', n, { group: list }).lines.push(line);
      blankBefore = false;
      continue;
    }
    if (isTableLine(line)) {
      if (open?.kind === 'paragraph' && open.lines.length === 1 && TABLE_DELIMITER.test(line)) {
        open.kind = 'table'; // a header row written without outer pipes
      } else if (open?.kind !== 'table') {
        flush();
        list = undefined;
        start('table', n);
      }
      open!.lines.push(line);
      open!.end = n;
      blankBefore = false;
      continue;
    }
    if (open?.kind === 'item') {
      // Indented lines (or lazy continuation without a blank line) belong to the item.
      if (/^\s{2,}\S/.test(line) || !blankBefore) {
        open.lines.push(line);
        open.end = n;
        blankBefore = false;
        continue;
      }
      flush();
      list = undefined;
    }
    if (/^(\s{4,}|\t)/.test(line) && blankBefore && open === undefined) {
      start('code', n);
      for (; i < lines.length; i++) {
        const l = lines[i] ?? '';
        if (l.trim() && !/^(\s{4,}|\t)/.test(l)) break;
        open!.lines.push(l);
        if (l.trim()) open!.end = i + 1;
      }
      open!.lines.length = open!.end - open!.start + 1;
      i = open!.end - 1;
      flush();
      continue;
    }
    if (open?.kind === 'table') flush();
    if (!open) {
      list = undefined;
      start('paragraph', n);
    }
    open!.lines.push(line);
    open!.end = n;
    blankBefore = false;
  }
  flush();
  return blocks;
}
