/** Markdown inline tokens (from `marked.lexer`) → styled text runs for the PDF layout. */
import type { Token, Tokens } from 'marked';

export interface RunStyle {
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  strike?: boolean;
  /** External link target. */
  link?: string;
  /** Citation number: the run is a marker like `[3]` that points at source 3. */
  cite?: number;
}

/** A piece of text in one style; the text `\n` is a hard line break. */
export interface Run {
  text: string;
  style: RunStyle;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  mdash: '\u2014',
  ndash: '\u2013',
  hellip: '\u2026',
  copy: '\u00a9',
  reg: '\u00ae',
};

/** Decodes the HTML entities Markdown authors use (`&amp;`, `&#8212;`, `&#x2014;`, …). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** `[1]`, `[2, 3]`, `[4-6]` — the citation markers the writer agent emits. */
const CITATION = /\[(\d{1,4})(?:\s*[,\u2013-]\s*\d{1,4})*\]/g;

function splitCitations(text: string, style: RunStyle, known: ReadonlySet<number>): Run[] {
  if (style.code || style.link) return [{ text, style }];
  const runs: Run[] = [];
  let last = 0;
  for (const match of text.matchAll(CITATION)) {
    const at = match.index ?? 0;
    if (at > last) runs.push({ text: text.slice(last, at), style });
    const n = Number(match[1]);
    runs.push({ text: match[0], style: known.has(n) ? { ...style, cite: n } : style });
    last = at + match[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), style });
  return runs;
}

/** Flattens inline tokens into runs. `known` holds the citation numbers that have a source. */
export function inlineRuns(
  tokens: Token[] | undefined,
  known: ReadonlySet<number>,
  style: RunStyle = {}
): Run[] {
  const runs: Run[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text': {
        const t = token as Tokens.Text;
        if (t.tokens && t.tokens.length > 0) runs.push(...inlineRuns(t.tokens, known, style));
        else runs.push(...splitCitations(decodeEntities(t.text), style, known));
        break;
      }
      case 'escape':
        runs.push({ text: (token as Tokens.Escape).text, style });
        break;
      case 'strong':
        runs.push(...inlineRuns((token as Tokens.Strong).tokens, known, { ...style, bold: true }));
        break;
      case 'em':
        runs.push(...inlineRuns((token as Tokens.Em).tokens, known, { ...style, italic: true }));
        break;
      case 'del':
        runs.push(...inlineRuns((token as Tokens.Del).tokens, known, { ...style, strike: true }));
        break;
      case 'codespan':
        runs.push({ text: (token as Tokens.Codespan).text, style: { ...style, code: true } });
        break;
      case 'br':
        runs.push({ text: '\n', style });
        break;
      case 'link': {
        const link = token as Tokens.Link;
        const inner = inlineRuns(link.tokens, known, { ...style, link: link.href });
        runs.push(
          ...(inner.length > 0 ? inner : [{ text: link.href, style: { ...style, link: link.href } }])
        );
        break;
      }
      case 'image': {
        const image = token as Tokens.Image;
        runs.push({ text: `[image: ${image.text || image.href}]`, style: { ...style, italic: true } });
        break;
      }
      case 'html': {
        const html = (token as Tokens.HTML).text;
        if (/^<br\s*\/?>$/i.test(html.trim())) runs.push({ text: '\n', style });
        else {
          const stripped = decodeEntities(html.replace(/<[^>]*>/g, ''));
          if (stripped) runs.push({ text: stripped, style });
        }
        break;
      }
      case 'checkbox':
        break; // drawn by the list renderer
      default: {
        const generic = token as { tokens?: Token[]; text?: string };
        if (generic.tokens) runs.push(...inlineRuns(generic.tokens, known, style));
        else if (typeof generic.text === 'string') runs.push({ text: decodeEntities(generic.text), style });
      }
    }
  }
  return runs;
}

/** Runs → plain text (for measuring and tests). */
export const runsText = (runs: Run[]): string => runs.map((r) => r.text).join('');
