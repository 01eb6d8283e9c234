/**
 * Text comparison for the evaluation: evidence against passages (markup- and spacing-blind) and
 * key terms against a summary (case-insensitive, on word boundaries).
 */

// Only real HTML element names count as markup: `<pid>` or `<commit>` in prose are text.
const HTML_ELEMENTS = (
  'a abbr acronym address article aside b big blockquote body br caption center cite code col colgroup dd del ' +
  'dfn div dl dt em figcaption figure font footer h[1-6] head header hr html i img ins kbd li link main mark ' +
  'meta nav ol p pre samp section small span strike strong sub sup table tbody td th thead title tr tt u ' +
  'ul var'
).split(' ');
const HTML_TAG = new RegExp(`</?(?:${HTML_ELEMENTS.join('|')})(?:\\s[^<>]*)?/?>`, 'gi');
const HTML_COMMENT = /<!--[\s\S]*?-->/g;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The text of HTML or Markdown without HTML elements and comments, entities decoded. */
export function stripMarkup(text: string): string {
  return decodeEntities(text.replace(HTML_COMMENT, ' ').replace(HTML_TAG, ' '));
}

/**
 * The letters and digits of a text, lowercased, with HTML markup and comments removed and entities
 * decoded. Raw HTML, the text extracted from it, Markdown and its rendering all reduce to the same
 * key, so an excerpt copied from a file can be found in a passage however each was formatted.
 */
export function matchKey(text: string): string {
  return stripMarkup(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The alternatives of one key-term entry: `"3|three"` → ["3", "three"]. */
export function alternatives(entry: string): string[] {
  return entry
    .split('|')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether `term` occurs in `text`, case-insensitively, not glued to other letters or digits (a term
 * that starts or ends with punctuation, like `--tags` or `.test`, is bounded only on its word side).
 * Runs of whitespace in the term match any whitespace.
 */
export function containsTerm(text: string, term: string): boolean {
  const t = term.trim();
  if (!t) return false;
  const body = t
    .split(/\s+/)
    .map((part) => escapeRegExp(part))
    .join('\\s+');
  const start = WORD_CHAR.test(t[0]!) ? '(?<![\\p{L}\\p{N}])' : '';
  const end = WORD_CHAR.test(t.at(-1)!) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${start}${body}${end}`, 'iu').test(text);
}

/** Markdown escapes (`GLIBCXX\_FORCE\_NEW`) are not part of what the answer says. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}

/** The key-term entries none of whose alternatives occur in the text. */
export function missingTerms(text: string, keyTerms: readonly string[]): string[] {
  const plain = unescapeMarkdown(text);
  return keyTerms.filter((entry) => !alternatives(entry).some((alt) => containsTerm(plain, alt)));
}
