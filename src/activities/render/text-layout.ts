/**
 * Rich-text line layout for pdfkit. pdfkit's own wrapping cannot measure mixed-style text, so
 * we break runs into lines ourselves: then paragraphs split across pages line by line, table
 * rows know their height before they are drawn, and inline code gets a background.
 */
import { baseFace, breakableParts, cleanText, graphemes, keepsFace, shapeText } from './glyphs.js';
import type { Run, RunStyle } from './inline.js';
import { FONT, faceKey, fontFor, isFallbackFont, registerFallback, sizeFor, type Face } from './fonts.js';
import { allWinAnsi } from './winansi.js';

/**
 * Measures text width in points; cached, layout asks for the same words many times. It also
 * selects fonts for drawing, registering a fallback font with the document on first use.
 */
export class Measurer {
  private readonly cache = new Map<string, number>();
  private readonly registered = new Set<string>();
  constructor(private readonly doc: PDFKit.PDFDocument) {}

  /** Makes `font` the document's current font. */
  use(font: string): PDFKit.PDFDocument {
    if (!this.registered.has(font) && isFallbackFont(font)) {
      registerFallback(this.doc, font);
      this.registered.add(font);
    }
    return this.doc.font(font);
  }

  width(text: string, font: string, size: number): number {
    const key = `${font}\u0000${size}\u0000${text}`;
    let width = this.cache.get(key);
    if (width === undefined) {
      width = this.use(font).fontSize(size).widthOfString(text);
      this.cache.set(key, width);
    }
    return width;
  }

  /** Width of text in the standard font of `style` (text known to be WinAnsi, like a space). */
  styled(text: string, style: RunStyle, size: number): number {
    return this.width(text, fontFor(style), sizeFor(style, size));
  }

  /** Width of text shaped for `style`, whatever fonts it needs. */
  shaped(text: string, style: RunStyle, size: number): number {
    return shapeText(text, style).reduce(
      (sum, s) => sum + this.width(s.text, s.face.font, sizeFor(style, size)),
      0
    );
  }
}

export interface Piece {
  text: string;
  style: RunStyle;
  face: Face;
  /** Offset from the line start. */
  x: number;
  width: number;
  /** Horizontal scale of a glyph squeezed into a code cell narrower than itself. */
  squeeze?: number;
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
  face: Face;
  width: number;
}

const segmentKey = (seg: { style: RunStyle; face: Face }): string =>
  `${styleKey(seg.style)}|${faceKey(seg.face)}`;

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
    if (last && segmentKey(last) === segmentKey(seg)) {
      last.text += seg.text;
      last.width += seg.width;
    } else {
      pieces.push({ text: seg.text, style: seg.style, face: seg.face, x: lineWidth, width: seg.width });
    }
    lineWidth += seg.width;
  };
  const appendBroken = (seg: Segment): void => {
    // Character by character, for words longer than the line (URLs, hashes, paths).
    const { style, face } = seg;
    const measured = (text: string): number => measure.width(text, face.font, sizeFor(style, size));
    let chunk = '';
    for (const ch of graphemes(seg.text)) {
      const next = measured(chunk + ch);
      if (lineWidth + next > width && (chunk || pieces.length > 0)) {
        if (chunk) append({ text: chunk, style, face, width: measured(chunk) });
        pushLine();
        chunk = ch;
      } else {
        chunk += ch;
      }
    }
    if (chunk) append({ text: chunk, style, face, width: measured(chunk) });
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
    const style = run.style;
    for (const part of cleanText(run.text).split(/( +)/)) {
      if (!part) continue;
      if (part[0] === ' ') {
        flushWord();
        const previous = pieces[pieces.length - 1];
        const face =
          previous && styleKey(previous.style) === styleKey(style) && keepsFace(' ', previous.face, style)
            ? previous.face
            : baseFace(style);
        space = { text: ' ', style, face, width: measure.width(' ', face.font, sizeFor(style, size)) };
        continue;
      }
      breakableParts(part).forEach((chunk, i) => {
        if (i > 0) flushWord(); // a break opportunity without a space (CJK)
        for (const { text, face } of shapeText(chunk, style)) {
          word.push({ text, style, face, width: measure.width(text, face.font, sizeFor(style, size)) });
        }
      });
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
    for (const part of cleanText(run.text).split(/( +)/)) {
      if (!part) continue;
      if (part[0] === ' ') {
        current = 0;
        continue;
      }
      breakableParts(part).forEach((chunk, i) => {
        if (i > 0) current = 0;
        current += measure.shaped(chunk, run.style, size);
        max = Math.max(max, current);
      });
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
    current += measure.shaped(cleanText(run.text), run.style, size);
    max = Math.max(max, current);
  }
  return max;
}

/** Lays out text as one line, however long (pieces by face, with their offsets). */
export function singleLine(text: string, style: RunStyle, size: number, measure: Measurer): Line {
  let x = 0;
  const pieces = shapeText(text, style).map(({ text: piece, face }) => {
    const width = measure.width(piece, face.font, sizeFor(style, size));
    const placed = { text: piece, style, face, x, width };
    x += width;
    return placed;
  });
  return { pieces, width: x };
}

/** One line of text cut to `maxWidth`, with an ellipsis when it had to be cut (footers). */
export function truncatedLine(
  text: string,
  style: RunStyle,
  size: number,
  maxWidth: number,
  measure: Measurer
): Line {
  const clean = cleanText(text);
  const clusters = graphemes(clean);
  // Plain text is measured whole, with kerning. Other text (a title may be 2,000 characters of
  // CJK) is measured cluster by cluster once, not shaped and measured again for every cut.
  const plain = allWinAnsi(clean);
  const widths = plain ? [] : clusters.map((c) => measure.shaped(c, style, size));
  const widthOf = (count: number): number =>
    plain
      ? measure.shaped(clusters.slice(0, count).join(''), style, size)
      : widths.slice(0, count).reduce((a, b) => a + b, 0);
  let count = clusters.length;
  while (count > 1 && widthOf(count) > maxWidth) count -= 2;
  const shown = clusters.slice(0, Math.max(count, 0)).join('');
  const cut = count >= clusters.length ? shown : `${shown.trimEnd()}\u2026`;
  return singleLine(cut, style, size, measure);
}

// East Asian wide characters take two cells in a monospaced line, as in a terminal.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;

/**
 * Breaks one line of a code block (Courier at `size`) into lines no wider than `width`, between
 * characters: code keeps its spaces. Courier is monospaced, so a plain line is cut by count.
 * Characters from fallback fonts are set in Courier's cells too (two for CJK), centred, or
 * squeezed when wider, so trees and diagrams stay aligned.
 */
export function layoutCodeLine(raw: string, width: number, size: number, measure: Measurer): Line[] {
  const style: RunStyle = { code: true };
  const charW = measure.width('M', FONT.mono, size);
  const text = cleanText(raw);
  if (text.length === 0) return [{ pieces: [], width: 0 }];
  const perLine = Math.max(10, Math.floor(width / charW));
  const lines: Line[] = [];
  if (allWinAnsi(text)) {
    for (let i = 0; i < text.length; i += perLine) {
      const slice = text.slice(i, i + perLine);
      const piece = { text: slice, style, face: baseFace(style), x: 0, width: slice.length * charW };
      lines.push({ pieces: [piece], width: piece.width });
    }
    return lines;
  }
  let line: Line = { pieces: [], width: 0 };
  let cells = 0;
  for (const { text: run, face } of shapeText(text, style)) {
    const standard = !isFallbackFont(face.font);
    for (const cluster of graphemes(run)) {
      const span = !standard && WIDE.test(cluster) ? 2 : 1;
      if (cells + span > perLine && cells > 0) {
        lines.push(line);
        line = { pieces: [], width: 0 };
        cells = 0;
      }
      const cellX = cells * charW;
      const cellW = span * charW;
      cells += span;
      line.width = cells * charW;
      const last = line.pieces[line.pieces.length - 1];
      if (standard) {
        if (last && faceKey(last.face) === faceKey(face)) {
          last.text += cluster;
          last.width += cellW;
        } else line.pieces.push({ text: cluster, style, face, x: cellX, width: cellW });
        continue;
      }
      const glyphW = measure.width(cluster, face.font, size);
      line.pieces.push({
        text: cluster,
        style,
        face,
        x: cellX + Math.max(0, (cellW - glyphW) / 2),
        width: Math.min(glyphW, cellW),
        ...(glyphW > cellW ? { squeeze: cellW / glyphW } : {}),
      });
    }
  }
  lines.push(line);
  return lines;
}
