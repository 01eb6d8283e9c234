/**
 * A fetched page reduced to the corpus's document shape (corpus/extract.ts), so that the corpus
 * passages, ranking and excerpts apply unchanged. HTML goes through Readability first (the
 * article without site chrome, ads or comments), then the corpus's HTML-to-Markdown conversion
 * (headings as `#` lines, lists, tables, code); a page Readability finds no article in is
 * converted whole, its navigation and footers marked as boilerplate. PDF, plain text and
 * Markdown are read as the corpus reads its files.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import {
  decodeText,
  extractDocument,
  UnreadableDocument,
  type ExtractedDocument,
} from '../corpus/extract.js';
import { htmlToLines } from '../corpus/html.js';
import { webFailure } from './errors.js';
import type { PageKind } from './types.js';

/** Below this many characters of text, Readability's article is not trusted over the whole page. */
const MIN_ARTICLE_CHARS = 250;

/** The Accept header of page fetches: the kinds read, in order of preference. */
export const ACCEPT =
  'text/html, application/xhtml+xml, text/markdown, text/plain;q=0.9, application/pdf;q=0.8, */*;q=0.1';

/** The kind of page a Content-Type announces; undefined for anything not read. */
export function pageKind(contentType: string | undefined, url: URL): PageKind | undefined {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime === 'application/pdf') return 'pdf';
  if (mime === 'text/markdown' || mime === 'text/x-markdown') return 'markdown';
  // Markdown files are commonly served as text/plain (raw file hosts).
  if (mime === 'text/plain') return /\.(md|markdown|mdx)$/i.test(url.pathname) ? 'markdown' : 'text';
  return undefined;
}

function charsetOf(contentType: string | undefined, bytes: Buffer, kind: PageKind): string | undefined {
  const declared = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (declared) return declared.toLowerCase();
  if (kind !== 'html') return undefined;
  const head = bytes.subarray(0, 2048).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1]?.toLowerCase();
}

/** Text of the page in its declared charset (UTF-8 with a Latin-1 fallback when none is declared). */
function decode(bytes: Buffer, charset: string | undefined): string {
  if (!charset || charset === 'utf-8' || charset === 'utf8') return decodeText(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    return decodeText(bytes);
  }
  if (bytes.subarray(0, 8192).includes(0) && !charset.startsWith('utf-16'))
    throw new UnreadableDocument('binary content (NUL bytes), not a text document');
  return decoder.decode(bytes).replace(/^\uFEFF/, '');
}

/** The last meaningful segment of a URL's path, or its host: the title of an untitled page. */
export function urlTitle(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).pop();
  try {
    return last ? decodeURIComponent(last) : url.hostname;
  } catch {
    return last ?? url.hostname;
  }
}

const flat = (text: string | null | undefined) =>
  (text ?? '').replace(/[¶§]/g, '').replace(/\s+/g, ' ').trim();

function readHtml(html: string, url: URL): ExtractedDocument {
  const { document } = parseHTML(html);
  const doc = document as unknown as Document;
  const heading = flat(
    doc.querySelector('main h1, article h1')?.textContent ?? doc.querySelector('h1')?.textContent
  );
  const pageTitle = flat(doc.querySelector('title')?.textContent);
  let article: ReturnType<Readability<string>['parse']>;
  try {
    article = new Readability(doc, { charThreshold: MIN_ARTICLE_CHARS }).parse();
  } catch {
    article = null; // a page Readability cannot handle is read whole
  }
  const title = heading || flat(article?.title) || pageTitle || urlTitle(url);
  const useArticle = !!article?.content && flat(article.textContent).length >= MIN_ARTICLE_CHARS;
  // Readability's content is a fragment: it is read as the body of a page of its own.
  const lines = htmlToLines(
    useArticle ? `<!doctype html><html><body>${article!.content}</body></html>` : html,
    title
  );
  return {
    kind: 'lines',
    title,
    markdown: true,
    lines: lines.lines,
    ...(useArticle ? {} : { regions: lines.regions }),
  };
}

function markdownTitle(lines: string[]): string | undefined {
  for (const line of lines.slice(0, 50)) {
    const m = /^\s{0,3}#\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** The page's text as a corpus document; UnreadablePage when it cannot be read. */
export async function extractPage(
  kind: PageKind,
  bytes: Buffer,
  contentType: string | undefined,
  url: URL
): Promise<ExtractedDocument> {
  try {
    if (kind === 'pdf') {
      return await extractDocument('pdf', urlTitle(url), bytes);
    }
    const text = decode(bytes, charsetOf(contentType, bytes, kind));
    if (kind === 'html') return readHtml(text, url);
    const lines = text.split(/\r\n|\r|\n/);
    const title = (kind === 'markdown' ? markdownTitle(lines) : undefined) ?? urlTitle(url);
    return { kind: 'lines', title, markdown: kind === 'markdown', lines };
  } catch (err) {
    if (err instanceof UnreadableDocument)
      throw webFailure(
        'UnreadablePage',
        `${url.href.slice(0, 300)} could not be read as ${kind}: ${err.message}`,
        {
          details: { url: url.href },
        }
      );
    throw err;
  }
}
