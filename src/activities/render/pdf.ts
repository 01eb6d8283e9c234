/**
 * report.pdf: a pdfkit document drawn from the report content, the body coming from
 * `marked.lexer` tokens. Layout is ours (see text-layout.ts); pdfkit only places text and
 * shapes, never breaks lines or pages by itself.
 */
import PDFDocument from 'pdfkit';
import { marked, type Token, type Tokens } from 'marked';
import { inlineRuns, type Run, type RunStyle } from './inline.js';
import { formatDate, sortedCitations } from './markdown.js';
import { FONT, OBLIQUE_DEGREES, sizeFor, type Face } from './fonts.js';
import { cleanText } from './glyphs.js';
import {
  Measurer,
  layoutCodeLine,
  layoutRuns,
  maxContentWidth,
  minContentWidth,
  truncatedLine,
  type Line,
} from './text-layout.js';
import type { ReportContent } from './types.js';
import type { Citation } from '../../common/research-types.js';

const COLOR = {
  text: '#1f2328',
  muted: '#59636e',
  accent: '#1f4e79',
  rule: '#d0d7de',
  grid: '#b8c2cc',
  codeBg: '#f3f5f7',
  codeText: '#24292f',
  inlineCode: '#9a2b3a',
  summaryBg: '#eef4fa',
  tableHeadBg: '#e8eef5',
  tableStripe: '#f8fafc',
};

const PAGE = { size: 'A4' as const, margin: { top: 62, bottom: 66, left: 62, right: 62 } };
const BODY_SIZE = 10.5;
const LEADING = 1.42;
const HEADING_SIZE = [0, 17, 14, 12, 11, 10.5, 10.5] as const;

export interface PdfResult {
  buffer: Buffer;
  pages: number;
}

/** Where and how a block is set: a column of the page plus inherited text style. */
interface Frame {
  x: number;
  width: number;
  color: string;
  style: RunStyle;
  size: number;
  /** Tight list items: smaller space after paragraphs. */
  tight?: boolean;
  /** Set `code` runs in the frame colour, without the inline-code background. */
  plainCode?: boolean;
}

/** An unbreakable piece of a box (a line of text): its height and how to draw it. */
interface BoxItem {
  height: number;
  draw(top: number): void;
}

class ReportPdf {
  readonly doc: PDFKit.PDFDocument;
  private readonly measure: Measurer;
  private readonly top = PAGE.margin.top;
  private readonly bottom: number;
  private readonly left = PAGE.margin.left;
  private readonly contentWidth: number;
  private y: number;
  private readonly known: Set<number>;

  constructor(private readonly report: ReportContent) {
    const date = report.generatedAt;
    this.doc = new PDFDocument({
      size: PAGE.size,
      margins: PAGE.margin,
      bufferPages: true,
      autoFirstPage: true,
      displayTitle: true,
      lang: 'en',
      info: {
        // Document properties are Unicode (pdfkit writes them as UTF-16 when not ASCII).
        Title: cleanText(report.title),
        Subject: Array.from(cleanText(report.question)).slice(0, 500).join(''),
        Author: 'steadfast',
        Creator: 'steadfast render activity',
        Producer: 'steadfast (PDFKit)',
        Keywords: report.format,
        CreationDate: date,
        ModDate: date,
      },
    });
    this.measure = new Measurer(this.doc);
    this.bottom = this.doc.page.height - PAGE.margin.bottom;
    this.contentWidth = this.doc.page.width - PAGE.margin.left - PAGE.margin.right;
    this.y = this.top;
    this.known = new Set(report.citations.map((c) => c.n));
  }

  private get body(): Frame {
    return { x: this.left, width: this.contentWidth, color: COLOR.text, style: {}, size: BODY_SIZE };
  }

  // ---- page flow -------------------------------------------------------------------------

  private newPage(): void {
    this.doc.addPage();
    this.y = this.top;
  }

  /** Starts a new page unless `height` still fits on this one. */
  private ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > this.top) this.newPage();
  }

  private gap(points: number): void {
    if (this.y > this.top) this.y += points;
  }

  // ---- text ------------------------------------------------------------------------------

  private lineHeight(size: number): number {
    return size * LEADING;
  }

  private layout(runs: Run[], width: number, size: number): Line[] {
    return layoutRuns(runs, width, size, this.measure);
  }

  /**
   * Draws text in a face at a baseline, in the current fill colour. Styles a fallback font lacks
   * are synthesised: bold by stroking the outlines too, italics by slanting. `squeeze` narrows
   * a glyph horizontally (into a code cell).
   */
  private placeText(
    text: string,
    face: Face,
    x: number,
    baseline: number,
    size: number,
    color: string,
    squeeze?: number
  ): void {
    const doc = this.measure.use(face.font).fontSize(size);
    if (!face.fakeBold && !face.oblique && squeeze === undefined) {
      doc.text(text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
      return;
    }
    doc.save();
    if (squeeze !== undefined) doc.transform(squeeze, 0, 0, 1, x * (1 - squeeze), 0);
    if (face.fakeBold) doc.lineWidth(size * 0.035).strokeColor(color);
    doc.text(text, x, baseline, {
      lineBreak: false,
      baseline: 'alphabetic',
      fill: true,
      stroke: Boolean(face.fakeBold),
      oblique: face.oblique ? OBLIQUE_DEGREES : false,
    });
    doc.restore();
  }

  /** Draws one laid-out line whose top edge is at `top`. */
  private drawLine(line: Line, x: number, top: number, size: number, color: string, plainCode = false): void {
    const doc = this.doc;
    const height = this.lineHeight(size);
    const baseline = top + (height - size) / 2 + size * 0.8;
    for (const piece of line.pieces) {
      const style = piece.style;
      const px = x + piece.x;
      const pieceSize = sizeFor(style, size);
      if (style.code && !plainCode && piece.text.trim()) {
        const lead = piece.text.length - piece.text.trimStart().length;
        const trail = piece.text.length - piece.text.trimEnd().length;
        const spaceW = this.measure.styled(' ', style, size);
        doc
          .roundedRect(
            px + lead * spaceW - 1.5,
            baseline - pieceSize * 0.82,
            piece.width - (lead + trail) * spaceW + 3,
            pieceSize * 1.12,
            1.5
          )
          .fill(COLOR.codeBg);
      }
      const fill =
        style.cite || style.link ? COLOR.accent : style.code && !plainCode ? COLOR.inlineCode : color;
      doc.fillColor(fill);
      this.placeText(piece.text, piece.face, px, baseline, pieceSize, fill);
      if (style.strike) {
        doc
          .moveTo(px, baseline - size * 0.3)
          .lineTo(px + piece.width, baseline - size * 0.3)
          .lineWidth(0.6)
          .stroke(fill);
      }
      if (style.link) {
        doc
          .moveTo(px, baseline + 1.2)
          .lineTo(px + piece.width, baseline + 1.2)
          .lineWidth(0.5)
          .stroke(COLOR.accent);
        doc.link(px, top, piece.width, height, style.link);
      }
      if (style.cite) doc.goTo(px, top, piece.width, height, `source-${style.cite}`);
    }
  }

  /** Sets runs as a paragraph in the frame, breaking pages between lines. */
  private paragraph(runs: Run[], frame: Frame, spaceAfter = frame.tight ? 2 : 7): void {
    const styled = runs.map((r) => ({ text: r.text, style: { ...frame.style, ...r.style } }));
    const lines = this.layout(styled, frame.width, frame.size);
    const height = this.lineHeight(frame.size);
    for (const line of lines) {
      this.ensure(height);
      this.drawLine(line, frame.x, this.y, frame.size, frame.color, frame.plainCode);
      this.y += height;
    }
    this.y += spaceAfter;
  }

  /**
   * Draws items inside a box with a background, splitting it across pages between items; the
   * background of each page's part is drawn before that part's items.
   */
  private box(
    items: BoxItem[],
    pad: { top: number; bottom: number },
    background: (top: number, height: number) => void
  ): void {
    let i = 0;
    while (i < items.length) {
      const first = items[i];
      if (!first) break;
      this.ensure(pad.top + first.height + pad.bottom);
      let end = i;
      let height = pad.top + pad.bottom;
      while (end < items.length) {
        const item = items[end];
        if (!item) break;
        if (end > i && this.y + height + item.height > this.bottom) break;
        height += item.height;
        end++;
      }
      background(this.y, height);
      let top = this.y + pad.top;
      for (let k = i; k < end; k++) {
        const item = items[k];
        if (!item) continue;
        item.draw(top);
        top += item.height;
      }
      this.y += height;
      i = end;
      if (i < items.length) this.newPage();
    }
  }

  private textItems(
    runs: Run[],
    width: number,
    x: number,
    size: number,
    color: string,
    style: RunStyle = {}
  ): BoxItem[] {
    const styled = runs.map((r) => ({ text: r.text, style: { ...style, ...r.style } }));
    const height = this.lineHeight(size);
    return this.layout(styled, width, size).map((line) => ({
      height,
      draw: (top: number) => this.drawLine(line, x, top, size, color),
    }));
  }

  private spacer(height: number): BoxItem {
    return { height, draw: () => undefined };
  }

  // ---- report parts ----------------------------------------------------------------------

  titleBlock(): void {
    const doc = this.doc;
    const { report } = this;
    const frame = this.body;
    doc
      .font(FONT.bold)
      .fontSize(8.5)
      .fillColor(COLOR.accent)
      .text(report.format === 'checklist' ? 'ACTION CHECKLIST' : 'RESEARCH REPORT', frame.x, this.y, {
        lineBreak: false,
        characterSpacing: 0.5,
      });
    this.y += 18;
    this.paragraph(
      [{ text: report.title.trim() || 'Untitled report', style: { bold: true } }],
      { ...frame, size: 21 },
      4
    );
    if (report.question.trim()) {
      this.paragraph(
        [
          { text: 'Question: ', style: { bold: true } },
          { text: report.question.trim(), style: {} },
        ],
        { ...frame, size: 11, color: COLOR.muted },
        2
      );
    }
    const sources = report.citations.length;
    this.paragraph(
      [
        {
          text: `Generated ${formatDate(report.generatedAt)}  \u00b7  ${sources} source${sources === 1 ? '' : 's'}`,
          style: {},
        },
      ],
      { ...frame, size: 8.5, color: COLOR.muted },
      8
    );
    doc
      .moveTo(frame.x, this.y)
      .lineTo(frame.x + frame.width, this.y)
      .lineWidth(1.4)
      .stroke(COLOR.accent);
    this.y += 16;
  }

  summaryBox(): void {
    const summary = this.report.summary.trim();
    if (!summary) return;
    const frame = this.body;
    const padX = 14;
    const innerX = frame.x + padX;
    const innerW = frame.width - padX * 2;
    const items: BoxItem[] = [
      ...this.textItems([{ text: 'Summary', style: { bold: true } }], innerW, innerX, 11, COLOR.accent),
      this.spacer(3),
    ];
    // The summary is Markdown too, but flat: paragraphs and list items become lines.
    marked.lexer(summary).forEach((token, index) => {
      const blocks: Run[][] =
        token.type === 'list'
          ? (token as Tokens.List).items.map((item) => [
              { text: '\u2022  ', style: {} },
              ...this.itemRuns(item),
            ])
          : token.type === 'space'
            ? []
            : [this.blockRuns(token)];
      for (const runs of blocks) {
        if (index > 0 && items.length > 2) items.push(this.spacer(4));
        items.push(...this.textItems(runs, innerW, innerX, BODY_SIZE, COLOR.text));
      }
    });
    this.box(items, { top: 10, bottom: 11 }, (top, height) => {
      this.doc.rect(frame.x, top, frame.width, height).fill(COLOR.summaryBg);
      this.doc.rect(frame.x, top, 3, height).fill(COLOR.accent);
    });
    this.y += 16;
  }

  /** Inline runs of any block, for flat contexts (summary, table cells). */
  private blockRuns(token: Token): Run[] {
    const withTokens = token as { tokens?: Token[]; text?: string };
    if (token.type === 'code') return [{ text: (token as Tokens.Code).text, style: { code: true } }];
    if (withTokens.tokens) return inlineRuns(withTokens.tokens, this.known);
    return [{ text: withTokens.text ?? token.raw, style: {} }];
  }

  private itemRuns(item: Tokens.ListItem): Run[] {
    const runs: Run[] = [];
    for (const token of item.tokens) {
      if (token.type === 'checkbox') runs.push({ text: item.checked ? '[x] ' : '[ ] ', style: {} });
      else if (token.type === 'list')
        runs.push(
          ...(token as Tokens.List).items.flatMap((i) => [
            { text: ' \u2013 ', style: {} },
            ...this.itemRuns(i),
          ])
        );
      else runs.push(...this.blockRuns(token));
    }
    return runs;
  }

  markdownBody(): void {
    const markdown = this.report.markdown.trim();
    if (markdown) this.blocks(marked.lexer(markdown), this.body);
  }

  followUps(): void {
    const questions = this.report.followUps.map((q) => q.trim()).filter(Boolean);
    if (questions.length === 0) return;
    this.heading(2, [{ text: 'Follow-up questions', style: {} }], this.body);
    const frame = { ...this.body, tight: true };
    questions.forEach((question, i) => {
      this.listItem(`${i + 1}.`, undefined, 0, frame, 20, () =>
        this.paragraph(
          [{ text: question, style: {} }],
          { ...frame, x: frame.x + 20, width: frame.width - 20 },
          3
        )
      );
    });
    this.y += 6;
  }

  sources(): void {
    const frame = this.body;
    this.heading(2, [{ text: 'Sources', style: {} }], frame);
    const citations = sortedCitations(this.report.citations);
    if (citations.length === 0) {
      this.paragraph([{ text: 'No sources were cited.', style: { italic: true } }], {
        ...frame,
        color: COLOR.muted,
      });
      return;
    }
    for (const citation of citations) this.source(citation, frame);
  }

  private source(c: Citation, frame: Frame): void {
    const indent = 28;
    const x = frame.x + indent;
    const width = frame.width - indent;
    const titleSize = 10;
    const titleLines = this.layout(
      [{ text: c.title?.trim() || c.path, style: { bold: true } }],
      width,
      titleSize
    );
    const first = titleLines[0];
    this.ensure(this.lineHeight(titleSize) * 2 + 14);
    this.doc.addNamedDestination(`source-${c.n}`, 'XYZ', 0, Math.max(0, this.y - 6), null);
    if (first) {
      const marker = this.layout([{ text: `[${c.n}]`, style: { bold: true } }], indent, titleSize)[0];
      if (marker) this.drawLine(marker, frame.x, this.y, titleSize, COLOR.accent);
    }
    this.paragraph(
      [{ text: c.title?.trim() || c.path, style: { bold: true } }],
      { ...frame, x, width, size: titleSize },
      1
    );
    this.paragraph(
      [
        { text: c.path, style: { code: true } },
        {
          text: `  (${c.sourceId}${c.fetchedAt ? `, fetched ${formatDate(new Date(c.fetchedAt))}` : ''})`,
          style: {},
        },
      ],
      { ...frame, x, width, size: 9, color: COLOR.muted, plainCode: true },
      2
    );
    const excerpt = c.excerpt.replace(/\s+/g, ' ').trim();
    if (excerpt) {
      this.paragraph(
        [{ text: `\u201c${excerpt}\u201d`, style: { italic: true } }],
        { ...frame, x, width, size: 9, color: COLOR.muted },
        0
      );
    }
    this.y += 9;
  }

  // ---- Markdown blocks -------------------------------------------------------------------

  private blocks(tokens: Token[], frame: Frame): void {
    for (const token of tokens) this.block(token, frame);
  }

  private block(token: Token, frame: Frame): void {
    switch (token.type) {
      case 'space':
      case 'def':
      case 'checkbox':
        return;
      case 'heading': {
        const heading = token as Tokens.Heading;
        this.heading(heading.depth, inlineRuns(heading.tokens, this.known), frame);
        return;
      }
      case 'paragraph':
        this.paragraph(inlineRuns((token as Tokens.Paragraph).tokens, this.known), frame);
        return;
      case 'text': {
        const text = token as Tokens.Text;
        this.paragraph(
          text.tokens ? inlineRuns(text.tokens, this.known) : [{ text: text.text, style: {} }],
          frame
        );
        return;
      }
      case 'list':
        this.list(token as Tokens.List, frame, 0);
        this.y += frame.tight ? 0 : 5;
        return;
      case 'table':
        this.table(token as Tokens.Table, frame);
        return;
      case 'code':
        this.codeBlock((token as Tokens.Code).text, frame);
        return;
      case 'blockquote':
        this.blockquote(token as Tokens.Blockquote, frame);
        return;
      case 'hr':
        this.rule(frame);
        return;
      case 'html': {
        const text = (token as Tokens.HTML).text.replace(/<[^>]*>/g, ' ').trim();
        if (text) this.paragraph([{ text, style: {} }], frame);
        return;
      }
      default: {
        const generic = token as { tokens?: Token[]; text?: string; raw?: string };
        const runs = generic.tokens
          ? inlineRuns(generic.tokens, this.known)
          : [{ text: generic.text ?? generic.raw ?? '', style: {} }];
        if (runs.some((r) => r.text.trim())) this.paragraph(runs, frame);
      }
    }
  }

  private heading(depth: number, runs: Run[], frame: Frame): void {
    const level = Math.min(Math.max(depth, 1), 6);
    const size = HEADING_SIZE[level] ?? BODY_SIZE;
    const before = [0, 16, 14, 11, 9, 8, 8][level] ?? 8;
    const color = level <= 2 ? COLOR.accent : COLOR.text;
    const styled = runs.map((r) => ({ text: r.text, style: { ...r.style, bold: true } }));
    const lines = this.layout(styled, frame.width, size);
    const height = lines.length * this.lineHeight(size);
    this.gap(before);
    // Keep the heading with at least two lines of what follows.
    this.ensure(height + 6 + 2 * this.lineHeight(BODY_SIZE));
    for (const line of lines) {
      this.drawLine(line, frame.x, this.y, size, color);
      this.y += this.lineHeight(size);
    }
    if (level <= 2) {
      this.y += 1;
      this.doc
        .moveTo(frame.x, this.y)
        .lineTo(frame.x + frame.width, this.y)
        .lineWidth(level === 1 ? 0.9 : 0.5)
        .stroke(COLOR.rule);
      this.y += 7;
    } else {
      this.y += 3;
    }
  }

  private rule(frame: Frame): void {
    this.gap(4);
    this.ensure(12);
    this.doc
      .moveTo(frame.x, this.y + 4)
      .lineTo(frame.x + frame.width, this.y + 4)
      .lineWidth(0.8)
      .stroke(COLOR.rule);
    this.y += 14;
  }

  /**
   * One list item: draws the marker (text, bullet or checkbox) beside the first line, then the
   * content via `content` in a frame indented by `indent`.
   */
  private listItem(
    marker: string | undefined,
    task: { checked: boolean } | undefined,
    depth: number,
    frame: Frame,
    indent: number,
    content: () => void
  ): void {
    const doc = this.doc;
    const size = frame.size;
    const lineH = this.lineHeight(size);
    this.ensure(lineH);
    const top = this.y;
    const mid = top + lineH / 2;
    if (task) {
      const box = size * 0.85;
      const bx = frame.x + 1;
      const by = mid - box / 2;
      if (task.checked) {
        doc.roundedRect(bx, by, box, box, 1.5).fill(COLOR.accent);
        doc
          .moveTo(bx + box * 0.22, by + box * 0.52)
          .lineTo(bx + box * 0.42, by + box * 0.74)
          .lineTo(bx + box * 0.8, by + box * 0.28)
          .lineWidth(1.3)
          .stroke('#ffffff');
      } else {
        doc.roundedRect(bx, by, box, box, 1.5).lineWidth(0.9).stroke(COLOR.muted);
      }
    } else if (marker) {
      const line = this.layout([{ text: marker, style: {} }], indent, size)[0];
      if (line) this.drawLine(line, frame.x + indent - 5 - line.width, top, size, frame.color);
    } else {
      const cx = frame.x + 5;
      const r = depth === 0 ? 1.9 : 1.7;
      if (depth % 3 === 0) doc.circle(cx, mid, r).fill(frame.color);
      else if (depth % 3 === 1) doc.circle(cx, mid, r).lineWidth(0.7).stroke(frame.color);
      else doc.rect(cx - 1.5, mid - 1.5, 3, 3).fill(frame.color);
    }
    content();
  }

  private list(list: Tokens.List, frame: Frame, depth: number): void {
    const start = typeof list.start === 'number' ? list.start : 1;
    const last = start + list.items.length - 1;
    const indent = list.ordered
      ? Math.max(20, this.measure.width(`${last}.`, FONT.regular, frame.size) + 9)
      : 16;
    const hasTasks = list.items.some((item) => item.task);
    const itemIndent = hasTasks ? Math.max(indent, 18) : indent;
    list.items.forEach((item, i) => {
      const inner: Frame = {
        ...frame,
        x: frame.x + itemIndent,
        width: frame.width - itemIndent,
        tight: !item.loose,
      };
      this.listItem(
        list.ordered ? `${start + i}.` : undefined,
        item.task ? { checked: Boolean(item.checked) } : undefined,
        depth,
        frame,
        itemIndent,
        () => {
          for (const token of item.tokens) {
            if (token.type === 'list') this.list(token as Tokens.List, inner, depth + 1);
            else this.block(token, inner);
          }
        }
      );
      this.y += item.loose ? 2 : 1.5;
    });
  }

  private codeBlock(code: string, frame: Frame): void {
    const size = 8.8;
    const lineH = size * 1.38;
    const pad = 9;
    const lines = code
      .replace(/\s+$/, '')
      .split(/\r?\n/)
      .flatMap((raw) => layoutCodeLine(raw, frame.width - pad * 2, size, this.measure));
    const items: BoxItem[] = lines.map((line) => ({
      height: lineH,
      draw: (top: number) => {
        if (line.pieces.length === 0) return;
        const baseline = top + (lineH - size) / 2 + size * 0.8;
        this.doc.fillColor(COLOR.codeText);
        for (const piece of line.pieces) {
          const x = frame.x + pad + piece.x;
          this.placeText(piece.text, piece.face, x, baseline, size, COLOR.codeText, piece.squeeze);
        }
      },
    }));
    this.gap(2);
    this.box(items, { top: pad - 2, bottom: pad - 2 }, (top, height) => {
      this.doc.roundedRect(frame.x, top, frame.width, height, 3).fill(COLOR.codeBg);
      this.doc.roundedRect(frame.x, top, frame.width, height, 3).lineWidth(0.5).stroke(COLOR.rule);
    });
    this.y += 9;
  }

  private blockquote(quote: Tokens.Blockquote, frame: Frame): void {
    const barX = frame.x + 2;
    const startPage = this.currentPage();
    const startY = this.y;
    const inner: Frame = {
      ...frame,
      x: frame.x + 14,
      width: frame.width - 14,
      color: COLOR.muted,
      style: { ...frame.style, italic: true },
    };
    this.blocks(quote.tokens, inner);
    const endPage = this.currentPage();
    const endY = this.y - 5;
    // The bar is drawn afterwards, on every page the quote touched.
    for (let page = startPage; page <= endPage; page++) {
      this.doc.switchToPage(page);
      const from = page === startPage ? startY : this.top;
      const to = page === endPage ? endY : this.bottom;
      if (to > from) this.doc.rect(barX, from, 2.5, to - from).fill(COLOR.rule);
    }
    this.doc.switchToPage(endPage);
  }

  private currentPage(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  private table(table: Tokens.Table, frame: Frame): void {
    const size = 9.2;
    const padX = 6;
    const padY = 4.5;
    const lineH = this.lineHeight(size);
    const head = table.header.map((cell) =>
      inlineRuns(cell.tokens, this.known).map((r) => ({ ...r, style: { ...r.style, bold: true } }))
    );
    const rows = table.rows.map((row) => head.map((_, c) => inlineRuns(row[c]?.tokens ?? [], this.known)));
    const columns = head.length;
    if (columns === 0) return;

    // Column widths: every column gets its longest word (capped, longer words are broken);
    // columns that want little more get all they want, the rest share what is left in
    // proportion to how much more they want.
    const total = frame.width;
    const all = [head, ...rows];
    const minW = head.map(
      (_, c) =>
        Math.min(
          total * 0.3,
          Math.max(18, ...all.map((r) => minContentWidth(r[c] ?? [], size, this.measure)))
        ) +
        padX * 2
    );
    const maxW = head.map((_, c) =>
      Math.max(
        minW[c] ?? 0,
        Math.max(18, ...all.map((r) => maxContentWidth(r[c] ?? [], size, this.measure))) + padX * 2 + 1
      )
    );
    const widths = allocateColumns(minW, maxW, total);
    const xs = widths.reduce<number[]>((acc, w, c) => [...acc, (acc[c] ?? frame.x) + w], [frame.x]);

    const layoutRow = (cells: Run[][]): { lines: Line[][]; height: number } => {
      const lines = cells.map((runs, c) => this.layout(runs, (widths[c] ?? 0) - padX * 2, size));
      const height = Math.max(1, ...lines.map((l) => l.length)) * lineH + padY * 2;
      return { lines, height };
    };
    const drawRow = (row: { lines: Line[][]; height: number }, fill: string | undefined): void => {
      const top = this.y;
      if (fill) this.doc.rect(frame.x, top, total, row.height).fill(fill);
      row.lines.forEach((cellLines, c) => {
        const align = table.align[c];
        const cellW = (widths[c] ?? 0) - padX * 2;
        cellLines.forEach((line, i) => {
          const offset =
            align === 'center' ? (cellW - line.width) / 2 : align === 'right' ? cellW - line.width : 0;
          this.drawLine(line, (xs[c] ?? frame.x) + padX + offset, top + padY + i * lineH, size, COLOR.text);
        });
      });
      // Grid: the row's box and its column separators.
      this.doc.lineWidth(0.5).strokeColor(COLOR.grid);
      this.doc.rect(frame.x, top, total, row.height).stroke();
      for (let c = 1; c < columns; c++) {
        const x = xs[c] ?? frame.x;
        this.doc
          .moveTo(x, top)
          .lineTo(x, top + row.height)
          .stroke();
      }
      this.y += row.height;
    };

    const header = layoutRow(head);
    this.gap(2);
    const firstRow = rows[0] ? layoutRow(rows[0]) : undefined;
    this.ensure(header.height + (firstRow?.height ?? 0));
    drawRow(header, COLOR.tableHeadBg);
    rows.forEach((cells, r) => {
      const row = r === 0 && firstRow ? firstRow : layoutRow(cells);
      if (this.y + row.height > this.bottom) {
        this.newPage();
        drawRow(header, COLOR.tableHeadBg); // repeat the header on the new page
      }
      drawRow(row, r % 2 === 1 ? COLOR.tableStripe : undefined);
    });
    this.y += 10;
  }

  // ---- finishing -------------------------------------------------------------------------

  /** Footer on every page: report title on the left, "Page X of Y" on the right. */
  footers(): number {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    const title = this.report.title.trim() || 'Untitled report';
    const footerY = doc.page.height - PAGE.margin.bottom + 26;
    // The title is cut to the room the page label leaves, the same on most pages.
    const cut = new Map<number, Line>();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      doc
        .moveTo(this.left, footerY - 10)
        .lineTo(this.left + this.contentWidth, footerY - 10)
        .lineWidth(0.5)
        .stroke(COLOR.rule);
      const label = `Page ${i + 1} of ${range.count}`;
      doc.font(FONT.regular).fontSize(8).fillColor(COLOR.muted);
      const labelW = doc.widthOfString(label);
      doc.text(label, this.left + this.contentWidth - labelW, footerY, {
        lineBreak: false,
        baseline: 'alphabetic',
      });
      const room = this.contentWidth - labelW - 30;
      const shown = cut.get(room) ?? truncatedLine(title, {}, 8, room, this.measure);
      cut.set(room, shown);
      for (const piece of shown.pieces) {
        this.placeText(piece.text, piece.face, this.left + piece.x, footerY, 8, COLOR.muted);
      }
    }
    return range.count;
  }
}

/**
 * Splits `total` between columns: each gets at least `min` (scaled down if even that does not
 * fit); columns whose extra want (`max - min`) is at most a fair share of the remaining space
 * get their `max`; the others split the rest in proportion to their want. Fills `total`.
 */
export function allocateColumns(min: number[], max: number[], total: number): number[] {
  const sumMin = min.reduce((a, b) => a + b, 0);
  if (sumMin >= total) return min.map((w) => (w / sumMin) * total);
  const widths = [...min];
  let spare = total - sumMin;
  const want = min.map((w, c) => Math.max(0, (max[c] ?? w) - w));
  const open = want.map((_, c) => c).sort((a, b) => (want[a] ?? 0) - (want[b] ?? 0));
  while (open.length > 0) {
    const c = open[0] ?? 0;
    const w = want[c] ?? 0;
    if (w > spare / open.length) break;
    widths[c] = (widths[c] ?? 0) + w;
    spare -= w;
    open.shift();
  }
  const rest = open.reduce((sum, c) => sum + (want[c] ?? 0), 0);
  if (rest > 0) for (const c of open) widths[c] = (widths[c] ?? 0) + (spare * (want[c] ?? 0)) / rest;
  else {
    // Everyone is satisfied: widen all columns alike so the table spans the frame.
    const sum = widths.reduce((a, b) => a + b, 0);
    return widths.map((w) => (w / sum) * total);
  }
  return widths;
}

/** Renders the report to PDF bytes. Deterministic for the same content (dates included). */
export function renderReportPdf(report: ReportContent): Promise<PdfResult> {
  const pdf = new ReportPdf(report);
  const chunks: Buffer[] = [];
  return new Promise<PdfResult>((resolve, reject) => {
    pdf.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.doc.on('error', reject);
    let pages = 0;
    pdf.doc.on('end', () => resolve({ buffer: Buffer.concat(chunks), pages }));
    try {
      pdf.titleBlock();
      pdf.summaryBox();
      pdf.markdownBody();
      pdf.followUps();
      pdf.sources();
      pages = pdf.footers();
      pdf.doc.end();
    } catch (err) {
      reject(err);
    }
  });
}
