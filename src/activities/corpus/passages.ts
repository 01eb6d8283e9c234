import type { ExtractedDocument } from './extract.js';

/** A searchable slice of a document. Stored in the corpus cache (paths relative to the root). */
export interface StoredPassage {
  /** `<relative path>#L<start>-L<end>` or `<relative path>#p<page>`, plus `.<n>` when repeated. */
  sourceId: string;
  /** Path relative to the corpus root, '/' separated. */
  rel: string;
  /** Nearest heading, or the document title / file name. */
  title: string;
  text: string;
  /** Index of the owning document; a document's passages are contiguous and in reading order. */
  doc: number;
}

export const MAX_WORDS = 200;
export const MIN_WORDS = 80;
/** A heading starts a new passage once the current one has at least this many words. */
const SECTION_MIN_WORDS = 30;
/** Target size when a single over-long paragraph or line must be cut. */
const CUT_WORDS = 150;

interface Block {
  heading?: string;
  lines: string[];
  start: number;
  end: number;
}

const words = (s: string) => s.match(/\S+/g)?.length ?? 0;

function cleanHeading(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .replace(/<[^>]+>/g, '')
    .trim();
}

const ATX = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;

/** Splits lines into heading / paragraph / code blocks (1-based line numbers). */
export function linesToBlocks(lines: string[], markdown: boolean): Block[] {
  const blocks: Block[] = [];
  let para: Block | undefined;
  const flush = () => {
    if (para) blocks.push(para);
    para = undefined;
  };
  let i = 0;
  // YAML front matter is metadata, not prose.
  if (markdown && lines[0]?.trim() === '---') {
    const close = lines.findIndex((l, j) => j > 0 && j < 60 && (l.trim() === '---' || l.trim() === '...'));
    if (close > 0) i = close + 1;
  }
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const n = i + 1;
    if (markdown) {
      const fence = FENCE.exec(line);
      if (fence) {
        flush();
        const marker = fence[1] as string;
        const code: Block = { lines: [line], start: n, end: n };
        for (i++; i < lines.length; i++) {
          const l = lines[i] ?? '';
          code.lines.push(l);
          code.end = i + 1;
          if (l.trim().startsWith(marker[0]!.repeat(marker.length))) break;
        }
        blocks.push(code);
        continue;
      }
      const atx = ATX.exec(line);
      if (atx) {
        flush();
        blocks.push({ heading: cleanHeading(atx[2] ?? ''), lines: [line], start: n, end: n });
        continue;
      }
      if (para && para.lines.length === 1 && SETEXT.test(line) && (para.lines[0] ?? '').trim()) {
        para.heading = cleanHeading(para.lines[0] ?? '');
        para.lines.push(line);
        para.end = n;
        flush();
        continue;
      }
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    if (!para) para = { lines: [], start: n, end: n };
    para.lines.push(line);
    para.end = n;
  }
  flush();
  return blocks;
}

/** Cuts text into pieces of about CUT_WORDS words at sentence ends (hard cut if a sentence is huge). */
function cutText(text: string): string[] {
  const pieces: string[] = [];
  let cur: string[] = [];
  let count = 0;
  const push = () => {
    if (cur.length) pieces.push(cur.join(' '));
    cur = [];
    count = 0;
  };
  for (const sentence of text.trim().split(/(?<=[.!?;:])\s+/)) {
    const w = sentence.split(/\s+/);
    if (w.length > MAX_WORDS) {
      push();
      for (let k = 0; k < w.length; k += CUT_WORDS) pieces.push(w.slice(k, k + CUT_WORDS).join(' '));
      continue;
    }
    if (count + w.length > CUT_WORDS && count > 0) push();
    cur.push(sentence);
    count += w.length;
  }
  push();
  return pieces;
}

/** Breaks a paragraph longer than MAX_WORDS into pieces at line boundaries, then sentences. */
function splitBlock(block: Block): Block[] {
  if (block.heading !== undefined || words(block.lines.join(' ')) <= MAX_WORDS) return [block];
  const out: Block[] = [];
  let cur: Block | undefined;
  let count = 0;
  block.lines.forEach((line, k) => {
    const n = block.start + k;
    const w = words(line);
    if (w > MAX_WORDS) {
      if (cur) out.push(cur);
      cur = undefined;
      count = 0;
      for (const piece of cutText(line)) out.push({ lines: [piece], start: n, end: n });
      return;
    }
    if (cur && count + w > CUT_WORDS) {
      out.push(cur);
      cur = undefined;
      count = 0;
    }
    cur ??= { lines: [], start: n, end: n };
    cur.lines.push(line);
    cur.end = n;
    count += w;
  });
  if (cur) out.push(cur);
  return out;
}

interface Draft {
  title: string;
  pieces: string[];
  start: number;
  end: number;
  words: number;
  hasBody: boolean;
}

/** Groups blocks into passages of roughly MIN_WORDS..MAX_WORDS words, breaking at headings. */
function blocksToDrafts(blocks: Block[], docTitle: string): Draft[] {
  const drafts: Draft[] = [];
  let heading = docTitle;
  let cur: Draft | undefined;
  const flush = () => {
    if (cur?.hasBody) drafts.push(cur);
    // A run of headings with no text after it joins nothing; it is dropped unless it is all there is.
    cur = undefined;
  };
  const open = (b: Block): Draft =>
    (cur ??= { title: heading, pieces: [], start: b.start, end: b.end, words: 0, hasBody: false });
  for (const raw of blocks) {
    for (const b of splitBlock(raw)) {
      const w = words(b.lines.join(' '));
      if (b.heading !== undefined) {
        if (cur?.hasBody && cur.words >= SECTION_MIN_WORDS) flush();
        heading = b.heading || heading;
        const d = open(b);
        // Nearest heading; a passage that spans several short sections names them all.
        if (!d.hasBody) d.title = heading;
        else if (d.title.length < 120) d.title = `${d.title} · ${heading}`;
        d.pieces.push(b.lines.join('\n'));
        d.end = b.end;
        d.words += w;
        continue;
      }
      if (cur?.hasBody && cur.words + w > MAX_WORDS) flush();
      const d = open(b);
      d.pieces.push(b.lines.join('\n'));
      d.end = Math.max(d.end, b.end);
      d.words += w;
      d.hasBody = true;
    }
  }
  if (cur && !cur.hasBody && drafts.length === 0) cur.hasBody = cur.words > 0;
  flush();
  return drafts;
}

/** Splits one extracted document into passages with stable, unique source ids. */
export function toPassages(rel: string, doc: ExtractedDocument, docIndex: number): StoredPassage[] {
  const used = new Map<string, number>();
  const unique = (base: string) => {
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}.${n}`;
  };
  const out: StoredPassage[] = [];
  if (doc.kind === 'lines') {
    for (const d of blocksToDrafts(linesToBlocks(doc.lines, doc.markdown), doc.title)) {
      out.push({
        sourceId: unique(`${rel}#L${d.start}-L${d.end}`),
        rel,
        title: d.title,
        text: d.pieces.join('\n\n').trim(),
        doc: docIndex,
      });
    }
  } else {
    doc.pages.forEach((lines, p) => {
      const page = p + 1;
      for (const d of blocksToDrafts(linesToBlocks(lines, false), doc.title)) {
        out.push({
          sourceId: unique(`${rel}#p${page}`),
          rel,
          title: d.title,
          text: d.pieces.join('\n\n').trim(),
          doc: docIndex,
        });
      }
    });
  }
  return out.filter((p) => p.text.length > 0);
}
