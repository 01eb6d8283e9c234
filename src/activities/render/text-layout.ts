/**
 * Rich-text line layout for pdfkit. pdfkit's own wrapping cannot measure mixed-style text, so
 * we break runs into lines ourselves: then paragraphs split across pages line by line, table
 * rows know their height before they are drawn, and inline code gets a background.
 */
import type { Run, RunStyle } from './inline.js';
import { toWinAnsi } from './winansi.js';

export const FONT = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  italic: 'Helvetica-Oblique',
  boldItalic: 'Helvetica-BoldOblique',
  mono: 'Courier',
  monoBold: 'Courier-Bold',
} as const;

export function fontFor(style: RunStyle): string {
  if (style.code) return style.bold ? FONT.monoBold : FONT.mono;
  if (style.bold && style.italic) return FONT.boldItalic;
  if (style.bold) return FONT.bold;
  if (style.italic) return FONT.italic;
  return FONT.regular;
}

/** Inline code is set a little smaller: Courier looks large next to Helvetica. */
export const sizeFor = (style: RunStyle, size: number): number => (style.code ? size * 0.9 : size);

/** Measures text width in points; cached, layout asks for the same words many times. */
export class Measurer {
  private readonly cache = new Map<string, number>();
  constructor(private readonly doc: PDFKit.PDFDocument) {}

  width(text: string, font: string, size: number): number {
    const key = `${font}\u0000${size}\u0000${text}`;
    let width = this.cache.get(key);
    if (width === undefined) {
      width = this.doc.font(font).fontSize(size).widthOfString(text);
      this.cache.set(key, width);
    }
    return width;
  }

  styled(text: string, style: RunStyle, size: number): number {
    return this.width(text, fontFor(style), sizeFor(style, size));
  }
}

export interface Piece {
  text: string;
  style: RunStyle;
  /** Offset from the line start. */
  x: number;
  width: number;
}

export interface Line {
  pieces: Piece[];
  width: number;
}

const styleKey = (style: RunStyle): string =>
  `${style.bold ? 'b' : ''}${style.italic ? 'i' : ''}${style.code ? 'c' : ''}${style.strike ? 's' : ''}|${style.link ?? ''}|${style.cite ?? ''}`;

interface Segment {
  text: string;
  style: RunStyle;
  width: number;
}

/**
 * Breaks runs into lines no wider than `width`. Words are kept whole (a word may span styles,
 * as in `**bold**,`); a word wider than the line is broken between characters.
 */
export function layoutRuns(runs: Run[], width: number, size: number, measure: Measurer): Line[] {
  const lines: Line[] = [];
  let pieces: Piece[] = [];
  let lineWidth = 0;
  let word: Segment[] = [];
  let space: Segment | undefined;

  const pushLine = (): void => {
    lines.push({ pieces, width: lineWidth });
    pieces = [];
    lineWidth = 0;
  };
  const append = (seg: Segment): void => {
    const last = pieces[pieces.length - 1];
    if (last && styleKey(last.style) === styleKey(seg.style)) {
      last.text += seg.text;
      last.width += seg.width;
    } else {
      pieces.push({ text: seg.text, style: seg.style, x: lineWidth, width: seg.width });
    }
    lineWidth += seg.width;
  };
  const appendBroken = (seg: Segment): void => {
    // Character by character, for words longer than the line (URLs, hashes, paths).
    let chunk = '';
    for (const ch of seg.text) {
      const next = measure.styled(chunk + ch, seg.style, size);
      if (lineWidth + next > width && (chunk || pieces.length > 0)) {
        if (chunk) append({ text: chunk, style: seg.style, width: measure.styled(chunk, seg.style, size) });
        pushLine();
        chunk = ch;
      } else {
        chunk += ch;
      }
    }
    if (chunk) append({ text: chunk, style: seg.style, width: measure.styled(chunk, seg.style, size) });
  };
  const flushWord = (): void => {
    if (word.length === 0) return;
    const wordWidth = word.reduce((sum, seg) => sum + seg.width, 0);
    const spaceWidth = pieces.length > 0 && space ? space.width : 0;
    if (pieces.length > 0 && lineWidth + spaceWidth + wordWidth > width) pushLine();
    else if (spaceWidth && space) append(space);
    if (wordWidth > width) word.forEach(appendBroken);
    else word.forEach(append);
    word = [];
    space = undefined;
  };

  for (const run of runs) {
    if (run.text === '\n') {
      flushWord();
      pushLine();
      space = undefined;
      continue;
    }
    for (const part of toWinAnsi(run.text).split(/( +)/)) {
      if (!part) continue;
      if (part[0] === ' ') {
        flushWord();
        space = { text: ' ', style: run.style, width: measure.styled(' ', run.style, size) };
      } else {
        word.push({ text: part, style: run.style, width: measure.styled(part, run.style, size) });
      }
    }
  }
  flushWord();
  if (pieces.length > 0) pushLine();
  return lines;
}

/** Width of the widest unbreakable word (what a table column needs at least). */
export function minContentWidth(runs: Run[], size: number, measure: Measurer): number {
  let max = 0;
  let current = 0;
  for (const run of runs) {
    for (const part of toWinAnsi(run.text).split(/( +|\n)/)) {
      if (!part) continue;
      if (part[0] === ' ' || part === '\n') {
        current = 0;
        continue;
      }
      current += measure.styled(part, run.style, size);
      max = Math.max(max, current);
    }
  }
  return max;
}

/**
 * Width of the text on one line (what a table column would like to have). Measured in one
 * piece, so kerning can make it differ slightly from the sum of laid-out words: leave slack.
 */
export function maxContentWidth(runs: Run[], size: number, measure: Measurer): number {
  let max = 0;
  let current = 0;
  for (const run of runs) {
    if (run.text === '\n') {
      current = 0;
      continue;
    }
    current += measure.styled(toWinAnsi(run.text), run.style, size);
    max = Math.max(max, current);
  }
  return max;
}
