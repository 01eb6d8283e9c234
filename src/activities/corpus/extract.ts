import path from 'node:path';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { extractText, getDocumentProxy } from 'unpdf';
import type { DocumentKind } from './files.js';

/**
 * A document reduced to text. Text-like formats (markdown, text, HTML) are a list of lines
 * (line numbers are 1-based positions in this list; for HTML they refer to the extracted
 * readable text). PDFs are a list of pages, each a list of lines.
 */
export type ExtractedDocument =
  | { kind: 'lines'; title: string; markdown: boolean; lines: string[] }
  | { kind: 'pages'; title: string; pages: string[][] };

/** Thrown when a file cannot be read as a document; the message becomes the skip reason. */
export class UnreadableDocument extends Error {
  override name = 'UnreadableDocument';
}

// Control characters other than tab/newline/form feed mark binary content.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

/** Decodes bytes as UTF-8 (Latin-1 fallback); rejects binary content. */
export function decodeText(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) throw new UnreadableDocument('binary content (NUL bytes), not a text document');
  let text = new TextDecoder('utf-8').decode(bytes);
  const replacements = text.match(/\uFFFD/g)?.length ?? 0;
  if (replacements > 0 && replacements > text.length * 0.005) {
    text = new TextDecoder('latin1').decode(bytes);
  }
  const controls = text.match(CONTROL)?.length ?? 0;
  if (controls > Math.max(2, text.length * 0.01)) {
    throw new UnreadableDocument('binary content (control characters), not a text document');
  }
  return text.replace(/^\uFEFF/, '').replace(CONTROL, '');
}

function baseTitle(file: string): string {
  return path.basename(file);
}

const SKIP_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'CANVAS',
  'IFRAME',
  'HEAD',
  'BUTTON',
  'FORM',
]);
const BLOCK_TAGS = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'HEADER',
  'FOOTER',
  'ASIDE',
  'NAV',
  'UL',
  'OL',
  'DL',
  'DT',
  'DD',
  'BLOCKQUOTE',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'FIGURE',
  'FIGCAPTION',
  'HR',
  'BR',
  'ADDRESS',
  'DETAILS',
  'SUMMARY',
  'BODY',
  'HTML',
]);

/** Renders a DOM subtree as markdown-ish blocks: `#` headings, `- ` list items, paragraphs. */
function domToBlocks(root: Node): string[] {
  const blocks: string[] = [];
  let inline = '';
  const flush = () => {
    const text = inline.replace(/\s+/g, ' ').trim();
    if (text && text !== '-') blocks.push(text);
    inline = '';
  };
  const visit = (node: Node): void => {
    if (node.nodeType === 3) {
      inline += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIP_TAGS.has(tag)) return;
    const heading = /^H([1-6])$/.exec(tag);
    if (heading) {
      flush();
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (text) blocks.push('#'.repeat(Number(heading[1])) + ' ' + text);
      return;
    }
    if (tag === 'PRE') {
      flush();
      const code = (el.textContent ?? '').replace(/\s+$/, '');
      if (code.trim()) blocks.push(code);
      return;
    }
    if (tag === 'LI') {
      flush();
      inline = '- ';
      for (const child of Array.from(el.childNodes)) visit(child);
      flush();
      return;
    }
    if (tag === 'TD' || tag === 'TH') {
      inline += ' ';
      for (const child of Array.from(el.childNodes)) visit(child);
      inline += ' |';
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) flush();
    for (const child of Array.from(el.childNodes)) visit(child);
    if (block) flush();
  };
  visit(root);
  flush();
  return blocks;
}

function wordCount(blocks: string[]): number {
  return blocks.reduce((n, b) => n + (b.match(/\S+/g)?.length ?? 0), 0);
}

/** Readable text of an HTML page: Readability's article when it finds one, else the body. */
export function htmlToLines(html: string, file: string): { title: string; lines: string[] } {
  const pageTitle = () => {
    const { document } = parseHTML(html);
    return (document.querySelector('title')?.textContent ?? '').replace(/\s+/g, ' ').trim();
  };
  let title = '';
  let blocks: string[] = [];
  try {
    const { document } = parseHTML(html);
    const article = new Readability<Node>(document as unknown as Document, {
      serializer: (node: Node) => node,
    }).parse();
    if (article?.content) {
      blocks = domToBlocks(article.content);
      title = (article.title ?? '').trim();
    }
  } catch {
    blocks = [];
  }
  // Readability can drop most of a page that is not article-shaped (docs, lists): fall back to the body.
  const { document } = parseHTML(html);
  const body = document.body ?? document.documentElement;
  const bodyBlocks = body ? domToBlocks(body) : [];
  if (wordCount(blocks) < 30 || wordCount(blocks) < wordCount(bodyBlocks) * 0.3) blocks = bodyBlocks;
  title ||= pageTitle() || baseTitle(file);
  if (!blocks[0]?.startsWith('#')) blocks.unshift('# ' + title);
  const lines: string[] = [];
  blocks.forEach((b, i) => {
    if (i > 0) lines.push('');
    lines.push(...b.split('\n'));
  });
  return { title, lines };
}

async function readPdf(bytes: Uint8Array): Promise<string[]> {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (!head.includes('%PDF-')) throw new UnreadableDocument('not a PDF (no %PDF- header)');
  let pdf;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 } as Parameters<
      typeof getDocumentProxy
    >[1]);
  } catch (err) {
    const e = err as Error;
    if (e.name === 'PasswordException') throw new UnreadableDocument('password-protected PDF');
    throw new UnreadableDocument(`unreadable PDF: ${e.message}`);
  }
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    return text;
  } catch (err) {
    throw new UnreadableDocument(`unreadable PDF: ${(err as Error).message}`);
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

/** Extracts the text of one corpus file; throws UnreadableDocument with a reason when it cannot. */
export async function extractDocument(
  kind: DocumentKind,
  file: string,
  bytes: Uint8Array
): Promise<ExtractedDocument> {
  const title = baseTitle(file);
  switch (kind) {
    case 'markdown':
    case 'text':
      return {
        kind: 'lines',
        title,
        markdown: kind === 'markdown',
        lines: decodeText(bytes).split(/\r\n|\r|\n/),
      };
    case 'html': {
      const html = htmlToLines(decodeText(bytes), file);
      return { kind: 'lines', title: html.title, markdown: true, lines: html.lines };
    }
    case 'pdf': {
      const pages = await readPdf(bytes);
      return { kind: 'pages', title, pages: pages.map((p) => p.replace(CONTROL, '').split(/\r\n|\r|\n/)) };
    }
  }
}
