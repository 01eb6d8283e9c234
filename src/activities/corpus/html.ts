/**
 * An HTML page as Markdown-like lines: headings as `#` lines, list items as `- ` items, definition
 * lists as `term` lines each followed by `: definition` (the Markdown definition-list syntax, so an
 * option's name stays with its description), data tables as `| a | b |` rows, tables used for
 * layout (cells holding paragraphs) as the blocks they hold, `<pre>` as fenced code, links to other
 * sites as `[text](href)` and links within the documentation as their text. Nothing readable is
 * dropped: navigation bars, page headers, sidebars and footers (by element, ARIA role, class, or
 * link density) are kept but reported as boilerplate regions, so that their passages are ranked
 * down rather than lost.
 */
import { parseHTML } from 'linkedom';
import type { BoilerplateKind } from './boilerplate.js';

/** Lines [start, end] (1-based, inclusive) that hold boilerplate of `kind`. */
export interface Region {
  start: number;
  end: number;
  kind: BoilerplateKind;
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
  'SELECT',
  'TEXTAREA',
  'IMG',
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
  'BLOCKQUOTE',
  'FIGURE',
  'FIGCAPTION',
  'HR',
  'BR',
  'ADDRESS',
  'DETAILS',
  'SUMMARY',
  'BODY',
  'HTML',
  'CENTER',
]);
/** Anchor glyphs that mark a permalink, not text ("¶" after Sphinx and Texinfo headings). */
const PERMALINK = /^\s*[¶§#🔗⚓]\s*$/u;

function classKind(el: Element): BoilerplateKind | undefined {
  const tag = el.tagName.toUpperCase();
  if (tag === 'NAV' || tag === 'ASIDE') return 'navigation';
  if (tag === 'FOOTER' || tag === 'ADDRESS') return 'footer';
  // <header> is left alone: an article's header holds its title. Site headers carry a role, a
  // class, or a <nav>.
  const role = (el.getAttribute('role') ?? '').toLowerCase();
  if (role === 'navigation' || role === 'banner' || role === 'search' || role === 'complementary')
    return 'navigation';
  if (role === 'contentinfo') return 'footer';
  const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.toLowerCase().split(/\s+/);
  for (const n of names) {
    if (!n) continue;
    if (/footer/.test(n)) return 'footer';
    if (/^(toc|tocs|table-of-contents|localtoc|globaltoc)$/.test(n)) return 'toc';
    if (
      /^(nav|navbar|navigation|navpath|nav-path|menu|menubar|breadcrumbs?|crumbs|header|site-header|masthead|related|skip-link|skiplink|pagination|pager|topbar)$/.test(
        n
      ) ||
      /sidebar|breadcrumb|navbar|sidenav/.test(n)
    )
      return 'navigation';
  }
  return undefined;
}

/** A list or table made mostly of links (a menu that is not marked as one). */
function linkDense(el: Element): boolean {
  const links = Array.from(el.querySelectorAll('a'));
  if (links.length < 5) return false;
  const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  const linkText = links.reduce((n, a) => n + (a.textContent ?? '').replace(/\s+/g, ' ').trim().length, 0);
  return text.length > 0 && linkText / text.length >= 0.7 && text.split(' ').length < 300;
}

interface HtmlBlock {
  text: string;
  kind?: BoilerplateKind;
  /** The block is a definition list's term line(s), waiting for its definition. */
  term?: boolean;
}

/** Elements that make a table cell hold text blocks rather than a value: a table used for layout. */
const LAYOUT_CONTENT = 'p, pre, div, ul, ol, dl, blockquote, h1, h2, h3, h4, h5, h6';

function isLayoutTable(table: Element): boolean {
  const cells = Array.from(table.querySelectorAll('td, th')).filter((c) => c.closest('table') === table);
  return cells.some((c) => c.querySelector(LAYOUT_CONTENT) !== null);
}

/** A `<dl>` whose terms have definitions (a list of terms alone, like a table of contents, is a list). */
function hasDefinitions(dl: Element | null): boolean {
  return (
    !!dl && Array.from(dl.children).some((c) => c.tagName.toUpperCase() === 'DD' && c.textContent?.trim())
  );
}

const ADMONITION = /^(note|tip|hint|warning|caution|important|attention|danger|admonition)$/;

/**
 * A heading that only labels an aside ("Note", "Tip", "Warning" atop a DocBook admonition): it
 * opens no section, so the text after the aside stays under its own section's name.
 */
function isAsideLabel(heading: Element, text: string): boolean {
  if (!/^[\p{L} ]{2,20}:?$/u.test(text)) return false;
  for (let e = heading.parentElement, depth = 0; e && depth < 3; e = e.parentElement, depth++) {
    const names = (e.getAttribute('class') ?? '').toLowerCase().split(/\s+/);
    if (names.some((n) => ADMONITION.test(n))) return true;
  }
  return false;
}

/** A link target a reader can follow outside the documentation (relative links only navigate it). */
function isExternal(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) && !/^javascript:/i.test(href);
}

function fenceFor(code: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((m) => m.length));
  return '`'.repeat(longest + 1);
}

/** Text of inline content; `br` as a space (or as `breakAs`: terms on separate lines are aliases). */
function inlineText(node: Node, breakAs = ' '): string {
  let out = '';
  const visit = (n: Node) => {
    if (n.nodeType === 3) {
      out += n.textContent ?? '';
      return;
    }
    if (n.nodeType !== 1) return;
    const el = n as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIP_TAGS.has(tag)) return;
    if (tag === 'BR') {
      out += breakAs;
      return;
    }
    if (tag === 'A') {
      const label = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (PERMALINK.test(label)) return;
      const href = el.getAttribute('href') ?? '';
      if (label && isExternal(href)) {
        let inner = '';
        for (const c of Array.from(el.childNodes)) inner += inlineText(c);
        out += `[${inner.replace(/\s+/g, ' ').trim()}](${href})`;
        return;
      }
    }
    for (const c of Array.from(el.childNodes)) visit(c);
  };
  visit(node);
  return out;
}

/** Renders DOM nodes as blocks. `indent` prefixes the lines of nested list content. */
function render(nodes: Node[], inherited: BoilerplateKind | undefined, indent = ''): HtmlBlock[] {
  const blocks: HtmlBlock[] = [];
  let inline = '';
  let inlineKind = inherited;
  const flush = () => {
    const text = inline.replace(/\s+/g, ' ').trim();
    if (text && text !== '-') blocks.push({ text: indent + text, kind: inlineKind });
    inline = '';
  };
  const visit = (node: Node, kind: BoilerplateKind | undefined): void => {
    if (node.nodeType === 3) {
      if (!inline.trim()) inlineKind = kind;
      inline += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIP_TAGS.has(tag) || el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('hidden')) return;
    const own =
      kind ??
      classKind(el) ??
      ((tag === 'UL' || tag === 'OL' || tag === 'DL' || tag === 'TABLE' || tag === 'MENU') && linkDense(el)
        ? 'navigation'
        : undefined);
    const heading = /^H([1-6])$/.exec(tag);
    if (heading) {
      flush();
      const text = inlineText(el)
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\s+/g, ' ')
        .trim();
      if (text && !own && isAsideLabel(el, text)) {
        blocks.push({ text: `${indent}${text.replace(/:$/, '')}:` });
        return;
      }
      // Headings of navigation regions would give the page's sections wrong names: they stay text.
      if (text)
        blocks.push(
          own ? { text: indent + text, kind: own } : { text: '#'.repeat(Number(heading[1])) + ' ' + text }
        );
      return;
    }
    if (tag === 'PRE') {
      flush();
      const code = (el.textContent ?? '').replace(/^\n+|\s+$/g, '');
      if (code.trim()) {
        const fence = fenceFor(code);
        const lines = [fence, ...code.split('\n'), fence].map((l) => indent + l);
        blocks.push({ text: lines.join('\n'), kind: own });
      }
      return;
    }
    if (tag === 'DT' && !own && hasDefinitions(el.parentElement) && !el.querySelector(LAYOUT_CONTENT)) {
      flush();
      const term = inlineText(el, ', ')
        .replace(/\s+/g, ' ')
        .replace(/(,\s*)+$/, '')
        .trim();
      if (!term) return;
      const last = blocks[blocks.length - 1];
      // Several terms in a row share the definition that follows them.
      if (last?.term) last.text += `\n${indent}${term}`;
      else blocks.push({ text: indent + term, term: true });
      return;
    }
    if (tag === 'DD' && !own && blocks[blocks.length - 1]?.term) {
      flush();
      const inner = render(Array.from(el.childNodes), own, indent + '  ');
      const [first, ...rest] = inner;
      const term = blocks[blocks.length - 1]!;
      term.term = false;
      if (!first) return;
      if (first.text.trimStart().startsWith('```')) {
        blocks.push(...inner);
        return;
      }
      term.text += `\n${indent}: ${first.text.trimStart()}`;
      for (const b of rest) appendToLast(blocks, b);
      return;
    }
    if (tag === 'LI' || tag === 'DT') {
      flush();
      const inner = render(Array.from(el.childNodes), own, indent + '  ');
      const [first, ...rest] = inner;
      const head = first && !first.text.trimStart().startsWith('```') ? first.text.trim() : '';
      blocks.push({ text: `${indent}- ${head || '•'}`, kind: own });
      for (const b of head ? rest : inner) appendToLast(blocks, b);
      return;
    }
    if (tag === 'DD') {
      flush();
      for (const b of render(Array.from(el.childNodes), own, indent + '  ')) appendToLast(blocks, b);
      return;
    }
    if (tag === 'TABLE' && isLayoutTable(el)) {
      // Cells that hold paragraphs are page layout: their content reads as blocks, cell by cell.
      flush();
      const rows = Array.from(el.querySelectorAll('tr')).filter((tr) => tr.closest('table') === el);
      for (const tr of rows) {
        for (const cell of Array.from(tr.children)) {
          for (const child of Array.from(cell.childNodes)) visit(child, own);
          flush();
        }
      }
      return;
    }
    if (tag === 'TABLE') {
      flush();
      const rows = Array.from(el.querySelectorAll('tr')).filter((tr) => tr.closest('table') === el);
      const lines: string[] = [];
      rows.forEach((tr, i) => {
        const cells = Array.from(tr.children).filter((c) => /^T[DH]$/i.test(c.tagName));
        if (!cells.length) return;
        const text = cells.map((c) => inlineText(c).replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim());
        lines.push(`${indent}| ${text.join(' | ')} |`);
        if (i === 0 && cells.every((c) => c.tagName.toUpperCase() === 'TH'))
          lines.push(`${indent}|${cells.map(() => ' --- |').join('')}`);
      });
      if (lines.length) blocks.push({ text: lines.join('\n'), kind: own });
      return;
    }
    if (tag === 'A') {
      const label = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (PERMALINK.test(label)) return;
      if (!inline.trim()) inlineKind = own;
      inline += inlineText(el);
      return;
    }
    const block = BLOCK_TAGS.has(tag) || tag === 'UL' || tag === 'OL' || tag === 'DL' || tag === 'MENU';
    if (block) flush();
    for (const child of Array.from(el.childNodes)) visit(child, own);
    if (block) flush();
  };
  for (const node of nodes) visit(node, inherited);
  flush();
  return blocks;
}

/** Nested content of an item: its lines join the item (no blank line), indented under it. */
function appendToLast(blocks: HtmlBlock[], b: HtmlBlock): void {
  const last = blocks[blocks.length - 1];
  if (!last || b.text.trimStart().startsWith('```')) blocks.push(b);
  else last.text += '\n' + b.text;
}

function pageTitle(document: Document): string {
  const h1 = Array.from(document.querySelectorAll('h1')).find((h) => {
    for (let e: Element | null = h; e; e = e.parentElement) if (classKind(e)) return false;
    return true;
  });
  const heading = (h1?.textContent ?? '').replace(/[¶§]/g, '').replace(/\s+/g, ' ').trim();
  if (heading) return heading;
  return (document.querySelector('title')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Readable text of an HTML page, with the boilerplate regions marked. */
export function htmlToLines(
  html: string,
  fallbackTitle: string
): { title: string; lines: string[]; regions: Region[] } {
  const { document } = parseHTML(html);
  const title = pageTitle(document as unknown as Document) || fallbackTitle;
  const body = document.body ?? document.documentElement;
  const blocks = body ? render([body as unknown as Node], undefined) : [];
  // A page without a title heading of its own gets one, so its first passages are named.
  const hasH1 = blocks.some((b) => !b.kind && b.text.startsWith('# '));
  if (!hasH1 && !(blocks[0] && !blocks[0].kind && blocks[0].text.startsWith('#')))
    blocks.unshift({ text: '# ' + title });
  const lines: string[] = [];
  const regions: Region[] = [];
  blocks.forEach((b, i) => {
    if (i > 0) lines.push('');
    const start = lines.length + 1;
    lines.push(...b.text.split('\n'));
    if (b.kind) {
      const last = regions[regions.length - 1];
      if (last && last.kind === b.kind && last.end >= start - 2) last.end = lines.length;
      else regions.push({ start, end: lines.length, kind: b.kind });
    }
  });
  return { title, lines, regions };
}
