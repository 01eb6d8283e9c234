/**
 * Blocks that do not fit in one passage, cut into pieces that do: prose at line ends, then at
 * sentence ends (a word cut only for a sentence longer than a passage); tables between rows, each
 * piece repeating the header rows; code at blank lines where possible, each piece fenced again.
 * Plus the sentence helpers the passage packer uses to carry context over a cut.
 */
import { blockWords, words, type Block } from './blocks.js';

/** A passage holds at most this many words (a lead carried over included). */
export const MAX_WORDS = 250;
/** Target size of the pieces of a block too long for one passage. */
const CUT_WORDS = 190;
export interface Piece extends Block {
  /** This piece continues the previous one (the same block, cut). */
  cont?: boolean;
}

const SENTENCE_END = /(?<=[.!?;])\s+(?=\S)/;

export function sentencesOf(text: string): string[] {
  return text.trim().split(SENTENCE_END);
}

/** The last sentences of `text`, at most `max` words (none if the last sentence alone is longer). */
export function lastSentences(text: string, max: number): string {
  const out: string[] = [];
  let n = 0;
  for (const s of sentencesOf(text.replace(/\s+/g, ' ')).reverse()) {
    const w = words(s);
    if (n + w > max) break;
    out.unshift(s);
    n += w;
  }
  return out.join(' ');
}

/** A paragraph that introduces what follows: it ends with a colon or announces "the following". */
export function isLeadIn(text: string): boolean {
  const t = text.trim();
  if (/:$/.test(t)) return true;
  const last = sentencesOf(t).pop() ?? '';
  return /\b(the following|as follows|below)\b/i.test(last) && words(last) <= 40;
}

/** Prose that stops inside a sentence (a cut, or a page break). */
export function endsMidSentence(b: Block): boolean {
  if (b.kind !== 'paragraph' && b.kind !== 'item') return false;
  const t = (b.lines[b.lines.length - 1] ?? '').trim();
  return /[\p{L}\p{N},]$/u.test(t) && words(b.lines.join(' ')) >= 8;
}

function hardCut(line: string, n: number): Piece[] {
  const w = line.trim().split(/\s+/);
  const out: Piece[] = [];
  for (let k = 0; k < w.length; k += CUT_WORDS)
    out.push({ kind: 'paragraph', lines: [w.slice(k, k + CUT_WORDS).join(' ')], start: n, end: n });
  return out;
}

/** Cuts prose lines into pieces of about CUT_WORDS words at line ends, then sentence ends. */
function cutProse(block: Block): Piece[] {
  const out: Piece[] = [];
  let cur: Piece | undefined;
  let count = 0;
  const push = () => {
    if (cur) out.push(cur);
    cur = undefined;
    count = 0;
  };
  block.lines.forEach((line, k) => {
    const n = block.start + k;
    const w = words(line);
    if (w > CUT_WORDS) {
      push();
      let piece: string[] = [];
      let size = 0;
      for (const s of sentencesOf(line)) {
        const sw = words(s);
        if (sw > MAX_WORDS) {
          if (piece.length) out.push({ kind: 'paragraph', lines: [piece.join(' ')], start: n, end: n });
          piece = [];
          size = 0;
          out.push(...hardCut(s, n));
          continue;
        }
        if (size + sw > CUT_WORDS && size > 0) {
          out.push({ kind: 'paragraph', lines: [piece.join(' ')], start: n, end: n });
          piece = [];
          size = 0;
        }
        piece.push(s);
        size += sw;
      }
      if (piece.length) out.push({ kind: 'paragraph', lines: [piece.join(' ')], start: n, end: n });
      return;
    }
    if (cur && count + w > CUT_WORDS) push();
    cur ??= { kind: 'paragraph', lines: [], start: n, end: n };
    cur.lines.push(line);
    cur.end = n;
    count += w;
  });
  push();
  return out;
}

/** Cuts a table into row groups, each starting with the header rows. */
function cutTable(block: Block): Piece[] {
  const hasHeader = /^\s*\|?\s*:?-{2,}/.test(block.lines[1] ?? '');
  const header = hasHeader ? block.lines.slice(0, 2) : [];
  const rows = block.lines.slice(header.length);
  const out: Piece[] = [];
  let cur: string[] = [];
  let first = block.start + header.length;
  let count = words(header.join(' '));
  rows.forEach((row, k) => {
    const w = words(row);
    if (cur.length && count + w > CUT_WORDS) {
      out.push({ kind: 'table', lines: [...header, ...cur], start: first, end: first + cur.length - 1 });
      first += cur.length;
      cur = [];
      count = words(header.join(' '));
    }
    cur.push(row);
    count += w;
    if (k === 0 && !header.length) first = block.start;
  });
  if (cur.length)
    out.push({ kind: 'table', lines: [...header, ...cur], start: first, end: first + cur.length - 1 });
  if (out[0]) out[0].start = block.start;
  return out;
}

/** Cuts a code block at blank lines where possible, each piece fenced again. */
function cutCode(block: Block): Piece[] {
  const fenced = /^\s*(`{3,}|~{3,})/.exec(block.lines[0] ?? '');
  const open = fenced ? block.lines[0]! : undefined;
  const closing = fenced && /^\s*(`{3,}|~{3,})\s*$/.test(block.lines[block.lines.length - 1] ?? '');
  const body = block.lines.slice(open ? 1 : 0, closing ? -1 : undefined);
  const close = fenced ? fenced[1]! : undefined;
  const offset = block.start + (open ? 1 : 0);
  const out: Piece[] = [];
  let from = 0;
  while (from < body.length) {
    let count = 0;
    let to = from;
    let lastBlank = -1;
    while (to < body.length && (count + words(body[to]!) <= CUT_WORDS || to === from)) {
      count += words(body[to]!);
      if (!body[to]!.trim() && to > from) lastBlank = to;
      to++;
    }
    if (to < body.length && lastBlank > from + (to - from) / 2) to = lastBlank;
    const lines = body.slice(from, to);
    if (lines.length === 1 && words(lines[0]!) > MAX_WORDS) {
      out.push(...hardCut(lines[0]!, offset + from).map((p) => ({ ...p, kind: 'code' as const })));
    } else {
      out.push({
        kind: 'code',
        lines: open ? [open, ...lines, close!] : lines,
        start: offset + from,
        end: offset + to - 1,
      });
    }
    from = to;
  }
  return out;
}

/** A block as pieces that fit in a passage (itself, when it fits). */
export function fit(block: Block): Piece[] {
  if (block.kind === 'heading' || blockWords(block) <= MAX_WORDS) return [block];
  const pieces =
    block.kind === 'table' ? cutTable(block) : block.kind === 'code' ? cutCode(block) : cutProse(block);
  const group = block.group ?? -block.start;
  return pieces.map((p, i) => ({
    ...p,
    kind: p.kind === 'paragraph' ? block.kind : p.kind,
    group,
    cont: i > 0,
  }));
}
