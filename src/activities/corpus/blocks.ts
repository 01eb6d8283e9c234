/**
 * A document's lines as blocks that a passage never splits: headings, paragraphs, list items
 * (with their continuation lines), tables and code. Markdown is read by its syntax; plain text and
 * PDF pages by layout (blank lines, list markers, underlined / numbered / capitalised headings, and
 * for text without blank lines, short lines ending a sentence).
 */

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
}

export function words(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

export function blockWords(b: Block): number {
  return b.lines.reduce((n, l) => n + words(l), 0);
}

export function cleanHeading(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s*[¶§]\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const ATX = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+•]|\d{1,9}[.)])\s+\S/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function isTableLine(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line) || (line.includes('|') && TABLE_DELIMITER.test(line));
}

let groups = 0;
function nextGroup(): number {
  return ++groups;
}

/** Markdown (and HTML converted to Markdown) as blocks. */
export function markdownBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let open: Block | undefined;
  let list: number | undefined;
  let blankBefore = true;
  const flush = () => {
    if (open) blocks.push(open);
    open = undefined;
  };
  const start = (kind: BlockKind, n: number, extra: Partial<Block> = {}): Block =>
    (open = { kind, lines: [], start: n, end: n, ...extra });
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

const TEXT_ITEM = /^(\s*)([-*•◦▪‣]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+\S/;
const NUMBERED_HEADING =
  /^\s*((\d+\.)+\d*|\d+\)?|[A-Z]\.|(chapter|section|part|appendix)\s+[\dA-Z]+[.:]?)\s+\S/i;
const UNDERLINE = /^\s*([=\-~^*#])\1{2,}\s*$/;

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
  if (t.length > 80 || words(t) > 10 || /[.,;:!?]$/.test(t) || /^[-*•◦▪‣]/.test(t)) return undefined;
  if (next !== undefined && (TEXT_ITEM.test(next) || NUMBERED_HEADING.test(next))) return undefined;
  if (next !== undefined && !/^\s*[\p{Lu}\p{N}"'(`]/u.test(next)) return undefined;
  // Below an underlined title (level 1): "1." is level 2, "1.2" level 3; capitals level 2.
  const numbered = NUMBERED_HEADING.exec(t);
  if (numbered) {
    if (!/\p{L}/u.test(t.slice(numbered[1]!.length))) return undefined;
    const dots = (numbered[1]!.match(/\.\d/g) ?? []).length;
    return Math.min(6, 2 + dots);
  }
  if (isCaps(t)) return 2;
  return undefined;
}

/** Width of ordinary full lines: the 90th percentile of the non-blank line lengths. */
function lineWidth(lines: string[]): number {
  const lengths = lines
    .map((l) => l.trimEnd().length)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length * 0.9)] ?? 80;
}

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
  let open: Block | undefined;
  let list: number | undefined;
  const flush = () => {
    if (open) blocks.push(open);
    open = undefined;
  };
  const nextNonBlank = (i: number) => {
    for (let j = i + 1; j < lines.length; j++) if (lines[j]?.trim()) return lines[j];
    return undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const n = i + 1;
    if (!line.trim()) {
      flush();
      continue;
    }
    const next = lines[i + 1];
    if (!open && next !== undefined && UNDERLINE.test(next) && /\p{L}/u.test(line)) {
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
      i++;
      continue;
    }
    // A heading stands alone: on its own line between blank lines, or (reflowed text) after a
    // finished paragraph or list item.
    const prevLine = open?.lines[open.lines.length - 1]?.trim() ?? '';
    const afterBreak = !open || (reflow && (open.kind === 'item' || /[.!?:]["')\]]?$/.test(prevLine)));
    const alone = afterBreak && (reflow || !next?.trim());
    const level = alone ? textHeading(line, nextNonBlank(i)) : undefined;
    if (level !== undefined) {
      flush();
      list = undefined;
      blocks.push({ kind: 'heading', lines: [line], start: n, end: n, level, heading: cleanHeading(line) });
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
