import path from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { gunzipSync } from 'node:zlib';
import { COMPRESSED, kindOf, MAX_FILE_BYTES, shebangKind, type DocumentKind } from './files.js';
import { configToMarkdown, scriptToMarkdown } from './config.js';
import { docbookToHtml, NotDocBook } from './docbook.js';
import { htmlToLines, type Region } from './html.js';
import { orgToMarkdown } from './org.js';
import { podToMarkdown } from './pod.js';
import { pdfBombReason } from './pdf-bomb.js';

export type { Region } from './html.js';

/**
 * A document reduced to text. Text-like formats (markdown, text, HTML) are a list of lines
 * (line numbers are 1-based positions in this list; for HTML they refer to the extracted
 * readable text, converted to Markdown, with its boilerplate regions). PDFs are a list of pages,
 * each a list of lines.
 */
export type ExtractedDocument =
  | { kind: 'lines'; title: string; markdown: boolean; lines: string[]; regions?: Region[] }
  | { kind: 'pages'; title: string; pages: string[][] };

/** Thrown when a file cannot be read as a document; the message becomes the skip reason. */
export class UnreadableDocument extends Error {
  override name = 'UnreadableDocument';
}

// Control characters other than tab/newline/form feed mark binary content.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

/**
 * Text formatted for a terminal, as groff and nroff write manuals: SGR escape sequences ("ESC[1m"
 * bold, "ESC[22m" normal) and overstrikes (bold as "X\bX", underline as "_\bX"). Their text is
 * what a reader sees; the formatting is not content (and would otherwise read as binary).
 */
// eslint-disable-next-line no-control-regex
const CSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
function withoutTerminalFormatting(text: string): string {
  if (!text.includes('\u001b') && !text.includes('\u0008')) return text;
  return withWholeWords(
    text
      .replace(CSI, '')
      // eslint-disable-next-line no-control-regex
      .replace(/(.)\u0008\1/gu, '$1')
      // eslint-disable-next-line no-control-regex
      .replace(/_\u0008(.)|(.)\u0008_/gu, '$1$2')
      // eslint-disable-next-line no-control-regex
      .replace(/.\u0008/gu, '')
  );
}

/**
 * Words the formatter hyphenated at a line's end ("search crite-" / "ria."), whole again: the
 * second part moves up, the line count stays. A compound ("well-" / "known") keeps its hyphen when
 * the document writes it so elsewhere and never without.
 */
function withWholeWords(text: string): string {
  if (!/\p{Ll}-\n/u.test(text)) return text;
  const seen = new Map<string, number>();
  for (const m of text.toLowerCase().matchAll(/\p{L}+(?:-\p{L}+)*/gu))
    seen.set(m[0], (seen.get(m[0]) ?? 0) + 1);
  return text.replace(
    /(\p{L}*\p{Ll})-\n([ \t]*)(\p{Ll}\p{L}*)([.,;:!?)]*)(?=\s|$)/gu,
    (_m, head: string, indent: string, tail: string, punct: string) => {
      const compound = `${head}-${tail}`.toLowerCase();
      const keep = (seen.get(compound) ?? 0) > (seen.get(`${head}${tail}`.toLowerCase()) ?? 0);
      return `${head}${keep ? '-' : ''}${tail}${punct}\n${indent}`;
    }
  );
}

/** Decodes bytes as UTF-8 (Latin-1 fallback); rejects binary content. */
export function decodeText(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) throw new UnreadableDocument('binary content (NUL bytes), not a text document');
  let text = new TextDecoder('utf-8').decode(bytes);
  const replacements = text.match(/\uFFFD/g)?.length ?? 0;
  if (replacements > 0 && replacements > text.length * 0.005) {
    text = new TextDecoder('latin1').decode(bytes);
  }
  text = withoutTerminalFormatting(text);
  const controls = text.match(CONTROL)?.length ?? 0;
  if (controls > Math.max(2, text.length * 0.01)) {
    throw new UnreadableDocument('binary content (control characters), not a text document');
  }
  return text.replace(/^\uFEFF/, '').replace(CONTROL, '');
}

function baseTitle(file: string): string {
  return path.basename(file).replace(COMPRESSED, '');
}

/** A document's bytes as read: a gzip-compressed one ("NEWS.gz") uncompressed. */
export function documentBytes(file: string, raw: Uint8Array): Uint8Array {
  return COMPRESSED.test(file) ? gunzipped(raw) : raw;
}

/** The bytes of a gzip-compressed document, uncompressed up to the size limit of any document. */
function gunzipped(bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_FILE_BYTES });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new UnreadableDocument(
        `uncompressed, the file is larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`
      );
    throw new UnreadableDocument(`not a readable gzip file: ${(err as Error).message}`);
  }
}

async function readPdf(bytes: Uint8Array): Promise<string[]> {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (!head.includes('%PDF-')) throw new UnreadableDocument('not a PDF (no %PDF- header)');
  const bomb = pdfBombReason(bytes);
  if (bomb) throw new UnreadableDocument(bomb);
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

/**
 * GNU documentation as plain text (Texinfo's output: bash, coreutils, tar, gdb) quotes `like this',
 * and older text ``like this'' (TeX's double quotes: lsof's FAQ, GDB's NEWS). Read as Markdown,
 * the grave accent opens a code span that runs to the next quote's: whole paragraphs became code.
 * The pairs are quotations: 'like this', "like this".
 */
function withPlainQuotes(text: string): string {
  return text.replace(/``([^`'\n]{1,120})''/g, '"$1"').replace(/`([^`'\n]{1,120})'/g, "'$1'");
}

/** An HTML page (or a DocBook document as HTML) as Markdown-like lines with its boilerplate regions. */
function htmlDocument(html: string, fallbackTitle: string): ExtractedDocument {
  const read = htmlToLines(html, fallbackTitle);
  return { kind: 'lines', title: read.title, markdown: true, lines: read.lines, regions: read.regions };
}

/**
 * A Perl file's documentation: its POD. A script installed under a name of its own (a sample cron
 * job "passwd.expire.cron", a hook) without POD is documented by its comments, as other scripts
 * are; a module or a ".pl" program's comments are notes on its code.
 */
function perlToMarkdown(file: string, text: string): string[] {
  const pod = podToMarkdown(text);
  // Named as Perl (".pl", ".pm", ".pod"), not found Perl by its first line.
  if (pod.some((l) => l.trim()) || kindOf(file) === 'pod') return pod;
  return scriptToMarkdown(text);
}

/** Extracts the text of one corpus file; throws UnreadableDocument with a reason when it cannot. */
export async function extractDocument(
  kind: DocumentKind,
  file: string,
  raw: Uint8Array
): Promise<ExtractedDocument> {
  const title = baseTitle(file);
  const bytes = documentBytes(file, raw);
  switch (kind) {
    case 'markdown':
    case 'text': {
      const text = decodeText(bytes);
      // A file named without an extension is read as text; one that starts with "#!" is a script,
      // whose documentation is read: Perl's POD, or the comments of a script commented with "#".
      if (kind === 'text' && !title.includes('.') && text.startsWith('#!')) {
        const script = shebangKind(text);
        const doc =
          script === 'pod' ? perlToMarkdown(file, text) : script === 'script' ? scriptToMarkdown(text) : [];
        if (doc.some((l) => l.trim())) return { kind: 'lines', title, markdown: true, lines: doc };
        throw new UnreadableDocument('a script (it starts with "#!"), not a document');
      }
      return {
        kind: 'lines',
        title,
        markdown: kind === 'markdown',
        lines: (kind === 'text' ? withPlainQuotes(text) : text).split(/\r\n|\r|\n/),
      };
    }
    case 'html':
      return htmlDocument(decodeText(bytes), title);
    case 'config':
      return { kind: 'lines', title, markdown: true, lines: configToMarkdown(decodeText(bytes)) };
    case 'script':
      return { kind: 'lines', title, markdown: true, lines: scriptToMarkdown(decodeText(bytes)) };
    case 'org':
      return { kind: 'lines', title, markdown: true, lines: orgToMarkdown(decodeText(bytes)) };
    case 'pod':
      return { kind: 'lines', title, markdown: true, lines: perlToMarkdown(file, decodeText(bytes)) };
    case 'docbook': {
      let html: string;
      try {
        html = docbookToHtml(decodeText(bytes));
      } catch (err) {
        if (err instanceof NotDocBook) throw new UnreadableDocument(err.message);
        throw err;
      }
      return htmlDocument(html, title);
    }
    case 'pdf': {
      const pages = await readPdf(bytes);
      return { kind: 'pages', title, pages: pages.map((p) => p.replace(CONTROL, '').split(/\r\n|\r|\n/)) };
    }
  }
}
